/**
 * A seeded synthetic grocery panel shaped like Dominick's orange juice (the hidden "panel A" of
 * issue 9): 83 stores x 11 brands, 120 weekly periods, about 5% of the weeks absent per series,
 * columns date,sku,units,price,deal,feature. Bench only: written to .bench-cache/ (ignored by
 * git), never into data/. Synthetic: it tests what it was built with (per-series price response,
 * deals, feature ads, missing weeks), nothing about real shoppers.
 *
 * Pricing (per brand, chain-wide, as Dominick's set prices by zone): a regular price between $1.50
 * and $3.50 that may step once by up to +-10%; deal events of 1 or 2 weeks (one starts in 7 to
 * 30% of a brand's free weeks: about 24% of all weeks are deal weeks) cut it by 10-40%; a feature
 * ad runs with 60% of the deal events and in 3% of the other weeks (85% of featured weeks are deal
 * weeks). Each store sits in a price zone (x0.94, x1, x1.06), joins 90% of the chain's deal
 * events and runs a deal of its own in 1.5% of its weeks.
 *
 * Demand of store s, brand b in week t (log scale):
 *   log mu = level_sb + e_sb log(price / regular) + d_sb deal + f_sb feature
 *            + c_sb mean_{other brands j} log(price_j / regular_j) + a_sb sin(2 pi t / 52 + phase_b) + ar_sb(t)
 *   units  = round(mu exp(eps)), eps ~ N(0, 0.35^2)
 * with level_sb = brand base (N(8, 0.6^2)) + store size (N(0, 0.35^2)) + N(0, 0.25^2); elasticity
 * e ~ N(-2.5, 0.8^2) capped at -0.3; deal lift d ~ N(0.25, 0.15^2), feature lift f ~ N(0.35, 0.2^2),
 * both at least 0; cross effect c ~ N(0.4, 0.15^2) (others' deals take some of the brand's sales);
 * seasonal amplitude a ~ U(0.04, 0.12); ar a mild AR(1) (0.8, innovations sd 0.07) for the slow
 * drift of real store-brand levels. Missing weeks: a store's whole week in 3% of its weeks and a
 * series' week in 2% more; the first and last weeks of every series are kept.
 *
 * Randomness: mulberry32 from src/core/random.ts, one stream per brand, store and series derived
 * from the master seed by keyedSeed, so a series does not depend on the others' draws.
 */
import { fileURLToPath } from 'node:url';
import { formatDay, parseDay } from '../src/core/calendar.js';
import { keyedSeed, mulberry32, normal, type Uniform } from '../src/core/random.js';
import { cachedFile } from './walmart.js';

export interface GroceryConfig {
  seed: number;
  stores: number;
  brands: number;
  weeks: number;
  /** First week (a Thursday, as Dominick's weeks). */
  start: string;
  noiseSd: number;
  elasticityMean: number;
  elasticitySd: number;
  /** Share of a store's weeks missing for all its brands, and of a series' weeks on top. */
  storeMissing: number;
  seriesMissing: number;
  /**
   * The "hard" variant's departures from a log-linear panel (all 0 in GROCERY_CONFIG, whose bytes
   * they leave unchanged: their draws come from a stream of their own). `postDealDip`: mean log
   * drop in the week after a deal (pantry loading), per series N(dip, (dip/2)^2). `fatigue`: share
   * of the deal lift lost in a deal's second week. `trendSd`: sd of a per-series linear trend on
   * the log scale, per week. `outlierShare`: share of weeks with a shock N(0, 0.8^2) (stock-outs,
   * data errors); when it is > 0, 5% of the deal weeks are cut short by a stock-out (log drop 0.3-1.2).
   */
  postDealDip: number;
  fatigue: number;
  trendSd: number;
  outlierShare: number;
}

export const GROCERY_CONFIG: GroceryConfig = {
  seed: 20261202,
  stores: 83,
  brands: 11,
  weeks: 120,
  start: '1989-09-14',
  noiseSd: 0.35,
  elasticityMean: -2.5,
  elasticitySd: 0.8,
  storeMissing: 0.03,
  seriesMissing: 0.02,
  postDealDip: 0,
  fatigue: 0,
  trendSd: 0,
  outlierShare: 0,
};

/**
 * A harder panel (`FORECAST_BENCH=grocery-hard` of the forecast bench): noisier (sd 0.5), with post-deal dips, deal
 * fatigue, per-series trends, outliers and stock-outs on deal weeks. None of these is in the
 * functional form of promo_regression or arimax.
 */
export const GROCERY_HARD: GroceryConfig = { ...GROCERY_CONFIG, noiseSd: 0.5, postDealDip: 0.15, fatigue: 0.5, trendSd: 0.003, outlierShare: 0.015 };

const isHard = (cfg: GroceryConfig) => cfg.postDealDip > 0 || cfg.fatigue > 0 || cfg.trendSd > 0 || cfg.outlierShare > 0;

export const GROCERY_COVARIATES = ['price', 'deal', 'feature'];

const ZONES = [0.94, 1, 1.06];
const round2 = (x: number) => Math.round(x * 100) / 100;
const uniformIn = (u: Uniform, lo: number, hi: number) => lo + (hi - lo) * u();

interface BrandCalendar {
  regular: number[];
  /** Depth of the chain's deal in each week (0: none), and its event number (-1: none). */
  depth: number[];
  event: number[];
  featured: boolean[];
  phase: number;
  base: number;
}

function brandCalendar(cfg: GroceryConfig, b: number): BrandCalendar {
  const u = mulberry32(keyedSeed(cfg.seed, `brand:${b}`));
  const first = round2(uniformIn(u, 1.5, 3.5));
  const stepAt = u() < 0.5 ? Math.floor(uniformIn(u, 20, cfg.weeks - 20)) : cfg.weeks;
  const second = round2(first * (1 + uniformIn(u, -0.1, 0.1)));
  const regular = Array.from({ length: cfg.weeks }, (_, t) => (t < stepAt ? first : second));
  const dealShare = uniformIn(u, 0.1, 0.45);
  const depth: number[] = [];
  const event: number[] = [];
  const featured: boolean[] = [];
  let events = 0;
  for (let t = 0; t < cfg.weeks; ) {
    // An event lasts 1.5 weeks on average, so it starts with probability share / 1.5 per free week.
    if (u() < dealShare / 1.5) {
      const len = u() < 0.5 ? 1 : 2;
      const d = uniformIn(u, 0.1, 0.4);
      const feat = u() < 0.6;
      for (let k = 0; k < len && t < cfg.weeks; k++, t++) {
        depth.push(d);
        event.push(events);
        featured.push(feat);
      }
      events++;
    } else {
      depth.push(0);
      event.push(-1);
      featured.push(u() < 0.03);
      t++;
    }
  }
  return { regular, depth, event, featured, phase: normal(u, 0, 0.6), base: normal(u, 8, 0.6) };
}

/** One store's prices and promotions for every brand, week by week. */
function storePrices(cfg: GroceryConfig, s: number, brands: BrandCalendar[]) {
  const u = mulberry32(keyedSeed(cfg.seed, `store:${s}`));
  const zone = ZONES[Math.floor(u() * ZONES.length)]!;
  const size = normal(u, 0, 0.35);
  const missing = Array.from({ length: cfg.weeks }, () => u() < cfg.storeMissing);
  const perBrand = brands.map((br) => {
    const joins = new Map<number, boolean>();
    const price: number[] = [];
    const regular: number[] = [];
    const deal: number[] = [];
    const feature: number[] = [];
    for (let t = 0; t < cfg.weeks; t++) {
      const ev = br.event[t]!;
      if (ev >= 0 && !joins.has(ev)) joins.set(ev, u() < 0.9);
      let d = ev >= 0 && joins.get(ev) ? br.depth[t]! : 0;
      const own = d === 0 && u() < 0.015;
      if (own) d = uniformIn(u, 0.1, 0.3);
      const reg = round2(br.regular[t]! * zone);
      regular.push(reg);
      price.push(d > 0 ? round2(reg * (1 - d)) : reg);
      deal.push(d > 0 ? 1 : 0);
      feature.push((ev >= 0 ? joins.get(ev) === true && br.featured[t]! : br.featured[t]!) ? 1 : 0);
    }
    return { price, regular, deal, feature };
  });
  return { size, missing, perBrand };
}

/** The panel as CSV text (rows by SKU, then date). Same config, same bytes. */
export function groceryCsv(cfg: GroceryConfig = GROCERY_CONFIG): string {
  const brands = Array.from({ length: cfg.brands }, (_, b) => brandCalendar(cfg, b));
  const start = parseDay(cfg.start);
  const dates = Array.from({ length: cfg.weeks }, (_, t) => formatDay(start + 7 * t));
  const out: string[] = [`date,sku,units,${GROCERY_COVARIATES.join(',')}`];
  for (let s = 0; s < cfg.stores; s++) {
    const store = storePrices(cfg, s, brands);
    const logRel = store.perBrand.map((p) => p.price.map((x, t) => Math.log(x / p.regular[t]!)));
    for (let b = 0; b < cfg.brands; b++) {
      const u = mulberry32(keyedSeed(cfg.seed, `series:${s}:${b}`));
      const level = brands[b]!.base + store.size + normal(u, 0, 0.25);
      const elasticity = Math.min(-0.3, normal(u, cfg.elasticityMean, cfg.elasticitySd));
      const dealLift = Math.max(0, normal(u, 0.25, 0.15));
      const featureLift = Math.max(0, normal(u, 0.35, 0.2));
      const cross = normal(u, 0.4, 0.15);
      const amplitude = uniformIn(u, 0.04, 0.12);
      const p = store.perBrand[b]!;
      const sku = `S${String(s + 1).padStart(3, '0')}-B${String(b + 1).padStart(2, '0')}`;
      let ar = normal(u, 0, 0.07 / Math.sqrt(1 - 0.8 * 0.8));
      const hard = isHard(cfg) ? mulberry32(keyedSeed(cfg.seed, `hard:${s}:${b}`)) : undefined;
      const dip = hard === undefined ? 0 : Math.max(0, normal(hard, cfg.postDealDip, cfg.postDealDip / 2));
      const trend = hard === undefined ? 0 : normal(hard, 0, cfg.trendSd);
      for (let t = 0; t < cfg.weeks; t++) {
        if (t > 0) ar = 0.8 * ar + normal(u, 0, 0.07);
        let extra = 0;
        if (hard !== undefined) {
          const deal = p.deal[t]! === 1;
          const dealBefore = t > 0 && p.deal[t - 1]! === 1;
          if (!deal && dealBefore) extra -= dip;
          if (deal && dealBefore) extra -= cfg.fatigue * (dealLift + elasticity * logRel[b]![t]!);
          extra += trend * (t - cfg.weeks / 2);
          const r = hard();
          if (r < cfg.outlierShare) extra += normal(hard, 0, 0.8);
          else if (deal && r < cfg.outlierShare + 0.05) extra -= uniformIn(hard, 0.3, 1.2);
        }
        let others = 0;
        for (let j = 0; j < cfg.brands; j++) if (j !== b) others += logRel[j]![t]!;
        others /= cfg.brands - 1;
        const season = amplitude * Math.sin((2 * Math.PI * t) / 52 + brands[b]!.phase);
        const mu = level + elasticity * logRel[b]![t]! + dealLift * p.deal[t]! + featureLift * p.feature[t]! + cross * others + season + ar + extra;
        const units = Math.round(Math.exp(mu + normal(u, 0, cfg.noiseSd)));
        const dropped = u() < cfg.seriesMissing || store.missing[t]!;
        if (dropped && t > 0 && t < cfg.weeks - 1) continue;
        out.push(`${dates[t]},${sku},${units},${p.price[t]!.toFixed(2)},${p.deal[t]},${p.feature[t]}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** Path of the cached panel (.bench-cache/grocery-sales-SEED.csv), written on first use. */
export function prepareGrocery(cfg: GroceryConfig = GROCERY_CONFIG): string {
  return cachedFile(`grocery-sales-${cfg.seed}${isHard(cfg) ? '-hard' : ''}.csv`, () => groceryCsv(cfg));
}

// `node dist/bench/grocery.js [seed] [hard]` writes the panel and prints its path.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const seed = process.argv[2] === undefined ? GROCERY_CONFIG.seed : Number.parseInt(process.argv[2], 10);
  console.log(prepareGrocery({ ...(process.argv[3] === 'hard' ? GROCERY_HARD : GROCERY_CONFIG), seed }));
}
