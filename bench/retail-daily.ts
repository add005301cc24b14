/**
 * A seeded synthetic daily retail panel shaped like item x store sales of a supermarket chain (the
 * M5 kind of data, which the hidden daily test data may resemble): 10 stores x 30 items, 730 days,
 * most series slow or intermittent, columns date,sku,units,price,promo,event. Bench only: written
 * to .bench-cache/ (ignored by git), never into data/. Synthetic: it tests what it was built with
 * (count demand with many zeros, weekday profiles, price discounts, events, late launches and
 * stock-out spells), nothing about real shoppers.
 *
 * Per item: a regular price between $1 and $20 (one step of up to +-8% in half of the items),
 * discount runs of 3 to 10 days (a run starts on about 1.2% of free days; depth 10-35%, promo = 1),
 * chain-wide. Per store: a weekday profile (weekends up 10-40%) and a size factor. Events: 8 dates a
 * year (event = 1); Christmas Day closes every store (units 0), the others lift sales by a per
 * series factor N(0.15, 0.15^2) on the log scale.
 *
 * Demand of item i in store s on day t:
 *   log mu = level_is + weekday_s(t) + a_is sin(2 pi doy / 365.25 + phase_i) + e_is log(price / regular)
 *            + p_is promo + v_is event + ar_is(t)
 *   units  ~ Poisson(mu G), G ~ Gamma(k, 1/k), k = 2 (negative binomial)
 * with level = item base N(0, 1.1^2) + store size N(0, 0.3^2) + N(0, 0.3^2) (mu from about 0.05 to
 * 30 a day: half the series have more zero days than not), elasticity e ~ N(-2, 0.7^2) capped at
 * -0.2, promo lift p ~ N(0.2, 0.15^2) at least 0, seasonal amplitude a ~ U(0, 0.2), ar a slow AR(1)
 * (0.98, innovations sd 0.03). 10% of the series launch late (first row between day 120 and 400),
 * 5% have one stock-out spell of 7 to 40 days of zeros, and 1.5% of the rows are absent.
 *
 * Randomness: mulberry32 from src/core/random.ts, one stream per item, store and series derived
 * from the master seed by keyedSeed.
 */
import { fileURLToPath } from 'node:url';
import { dayOfYear, formatDay, parseDay, weekday } from '../src/core/calendar.js';
import { keyedSeed, mulberry32, normal, type Uniform } from '../src/core/random.js';
import { cachedFile } from './walmart.js';

export interface RetailDailyConfig {
  seed: number;
  stores: number;
  items: number;
  days: number;
  start: string;
}

export const RETAIL_DAILY: RetailDailyConfig = { seed: 20261203, stores: 10, items: 30, days: 730, start: '2024-11-01' };

export const RETAIL_DAILY_COVARIATES = ['price', 'promo', 'event'];

const round2 = (x: number) => Math.round(x * 100) / 100;
const uniformIn = (u: Uniform, lo: number, hi: number) => lo + (hi - lo) * u();

/** Gamma(shape k, scale 1) by Marsaglia and Tsang (k >= 1). */
function gamma(u: Uniform, k: number): number {
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(u);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - u()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Poisson by inversion below 30, by a rounded normal above (a bench panel, not a sampler library). */
function poisson(u: Uniform, mu: number): number {
  if (mu > 30) return Math.max(0, Math.round(normal(u, mu, Math.sqrt(mu))));
  let k = 0;
  let p = Math.exp(-mu);
  let cdf = p;
  const r = u();
  while (r > cdf && k < 200) {
    k++;
    p *= mu / k;
    cdf += p;
  }
  return k;
}

/** Event days: fixed dates each year (month, day); Christmas (12-25) closes the stores. */
const EVENTS: [number, number][] = [[1, 1], [2, 14], [3, 17], [5, 27], [7, 4], [9, 2], [11, 28], [12, 25]];

/** The panel as CSV text (rows by SKU, then date). Same config, same bytes. */
export function retailDailyCsv(cfg: RetailDailyConfig = RETAIL_DAILY): string {
  const start = parseDay(cfg.start);
  const days = Array.from({ length: cfg.days }, (_, t) => start + t);
  const dates = days.map(formatDay);
  const event = dates.map((d) => EVENTS.some(([m, dd]) => d.endsWith(`-${String(m).padStart(2, '0')}-${String(dd).padStart(2, '0')}`)));
  const closed = dates.map((d) => d.endsWith('-12-25'));
  const items = Array.from({ length: cfg.items }, (_, i) => {
    const u = mulberry32(keyedSeed(cfg.seed, `item:${i}`));
    const first = round2(uniformIn(u, 1, 20));
    const stepAt = u() < 0.5 ? Math.floor(uniformIn(u, 60, cfg.days - 60)) : cfg.days;
    const second = round2(first * (1 + uniformIn(u, -0.08, 0.08)));
    const regular: number[] = [];
    const price: number[] = [];
    const promo: number[] = [];
    for (let t = 0; t < cfg.days; ) {
      if (u() < 0.012) {
        const len = 3 + Math.floor(u() * 8);
        const depth = uniformIn(u, 0.1, 0.35);
        for (let k = 0; k < len && t < cfg.days; k++, t++) {
          const reg = t < stepAt ? first : second;
          regular.push(reg);
          price.push(round2(reg * (1 - depth)));
          promo.push(1);
        }
      } else {
        const reg = t < stepAt ? first : second;
        regular.push(reg);
        price.push(reg);
        promo.push(0);
        t++;
      }
    }
    return { regular, price, promo, base: normal(u, 0, 1.1), phase: uniformIn(u, 0, 2 * Math.PI) };
  });
  const stores = Array.from({ length: cfg.stores }, (_, s) => {
    const u = mulberry32(keyedSeed(cfg.seed, `store:${s}`));
    const weekend = uniformIn(u, 0.1, 0.4);
    const profile = Array.from({ length: 7 }, (_, w) => (w === 5 || w === 6 ? weekend : normal(u, 0, 0.05)));
    return { profile, size: normal(u, 0, 0.3) };
  });
  const out: string[] = [`date,sku,units,${RETAIL_DAILY_COVARIATES.join(',')}`];
  for (let s = 0; s < cfg.stores; s++) {
    for (let i = 0; i < cfg.items; i++) {
      const u = mulberry32(keyedSeed(cfg.seed, `series:${s}:${i}`));
      const it = items[i]!;
      const st = stores[s]!;
      const level = it.base + st.size + normal(u, 0, 0.3);
      const elasticity = Math.min(-0.2, normal(u, -2, 0.7));
      const lift = Math.max(0, normal(u, 0.2, 0.15));
      const eventLift = normal(u, 0.15, 0.15);
      const amplitude = uniformIn(u, 0, 0.2);
      const launch = u() < 0.1 ? Math.floor(uniformIn(u, 120, 400)) : 0;
      const outAt = u() < 0.05 ? Math.floor(uniformIn(u, launch + 30, cfg.days - 60)) : -1;
      const outLen = 7 + Math.floor(u() * 34);
      let ar = normal(u, 0, 0.03 / Math.sqrt(1 - 0.98 * 0.98));
      const sku = `ST${String(s + 1).padStart(2, '0')}-IT${String(i + 1).padStart(3, '0')}`;
      for (let t = 0; t < cfg.days; t++) {
        if (t > 0) ar = 0.98 * ar + normal(u, 0, 0.03);
        const { doy } = dayOfYear(days[t]!);
        const season = amplitude * Math.sin((2 * Math.PI * doy) / 365.25 + it.phase);
        const logRel = Math.log(it.price[t]! / it.regular[t]!);
        const logMu = level + st.profile[weekday(days[t]!)]! + season + elasticity * logRel + lift * it.promo[t]! + (event[t] ? eventLift : 0) + ar;
        let units = poisson(u, Math.exp(logMu) * gamma(u, 2) / 2);
        if (closed[t] || (outAt >= 0 && t >= outAt && t < outAt + outLen)) units = 0;
        const dropped = u() < 0.015;
        if (t < launch || (dropped && t > launch && t < cfg.days - 1)) continue;
        out.push(`${dates[t]},${sku},${units},${it.price[t]!.toFixed(2)},${it.promo[t]},${event[t] ? 1 : 0}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** Path of the cached panel (.bench-cache/retail-daily-SEED.csv; -START-DAYSd added for another span), written on first use. */
export function prepareRetailDaily(cfg: RetailDailyConfig = RETAIL_DAILY): string {
  const span = cfg.days === RETAIL_DAILY.days && cfg.start === RETAIL_DAILY.start ? '' : `-${cfg.start}-${cfg.days}d`;
  return cachedFile(`retail-daily-${cfg.seed}${span}.csv`, () => retailDailyCsv(cfg));
}

/** The panel over `days` days ending where the default one ends (FORECAST_RETAIL_DAYS: a longer history). */
export function retailDailyOver(days: number, cfg: RetailDailyConfig = RETAIL_DAILY): RetailDailyConfig {
  return { ...cfg, days, start: formatDay(parseDay(cfg.start) + cfg.days - days) };
}

// `node dist/bench/retail-daily.js [seed]` writes the panel and prints its path.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const seed = process.argv[2] === undefined ? RETAIL_DAILY.seed : Number.parseInt(process.argv[2], 10);
  console.log(prepareRetailDaily({ ...RETAIL_DAILY, seed }));
}
