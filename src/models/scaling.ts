/**
 * Per-SKU scaling and global covariate transforms (pure).
 *
 * - Target: z = log1p(units / scale), scale = mean of the observed non-zero units over the last
 *   season (falling back to the whole history, then 1). Quantiles survive the monotone transform,
 *   so a quantile learned on z is a quantile of units.
 * - Covariates: 0/1 columns stay flags; columns named like "price" become log(price / usual price of
 *   the SKU) (usual = median of its observed prices); other numbers are asinh-transformed and
 *   standardized over all SKUs (robust to dollar amounts such as markdowns).
 */
import { yearPeriods } from '../core/calendar.js';
import { type CovariateKind, covariateKinds } from './covariate-kind.js';
import type { SalesData, Series } from '../core/types.js';


export interface CovariateTransform {
  name: string;
  kind: CovariateKind;
  /** numeric: mean and sd of asinh(x) over all observed values. */
  mean: number;
  sd: number;
  /**
   * Set after training when feeding this covariate made the validation loss worse: it is then fed
   * as neutral (0) everywhere (only generic numeric covariates are screened; see lstm-forecaster.ts).
   */
  neutral?: boolean;
}

/** What the model remembers about one SKU. */
export interface SkuStats {
  sku: string;
  /** Divides units before log1p. */
  scale: number;
  /** Usual (median) value per covariate; only used for 'price' covariates, null otherwise. */
  usual: (number | null)[];
  /** Observed periods in the training history. */
  observed: number;
  /** Share of observed periods with zero units. */
  zeroShare: number;
  /** Per covariate: effect on z of one unit of the transformed covariate (effects.ts). */
  effects?: number[];
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Mean of observed non-zero |units| over the last `recent` periods, else the whole history, else 1. */
export function seriesScale(units: Float64Array, recent: number, end = units.length): number {
  const meanNonZero = (from: number) => {
    let sum = 0;
    let n = 0;
    for (let i = Math.max(0, from); i < end; i++) {
      const u = units[i]!;
      if (Number.isFinite(u) && u !== 0) {
        sum += Math.abs(u);
        n++;
      }
    }
    return n > 0 ? sum / n : 0;
  };
  const s = meanNonZero(end - recent) || meanNonZero(0);
  return s > 0 ? s : 1;
}

export function toScaled(units: number, scale: number): number {
  return units >= 0 ? Math.log1p(units / scale) : -Math.log1p(-units / scale);
}

export function fromScaled(z: number, scale: number): number {
  return z >= 0 ? Math.expm1(z) * scale : -Math.expm1(-z) * scale;
}

/** Decide how each covariate is transformed, from the training data. */
export function fitCovariateTransforms(data: SalesData): CovariateTransform[] {
  const kinds = covariateKinds(data);
  return data.covariates.map((name, k) => {
    const kind = kinds[k]!;
    if (kind !== 'numeric') return { name, kind, mean: 0, sd: 1 };
    let sum = 0;
    let sum2 = 0;
    let n = 0;
    for (const s of data.series) {
      const c = s.covariates[k]!;
      for (let i = 0; i < c.length; i++) {
        if (!Number.isFinite(c[i]!)) continue;
        const a = Math.asinh(c[i]!);
        sum += a;
        sum2 += a * a;
        n++;
      }
    }
    const mean = n > 0 ? sum / n : 0;
    const sd = n > 1 ? Math.sqrt(Math.max(0, sum2 / n - mean * mean)) : 0;
    return { name, kind: 'numeric', mean, sd: sd > 1e-9 ? sd : 1 };
  });
}

/** One covariate value -> model input; unknown (NaN) becomes the neutral 0. */
export function transformCovariate(t: CovariateTransform, x: number, usual: number | null): number {
  if (!Number.isFinite(x)) return 0;
  switch (t.kind) {
    case 'flag':
      return x;
    case 'price': {
      if (usual === null || !(usual > 0) || !(x > 0)) return 0;
      const r = Math.log(x / usual);
      return Math.max(-3, Math.min(3, r));
    }
    case 'numeric':
      return Math.max(-6, Math.min(6, (Math.asinh(x) - t.mean) / t.sd));
  }
}

/** How many periods of a series starting on day `start` lie before day `before` (0 to `length`). */
export function periodsBefore(s: Pick<Series, 'start' | 'units'>, before: number, step: number): number {
  return Math.max(0, Math.min(s.units.length, Math.ceil((before - s.start) / step)));
}

/** Observed periods among the first `end` (missing = not finite) and the share of them with zero units. */
export function observedShape(units: ArrayLike<number>, end: number): { observed: number; zeroShare: number } {
  let observed = 0;
  let zeros = 0;
  for (let i = 0; i < end; i++) {
    if (!Number.isFinite(units[i]!)) continue;
    observed++;
    if (units[i] === 0) zeros++;
  }
  return { observed, zeroShare: observed > 0 ? zeros / observed : 0 };
}

/** Scale, usual prices and shape statistics of one SKU, from the periods before `end`. */
export function skuStats(s: Series, transforms: CovariateTransform[], step: number, end = s.units.length): SkuStats {
  const { observed, zeroShare } = observedShape(s.units, end);
  const usual = transforms.map((t, k) => {
    if (t.kind !== 'price') return null;
    const vals: number[] = [];
    const c = s.covariates[k]!;
    for (let i = 0; i < end; i++) if (Number.isFinite(c[i]!) && c[i]! > 0) vals.push(c[i]!);
    const m = median(vals);
    return Number.isFinite(m) ? m : null;
  });
  return {
    sku: s.sku,
    scale: seriesScale(s.units, yearPeriods(step), end),
    usual,
    observed,
    zeroShare,
  };
}
