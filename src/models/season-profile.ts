/**
 * Per-SKU seasonal profiles (pure; feature version 4): each SKU's smooth yearly curve on the
 * scaled-sales scale, estimated from its whole history and shrunk towards the curve over all SKUs. The network gets the profile of each period, relative to
 * its mean over the history window, as an input (windows.ts).
 *
 * Why: a history window is 26 weeks or 56 days, so the network reads the coming season from the
 * same period one year back, one noisy observation per step (last year's promotions included). A
 * regression over the whole history (promo_regression's yearly Fourier terms) knows each SKU's
 * curve far better; on the simulated samples the LSTM's forecasts drifted away from the true mean
 * over the 28 days of the horizon twice as much as promo_regression's (docs/forecasting.md).
 *
 * Estimate, per SKU on z = log1p(units / scale) over the periods before `end`: least squares on
 * [intercept, trend in years, the flag and price covariates (transformed as the network sees them),
 * yearly Fourier pairs] (how many: seasonTerms), the seasonal and covariate coefficients ridge-shrunk
 * towards the pooled ones (SHRINK pseudo-observations), which come from all SKUs with each SKU's
 * own intercept and trend partialled out (fixed effects). The profile keeps the seasonal terms only:
 * the covariates are in the regression so that promotions timed with the season do not bend the
 * curve (their effect is the separate effect input, effects.ts).
 */
import { dayOfYear } from '../core/calendar.js';
import type { Freq, SalesData, Series } from '../core/types.js';
import { type CovariateTransform, type SkuStats, periodsBefore, toScaled, transformCovariate } from './scaling.js';

/** Pseudo-observations pulling a SKU's coefficients towards the pooled ones. */
const SHRINK = 10;
const RIDGE = 1e-6;
/** Coefficients are clipped to +-CLIP (z units). */
const CLIP = 3;

/** The seasonal terms of a model: yearly Fourier pairs (0: no profile, no input). */
export interface SeasonTerms {
  fourier: number;
}

/**
 * Daily data: 4 yearly Fourier pairs when the training periods span two yearly cycles (one cycle
 * cannot tell a yearly curve from a trend and from that year's accidents; ets asks the same).
 * Otherwise, and for weekly data, none. Measured (docs/forecasting.md): a weekly profile (10 pairs,
 * promo_regression's default) made the LSTM worse on Walmart (0.093 -> 0.100 WAPE, 1.7 years of
 * training periods) and on the synthetic grocery panel (0.448 -> 0.469, 1.4 years), and no weekly
 * data set here has two years before its cutoffs; weekday dummies beside the yearly pairs changed
 * nothing on the samples (the window's 8 weeks show the weekday pattern) and cost 0.003 WAPE on the
 * daily retail panel.
 */
export function seasonTerms(freq: Freq, twoYears: boolean): SeasonTerms {
  if (process.env.STOCKCAST_EXP_WEEKLY === '1') return { fourier: twoYears ? (freq === 'D' ? 4 : 10) : 0 };
  return { fourier: freq === 'D' && twoYears ? 4 : 0 };
}

/** Yearly cycles the training periods must span for a profile (experiment knob). */
export const PROFILE_CYCLES = process.env.STOCKCAST_EXP_WEEKLY === '1' ? 1.25 : 2;

export function seasonSize(t: SeasonTerms): number {
  return 2 * t.fourier;
}

/** The seasonal terms of one day into `out` at `at`. */
export function writeSeasonTerms(t: SeasonTerms, day: number, out: Float64Array, at: number): void {
  if (t.fourier === 0) return;
  let j = at;
  const { doy, yearLength } = dayOfYear(day);
  const phase = (2 * Math.PI * doy) / yearLength;
  for (let k = 1; k <= t.fourier; k++) {
    out[j++] = Math.sin(k * phase);
    out[j++] = Math.cos(k * phase);
  }
}

/** A SKU's seasonal profile on `day`: the sum of its coefficients times the terms. */
export function seasonValue(t: SeasonTerms, coefficients: readonly number[], day: number, scratch = new Float64Array(seasonSize(t))): number {
  writeSeasonTerms(t, day, scratch, 0);
  let v = 0;
  for (let j = 0; j < scratch.length; j++) v += (coefficients[j] ?? 0) * scratch[j]!;
  return v;
}

/** Whether the observed periods before day `before` span at least `cycles` yearly cycles (364 days each). */
export function spansYears(data: SalesData, cycles: number, before = Infinity): boolean {
  let first = Infinity;
  let last = -Infinity;
  for (const s of data.series) {
    const end = periodsBefore(s, before, data.step);
    for (let i = 0; i < end; i++) {
      if (!Number.isFinite(s.units[i]!)) continue;
      first = Math.min(first, s.start + i * data.step);
      last = Math.max(last, s.start + i * data.step);
    }
  }
  return last - first >= 364 * cycles;
}

/** Normal equations of one series over [1, trend, covariates, seasonal terms] and z (p = their number). */
interface Gram {
  p: number;
  xx: Float64Array;
  xz: Float64Array;
  n: number;
}

function covariatesUsed(transforms: CovariateTransform[]): number[] {
  return transforms.flatMap((t, k) => (t.kind === 'numeric' ? [] : [k]));
}

function seriesGram(s: Series, step: number, transforms: CovariateTransform[], stats: SkuStats, terms: SeasonTerms, end: number): Gram {
  const used = covariatesUsed(transforms);
  const p = 2 + used.length + seasonSize(terms);
  const xx = new Float64Array(p * p);
  const xz = new Float64Array(p);
  const x = new Float64Array(p);
  let n = 0;
  for (let i = 0; i < end; i++) {
    const u = s.units[i]!;
    if (!Number.isFinite(u)) continue;
    const day = s.start + i * step;
    const z = toScaled(u, stats.scale);
    x[0] = 1;
    x[1] = (i * step) / 365.25;
    used.forEach((k, j) => (x[2 + j] = transformCovariate(transforms[k]!, s.covariates[k]![i]!, stats.usual[k] ?? null)));
    writeSeasonTerms(terms, day, x, 2 + used.length);
    for (let a = 0; a < p; a++) {
      if (x[a] === 0) continue;
      xz[a] = xz[a]! + x[a]! * z;
      for (let b = 0; b < p; b++) xx[a * p + b] = xx[a * p + b]! + x[a]! * x[b]!;
    }
    n++;
  }
  return { p, xx, xz, n };
}

/** Solve A x = b (A symmetric, p x p) by Gaussian elimination with partial pivoting; A and b copied. */
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

/**
 * The Gram of the covariate and seasonal columns with the SKU's intercept and trend partialled out
 * (Schur complement of the 2 x 2 block), for the pooled fixed-effects estimate; null when the SKU
 * has too few periods to separate its level and trend.
 */
function partialled(g: Gram): { xx: Float64Array; xz: Float64Array } | null {
  const { p, xx, xz } = g;
  if (g.n < 3) return null;
  const a00 = xx[0]!;
  const a01 = xx[1]!;
  const a11 = xx[p + 1]!;
  const det = a00 * a11 - a01 * a01;
  if (!(det > 1e-9 * Math.max(1, a00 * a11))) return null;
  const i00 = a11 / det;
  const i01 = -a01 / det;
  const i11 = a00 / det;
  const q = p - 2;
  const out = new Float64Array(q * q);
  const cross = new Float64Array(q);
  // (A^-1 row) . (column b of the A block), for each remaining column b.
  const w0 = new Float64Array(q);
  const w1 = new Float64Array(q);
  for (let b = 0; b < q; b++) {
    const c0 = xx[0 * p + 2 + b]!;
    const c1 = xx[1 * p + 2 + b]!;
    w0[b] = i00 * c0 + i01 * c1;
    w1[b] = i01 * c0 + i11 * c1;
  }
  for (let a = 0; a < q; a++) {
    const r0 = xx[(2 + a) * p]!;
    const r1 = xx[(2 + a) * p + 1]!;
    for (let b = 0; b < q; b++) out[a * q + b] = xx[(2 + a) * p + 2 + b]! - (r0 * w0[b]! + r1 * w1[b]!);
    cross[a] = xz[2 + a]! - (r0 * (i00 * xz[0]! + i01 * xz[1]!) + r1 * (i01 * xz[0]! + i11 * xz[1]!));
  }
  return { xx: out, xz: cross };
}

/** A SKU's coefficients: its own least squares, the non-level columns shrunk towards `pooled`. */
function shrunk(g: Gram, pooled: readonly number[]): number[] {
  const { p } = g;
  const a = Float64Array.from(g.xx);
  const b = Float64Array.from(g.xz);
  for (let i = 0; i < p; i++) a[i * p + i] = a[i * p + i]! + RIDGE * (1 + a[i * p + i]!);
  for (let i = 2; i < p; i++) {
    a[i * p + i] = a[i * p + i]! + SHRINK;
    b[i] = b[i]! + SHRINK * pooled[i - 2]!;
  }
  const beta = solve(a, b, p);
  return [Number.isFinite(beta[0]!) ? Math.max(-10, Math.min(10, beta[0]!)) : 0, ...Array.from(beta.subarray(1), clip)];
}

function clip(v: number): number {
  return Number.isFinite(v) ? Math.max(-CLIP, Math.min(CLIP, v)) : 0;
}

/**
 * Experiment knobs. STOCKCAST_EXP_BASE: the parts of the per-SKU regression the profile holds, any of
 * 's' (yearly terms), 'c' (flag and price covariates), 't' (trend); default 's' (the seasonal
 * profile). With more than 's' the stored coefficients are [trend, covariates used, seasonal terms]
 * (zeros for parts left out). STOCKCAST_EXP_OFFSET=1: the network's targets and outputs are relative
 * to the profile (anchor + profile - its window mean) instead of the anchor alone.
 */
export const PROFILE_PARTS = process.env.STOCKCAST_EXP_BASE ?? 's';
export const PROFILE_OFFSET = process.env.STOCKCAST_EXP_OFFSET === '1' || process.env.STOCKCAST_EXP_OFFSET === '2';
/**
 * STOCKCAST_EXP_OFFSET=2: the profile is the whole regression (intercept included, stored first);
 * the network's inputs read it relative to the anchor and its outputs are relative to it, so the
 * network's default forecast is the regression's.
 */
export const PROFILE_LEVEL = process.env.STOCKCAST_EXP_OFFSET === '2';
/** Observed periods a SKU needs before a level profile is fitted (else none: the window's anchor). */
const LEVEL_MIN = 8;

/** Whether the stored coefficients hold more than the seasonal terms. */
export function fullProfile(): boolean {
  return PROFILE_PARTS !== 's' || PROFILE_LEVEL;
}

/** The stored part of a fit: `trend` and `coefficients` over [covariates used, seasonal terms]. */
function seasonalPart(coefficients: readonly number[], transforms: CovariateTransform[], trend = 0): number[] {
  const nc = covariatesUsed(transforms).length;
  if (!fullProfile()) return coefficients.slice(nc);
  const has = (c: string) => PROFILE_PARTS.includes(c);
  return [has('t') ? trend : 0, ...coefficients.slice(0, nc).map((v) => (has('c') ? v : 0)), ...coefficients.slice(nc).map((v) => (has('s') ? v : 0))];
}

/** The stored part of a SKU's own fit ([intercept, trend, covariates, season] from `shrunk`). */
function ownPart(beta: readonly number[], transforms: CovariateTransform[], n = Infinity): number[] {
  if (PROFILE_LEVEL) return n < LEVEL_MIN ? [] : [beta[0]!, ...seasonalPart(beta.slice(2), transforms, beta[1]!)];
  return seasonalPart(beta.slice(2), transforms, beta[1]!);
}

/** The stored part of the pooled coefficients (the profile of a SKU with no fit of its own). */
export function pooledPart(pooled: readonly number[], transforms: CovariateTransform[]): number[] {
  if (PROFILE_LEVEL) return [];
  return seasonalPart(pooled, transforms);
}

/** Indices of the covariates the regression uses (flags and prices). */
export function profileCovariates(transforms: CovariateTransform[]): number[] {
  return covariatesUsed(transforms);
}

/**
 * Pooled and per-SKU seasonal profiles (same order as data.series); fills `stats[i].season`.
 * `before`: only the periods before this day count (the validation span is left out, as for the
 * covariate effects). Returns the pooled coefficients over [covariates used, seasonal terms] (the
 * prior of a SKU the model has not seen).
 */
export function fitSeasonProfiles(data: SalesData, transforms: CovariateTransform[], stats: SkuStats[], terms: SeasonTerms, before = Infinity): number[] {
  const q = covariatesUsed(transforms).length + seasonSize(terms);
  if (seasonSize(terms) === 0) {
    for (const s of stats) s.season = [];
    return new Array<number>(q).fill(0);
  }
  const grams = data.series.map((s, i) => seriesGram(s, data.step, transforms, stats[i]!, terms, periodsBefore(s, before, data.step)));
  const xx = new Float64Array(q * q);
  const xz = new Float64Array(q);
  for (const g of grams) {
    const r = partialled(g);
    if (r === null) continue;
    r.xx.forEach((v, i) => (xx[i] = xx[i]! + v));
    r.xz.forEach((v, i) => (xz[i] = xz[i]! + v));
  }
  for (let i = 0; i < q; i++) xx[i * q + i] = xx[i * q + i]! + 1e-3 * (1 + xx[i * q + i]!);
  const pooled = Array.from(solve(xx, xz, q), clip);
  grams.forEach((g, i) => (stats[i]!.season = g.n === 0 ? pooledPart(pooled, transforms) : ownPart(shrunk(g, pooled), transforms, g.n)));
  return pooled;
}

/** The seasonal profile of a SKU the model has not seen, from the history it comes with. */
export function seasonProfileFor(s: Series, step: number, transforms: CovariateTransform[], stats: SkuStats, terms: SeasonTerms, end: number, pooled: readonly number[]): number[] {
  if (seasonSize(terms) === 0) return [];
  const g = seriesGram(s, step, transforms, stats, terms, end);
  return g.n === 0 ? pooledPart(pooled, transforms) : ownPart(shrunk(g, pooled), transforms, g.n);
}

/** Days between the training-time profile fits (forwardProfiles). */
export const PROFILE_REFIT_DAYS = 91;

/**
 * The profiles a training window reads, each fitted only on periods before its day: the first one
 * yearly cycle (364 days) after the first observed day, then every PROFILE_REFIT_DAYS, and the last
 * before `end` (the day after the training periods). A window then reads the latest fitted on
 * periods up to its origin (windows.ts profileAt), as a forecast reads the one fitted on the whole
 * history up to its origin: the network learns how far such a curve can be trusted from curves
 * that did not see the weeks it forecasts. (Fitted once on all the training periods, the curve
 * had seen every training window's targets, and the network trusted it too much: on weekly data the
 * next cutoffs got worse, docs/forecasting.md.) Returns each fit's day and every SKU's coefficients.
 */
export function forwardProfiles(data: SalesData, transforms: CovariateTransform[], stats: SkuStats[], terms: SeasonTerms, end: number): { before: number; season: number[][] }[] {
  if (seasonSize(terms) === 0) return [];
  let first = Infinity;
  for (const s of data.series) {
    const i = s.units.findIndex((u) => Number.isFinite(u));
    if (i >= 0) first = Math.min(first, s.start + i * data.step);
  }
  const days: number[] = [];
  for (let d = first + 364; d < end; d += PROFILE_REFIT_DAYS) days.push(d);
  if (Number.isFinite(first)) days.push(end);
  return days.map((before) => {
    const own = stats.map((s) => ({ ...s }));
    fitSeasonProfiles(data, transforms, own, terms, before);
    return { before, season: own.map((s) => s.season ?? []) };
  });
}
