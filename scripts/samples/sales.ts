/**
 * Synthetic daily sales for the sample data: per SKU a level, trend, weekly and yearly seasonality,
 * promotions (a price cut with a lift that follows a price elasticity, and a small dip after),
 * holidays with a lift, and negative-binomial noise. A few slow movers sell intermittently and two
 * SKUs are new. Pure and seeded: each SKU draws from its own generator seeded by `seed:sku`, so one
 * SKU's data does not depend on how many others there are.
 */
import { dayFromYmd, dayOfYear, weekday } from '../../src/core/calendar.js';
import { makeRng, type Rng } from './random.js';

export interface SampleConfig {
  seed: string;
  skus: number;
  /** Last day of history, YYYY-MM-DD. */
  end: string;
  /** Days of history for an established SKU. */
  historyDays: number;
  /** Days of future covariates (promotion plan) after `end`. */
  planDays: number;
}

export const DEFAULT_CONFIG: SampleConfig = { seed: 'stockcast-samples-v1', skus: 50, end: '2026-10-31', historyDays: 1095, planDays: 56 };

export type SkuKind = 'regular' | 'slow' | 'new';

export interface SkuProfile {
  sku: string;
  kind: SkuKind;
  /** First day of history (day number). */
  start: number;
  /** Mean units per day at the start, before seasonality. */
  base: number;
  /** Growth per year, e.g. 0.1 = +10 %. */
  trendPerYear: number;
  /** Multipliers Monday..Sunday (mean 1). */
  weekly: number[];
  yearlyAmp: number;
  /** Day of year of the yearly peak. */
  yearlyPeak: number;
  basePrice: number;
  /** Lift = (price / basePrice) ^ -elasticity. */
  elasticity: number;
  holidayLift: number;
  /** Negative-binomial size (smaller = noisier). */
  size: number;
  /** Mean days between promotions (Infinity = never). */
  promoEvery: number;
}

/** One SKU from its first history day to the end of the plan horizon. */
export interface SkuTimeline {
  profile: SkuProfile;
  start: number;
  price: Float64Array;
  promo: Uint8Array;
  holiday: Uint8Array;
  /** Promotion multiplier of each day: the price cut's lift, POST_PROMO_DIP in the week after, else 1. */
  lift: Float64Array;
  /** Units for the history part only (start .. end). */
  units: Int32Array;
}

/** The mean units of day `i` of a timeline (day number start + i), around which units are drawn. */
export function meanUnits(t: Pick<SkuTimeline, 'profile' | 'start' | 'lift' | 'holiday'>, i: number): number {
  const { profile } = t;
  const day = t.start + i;
  const years = i / 365.25;
  const { doy } = dayOfYear(day);
  const yearly = 1 + profile.yearlyAmp * Math.cos((2 * Math.PI * (doy - profile.yearlyPeak)) / 365.25);
  const ramp = profile.kind === 'new' ? Math.min(1, 0.4 + i / 30) : 1;
  return profile.base * (1 + profile.trendPerYear) ** years * profile.weekly[weekday(day)]! * yearly * t.lift[i]! * (t.holiday[i] === 1 ? profile.holidayLift : 1) * ramp;
}

export function skuId(i: number): string {
  return `SKU-${String(i + 1).padStart(3, '0')}`;
}

/** Holidays as day numbers: New Year, Valentine's, Mother's Day, July 4, Black Friday, Christmas Eve, New Year's Eve. */
export function holidays(fromYear: number, toYear: number): Set<number> {
  const out = new Set<number>();
  for (let y = fromYear; y <= toYear; y++) {
    const may1 = dayFromYmd(y, 5, 1);
    const mothers = may1 + ((6 - weekday(may1) + 7) % 7) + 7; // second Sunday of May
    const nov1 = dayFromYmd(y, 11, 1);
    const blackFriday = nov1 + ((3 - weekday(nov1) + 7) % 7) + 21 + 1; // day after the 4th Thursday
    for (const d of [dayFromYmd(y, 1, 1), dayFromYmd(y, 2, 14), mothers, dayFromYmd(y, 7, 4), blackFriday, dayFromYmd(y, 12, 24), dayFromYmd(y, 12, 31)]) out.add(d);
  }
  return out;
}

/** Multiplier of the mean in the week after a promotion (customers stocked up). */
export const POST_PROMO_DIP = 0.9;

const WEEKLY_SHAPE = [0.85, 0.85, 0.9, 0.95, 1.1, 1.35, 1.0];

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export function makeProfile(cfg: SampleConfig, index: number): SkuProfile {
  const sku = skuId(index);
  const rng = makeRng(`${cfg.seed}:profile:${sku}`);
  const end = parseEnd(cfg);
  // The last two SKUs are new (45 and 150 days of history), four are slow movers.
  const kind: SkuKind = index >= cfg.skus - 2 ? 'new' : index % 12 === 7 ? 'slow' : 'regular';
  const start = kind === 'new' ? end - (index === cfg.skus - 1 ? 44 : 149) : end - cfg.historyDays + 1;
  const amp = rng.uniform(0.3, 1);
  const weekly = WEEKLY_SHAPE.map((w) => 1 + (kind === 'slow' ? 0.3 : amp) * (w - 1));
  const mean = weekly.reduce((a, b) => a + b, 0) / 7;
  return {
    sku,
    kind,
    start,
    base: kind === 'slow' ? rng.uniform(0.15, 0.6) : Math.exp(rng.normal(Math.log(18), 0.7)),
    trendPerYear: rng.uniform(-0.12, 0.3),
    weekly: weekly.map((w) => w / mean),
    yearlyAmp: rng.uniform(0.05, 0.4),
    yearlyPeak: rng.next() < 0.6 ? rng.int(330, 360) : rng.int(160, 200),
    basePrice: rng.pick([1.49, 1.99, 2.49, 2.99, 3.49, 3.99, 4.99, 5.99, 7.99, 9.99, 12.99, 14.99, 19.99, 24.99, 29.99, 49.99]),
    elasticity: rng.uniform(1.5, 3.5),
    holidayLift: rng.uniform(1.2, 1.9),
    size: kind === 'slow' ? 2 : rng.uniform(6, 25),
    promoEvery: kind === 'slow' ? Number.POSITIVE_INFINITY : rng.uniform(35, 80),
  };
}

function parseEnd(cfg: SampleConfig): number {
  const [y, m, d] = cfg.end.split('-').map(Number);
  return dayFromYmd(y!, m!, d!);
}

/** Promotions, prices and holidays for the whole timeline, then units for the history. */
export function simulateSku(profile: SkuProfile, cfg: SampleConfig, hol: Set<number>): SkuTimeline {
  const rng: Rng = makeRng(`${cfg.seed}:sales:${profile.sku}`);
  const end = parseEnd(cfg);
  const n = end + cfg.planDays - profile.start + 1;
  const price = new Float64Array(n).fill(profile.basePrice);
  const promo = new Uint8Array(n);
  const holiday = new Uint8Array(n);
  const lift = new Float64Array(n).fill(1);
  for (let t = 0; t < n; t++) if (hol.has(profile.start + t)) holiday[t] = 1;
  // Promotions: 5-14 day price cuts of 10-30 %, then a week of slightly lower sales.
  let t = Number.isFinite(profile.promoEvery) ? Math.floor(rng.uniform(0.2, 1) * profile.promoEvery) : n;
  while (t < n) {
    const len = rng.int(5, 14);
    const depth = rng.pick([0.1, 0.15, 0.2, 0.25, 0.3]);
    const cut = round2(profile.basePrice * (1 - depth));
    for (let k = t; k < Math.min(n, t + len); k++) {
      promo[k] = 1;
      price[k] = cut;
      lift[k] = (cut / profile.basePrice) ** -profile.elasticity;
    }
    for (let k = t + len; k < Math.min(n, t + len + 7); k++) lift[k] = POST_PROMO_DIP;
    t += len + 7 + Math.floor(rng.uniform(0.5, 1.5) * profile.promoEvery);
  }
  const hist = end - profile.start + 1;
  const units = new Int32Array(hist);
  const timeline = { profile, start: profile.start, price, promo, holiday, lift, units };
  for (let i = 0; i < hist; i++) units[i] = rng.negBinomial(meanUnits(timeline, i), profile.size);
  return timeline;
}

export function generateTimelines(cfg: SampleConfig = DEFAULT_CONFIG): SkuTimeline[] {
  const end = parseEnd(cfg);
  const firstYear = new Date((end - cfg.historyDays) * 86_400_000).getUTCFullYear();
  const lastYear = new Date((end + cfg.planDays) * 86_400_000).getUTCFullYear();
  const hol = holidays(firstYear, lastYear);
  const out: SkuTimeline[] = [];
  for (let i = 0; i < cfg.skus; i++) out.push(simulateSku(makeProfile(cfg, i), cfg, hol));
  return out;
}
