/**
 * Regression features for `promo_regression`: intercept, trend, yearly Fourier terms, day of week
 * (daily data) and the covariates, each turned into a number that means the same across SKUs:
 * - 0/1 columns (promo, feature, display, holiday flags): as they are;
 * - price columns (name contains "price", every value positive): log(price / the SKU's median
 *   positive price);
 * - other numeric columns: log1p when never negative (amounts such as markdown dollars), then
 *   standardized with the mean and sd over all SKUs.
 * Unknown values (NaN, or a price <= 0) become the neutral 0.
 * With `lagged`, each flag and price covariate enters once more with the previous period's value:
 * the week after a promotion sells less (pantry loading, the post-promotion dip), the week after a
 * holiday too. Pure.
 */
import { easterFlag, weekday } from '../../core/calendar.js';
import { FREQ_STEP_DAYS, type Freq, type SalesData } from '../../core/types.js';
import { dataEnd } from '../../sales-data.js';
import { type CovariateKind, covariateKinds, shortLivedCovariates } from '../covariate-kind.js';


export interface CovSpec {
  name: string;
  kind: CovariateKind;
  /** Fed as 0: a numeric covariate that only started to vary less than a yearly cycle before the fit's end (covariate-kind.ts shortLivedCovariates). */
  neutral?: boolean;
  /** numeric: log1p before standardizing. */
  log: boolean;
  center: number;
  scale: number;
}

export interface DesignSpec {
  freq: Freq;
  /** Yearly Fourier pairs (0 = none). */
  fourier: number;
  dayOfWeek: boolean;
  /** The Easter shopping period as a 0/1 regressor (core/calendar.ts easterFlag). */
  easter: boolean;
  /** Lag in periods of the "same period last year" feature (0 = none). */
  yearLag: number;
  covs: CovSpec[];
  /** Covariates (indices into covs) that also enter with their previous period's value. */
  lagged: number[];
}

/** The covariates that enter lagged too (see the header): the flags and prices. */
export function laggedCovariates(covs: readonly CovSpec[]): number[] {
  return covs.flatMap((c, k) => (c.kind === 'flag' || c.kind === 'price' ? [k] : []));
}

const YEAR = 365.25;

/**
 * Decide how each covariate enters the regression, from its values over all series; a numeric one
 * that only started to vary less than a yearly cycle before `end` (a day number) is fed as neutral.
 */
export function classifyCovariates(data: SalesData, end: number = dataEnd(data)): CovSpec[] {
  const kinds = covariateKinds(data);
  const shortLived = new Set(shortLivedCovariates(data, end, kinds));
  return data.covariates.map((name, k) => {
    const kind = kinds[k]!;
    if (kind !== 'numeric') return { name, kind, log: false, center: 0, scale: 1 };
    if (shortLived.has(k)) return { name, kind, neutral: true, log: false, center: 0, scale: 1 };
    let nonNeg = true;
    for (const s of data.series) for (const v of s.covariates[k]!) if (Number.isFinite(v) && v < 0) nonNeg = false;
    let n = 0;
    let sum = 0;
    let ss = 0;
    for (const s of data.series) {
      for (const raw of s.covariates[k]!) {
        if (!Number.isFinite(raw)) continue;
        const v = nonNeg ? Math.log1p(raw) : raw;
        n++;
        sum += v;
        ss += v * v;
      }
    }
    const center = sum / n;
    const sd = Math.sqrt(Math.max(0, ss / n - center * center));
    return { name, kind: 'numeric', log: nonNeg, center, scale: sd > 0 ? sd : 1 };
  });
}

export function featureCount(spec: DesignSpec): number {
  return firstCovariate(spec) + spec.covs.length + spec.lagged.length;
}

/** Index of the trend feature (penalized apart) and of the first covariate feature. */
export const TREND = 1;
export function firstCovariate(spec: DesignSpec): number {
  return 2 + 2 * spec.fourier + (spec.dayOfWeek ? 6 : 0) + (spec.easter ? 1 : 0) + (spec.yearLag > 0 ? 1 : 0);
}

/** Median of the positive finite values (NaN when none). */
export function positiveMedian(a: ArrayLike<number>): number {
  const v: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i]! > 0 && Number.isFinite(a[i]!)) v.push(a[i]!);
  if (v.length === 0) return Number.NaN;
  v.sort((x, y) => x - y);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Transform one covariate value; `median` is the SKU's usual price for price columns. */
export function covFeature(c: CovSpec, v: number, median: number): number {
  if (!Number.isFinite(v) || c.neutral === true) return 0;
  switch (c.kind) {
    case 'price':
      return v > 0 && median > 0 ? Math.log(v / median) : 0;
    case 'flag':
      return v;
    case 'numeric':
      return ((c.log ? Math.log1p(Math.max(0, v)) : v) - c.center) / c.scale;
  }
}

/**
 * Write the feature row of the period on day `day` into `out`; `covValue(k)` gives covariate k's
 * raw value, `medians[k]` the SKU's usual price of covariate k, `lastYear` the log1p units of the
 * same period a year earlier minus the SKU's mean log1p units (0 when unknown), `prevValue(k)`
 * covariate k's raw value in the period before (for `spec.lagged`). Trend is in years from `origin`.
 */
export function featureRow(
  spec: DesignSpec,
  day: number,
  origin: number,
  covValue: (k: number) => number,
  medians: Float64Array,
  lastYear: number,
  out: Float64Array,
  prevValue: (k: number) => number = () => Number.NaN,
): void {
  out[0] = 1;
  out[TREND] = (day - origin) / YEAR;
  let j = 2;
  for (let k = 1; k <= spec.fourier; k++) {
    const a = (2 * Math.PI * k * day) / YEAR;
    out[j++] = Math.sin(a);
    out[j++] = Math.cos(a);
  }
  if (spec.dayOfWeek) {
    const wd = weekday(day);
    for (let d = 1; d <= 6; d++) out[j++] = wd === d ? 1 : 0;
  }
  if (spec.easter) out[j++] = easterFlag(day, FREQ_STEP_DAYS[spec.freq]);
  if (spec.yearLag > 0) out[j++] = lastYear;
  for (let k = 0; k < spec.covs.length; k++) out[j++] = covFeature(spec.covs[k]!, covValue(k), medians[k]!);
  for (const k of spec.lagged) out[j++] = covFeature(spec.covs[k]!, prevValue(k), medians[k]!);
}
