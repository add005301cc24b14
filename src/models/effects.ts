/**
 * Per-SKU covariate effects (pure): how much a promotion flag or a price change moves this SKU's
 * scaled sales, estimated from its own history and shrunk towards the effect over all SKUs.
 * The network gets the implied effect of each period (sum over covariates of effect x value) as an
 * input, so it does not have to infer a SKU's promotion sensitivity from the few promotions that
 * happen to fall inside one history window.
 *
 * Estimate: d_t = z_t - mean z of the observed neighbours within +-LOCAL periods (the local level,
 * which removes level and slow seasonality), regressed on the transformed flag and price covariates
 * (ridge towards the global coefficients with SHRINK pseudo-observations). Generic numeric
 * covariates are left out (often confounded with the season).
 */
import type { SalesData } from '../core/types.js';
import { type CovariateTransform, type SkuStats, periodsBefore, toScaled, transformCovariate } from './scaling.js';

const SHRINK = 10;
const RIDGE = 1e-3;

export function localSpan(step: number): number {
  return step === 7 ? 4 : 14;
}

/** Solve (A) x = b for a small symmetric positive definite A by Gaussian elimination (A, b copied). */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let piv = i;
    for (let r = i + 1; r < n; r++) if (Math.abs(m[r * n + i]!) > Math.abs(m[piv * n + i]!)) piv = r;
    if (piv !== i) {
      for (let c = 0; c < n; c++) [m[i * n + c], m[piv * n + c]] = [m[piv * n + c]!, m[i * n + c]!];
      [x[i], x[piv]] = [x[piv]!, x[i]!];
    }
    const d = m[i * n + i]!;
    if (Math.abs(d) < 1e-12) continue;
    for (let r = i + 1; r < n; r++) {
      const f = m[r * n + i]! / d;
      if (f === 0) continue;
      for (let c = i; c < n; c++) m[r * n + c] = m[r * n + c]! - f * m[i * n + c]!;
      x[r] = x[r]! - f * x[i]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let c = i + 1; c < n; c++) s -= m[i * n + c]! * x[c]!;
    const d = m[i * n + i]!;
    x[i] = Math.abs(d) < 1e-12 ? 0 : s / d;
  }
  return x;
}

interface Gram {
  xx: Float64Array;
  xd: Float64Array;
}

/** Normal equations of one series over its periods before `end`. */
function seriesGram(units: ArrayLike<number>, covs: ArrayLike<number>[], transforms: CovariateTransform[], stats: SkuStats, step: number, end: number): Gram {
  const used = transforms.flatMap((t, k) => (t.kind === 'numeric' ? [] : [k]));
  const n = used.length;
  const xx = new Float64Array(n * n);
  const xd = new Float64Array(n);
  const L = localSpan(step);
  const z = new Float64Array(end).fill(Number.NaN);
  for (let i = 0; i < end; i++) if (Number.isFinite(units[i]!)) z[i] = toScaled(units[i]!, stats.scale);
  const x = new Float64Array(n);
  for (let t = 0; t < end; t++) {
    if (Number.isNaN(z[t]!)) continue;
    let sum = 0;
    let cnt = 0;
    for (let i = Math.max(0, t - L); i <= Math.min(end - 1, t + L); i++) {
      if (i !== t && !Number.isNaN(z[i]!)) {
        sum += z[i]!;
        cnt++;
      }
    }
    if (cnt < 2) continue;
    const d = z[t]! - sum / cnt;
    used.forEach((k, j) => (x[j] = transformCovariate(transforms[k]!, covs[k]![t]!, stats.usual[k] ?? null)));
    for (let i = 0; i < n; i++) {
      if (x[i] === 0) continue;
      xd[i] = xd[i]! + x[i]! * d;
      for (let j = 0; j < n; j++) xx[i * n + j] = xx[i * n + j]! + x[i]! * x[j]!;
    }
  }
  return { xx, xd };
}

/** Coefficients over used covariates -> one per covariate (0 for numeric ones). */
function expand(transforms: CovariateTransform[], beta: Float64Array): number[] {
  let j = 0;
  return transforms.map((t) => (t.kind === 'numeric' ? 0 : beta[j++]!));
}

function shrunk(g: Gram, global: number[], transforms: CovariateTransform[]): number[] {
  const prior = Float64Array.from(transforms.flatMap((t, k) => (t.kind === 'numeric' ? [] : [global[k]!])));
  const n = prior.length;
  const a = Float64Array.from(g.xx);
  const b = Float64Array.from(g.xd);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = a[i * n + i]! + SHRINK;
    b[i] = b[i]! + SHRINK * prior[i]!;
  }
  return expand(transforms, solve(a, b, n)).map((v) => Math.max(-3, Math.min(3, v)));
}

/**
 * Global and per-SKU effects (same order as data.series); fills `stats[i].effects`. `before`: only
 * the periods before this day count (LstmForecaster.fit: the validation span is left out, so the
 * forecasts at its rolling origins see effects estimated out of sample, as the future does).
 */
export function fitEffects(data: SalesData, transforms: CovariateTransform[], stats: SkuStats[], before = Infinity): number[] {
  const n = transforms.filter((t) => t.kind !== 'numeric').length;
  if (n === 0) {
    for (const s of stats) s.effects = transforms.map(() => 0);
    return transforms.map(() => 0);
  }
  const grams = data.series.map((s, i) => seriesGram(s.units, s.covariates, transforms, stats[i]!, data.step, periodsBefore(s, before, data.step)));
  const xx = new Float64Array(n * n);
  const xd = new Float64Array(n);
  for (const g of grams) {
    g.xx.forEach((v, i) => (xx[i] = xx[i]! + v));
    g.xd.forEach((v, i) => (xd[i] = xd[i]! + v));
  }
  for (let i = 0; i < n; i++) xx[i * n + i] = xx[i * n + i]! + RIDGE * (1 + xx[i * n + i]!);
  const global = expand(transforms, solve(xx, xd, n)).map((v) => Math.max(-3, Math.min(3, v)));
  grams.forEach((g, i) => (stats[i]!.effects = shrunk(g, global, transforms)));
  return global;
}

/** Effects of a SKU the model has not seen, from the history it comes with. */
export function effectsFor(units: ArrayLike<number>, covs: ArrayLike<number>[], transforms: CovariateTransform[], stats: SkuStats, step: number, end: number, global: number[]): number[] {
  if (transforms.every((t) => t.kind === 'numeric')) return transforms.map(() => 0);
  return shrunk(seriesGram(units, covs, transforms, stats, step, end), global, transforms);
}
