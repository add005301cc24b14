/**
 * The base of the local (per-series) classical forecasters, `LocalForecaster`, and what they
 * share: cutting a series at the forecast origin, seasonal lags, and uncertainty from in-sample
 * residuals of the same horizon. Pure.
 */
import { Z90 } from '../../core/stats.js';
import type { Freq, SalesData, Series } from '../../core/types.js';
import type { FuturePlan, Forecaster, SeriesForecast } from '../forecaster.js';

/** Residuals needed at a horizon step before its spread is trusted (else h-step scaling). */
export const MIN_RESIDUALS = 10;
/** Residuals needed before p10/p90 come from empirical residual quantiles instead of the normal. */
export const MIN_EMPIRICAL = 30;
/** Rolling origins used to collect in-sample h-step residuals (the most recent ones). */
export const MAX_ORIGINS = 200;

/** A series cut at the origin: index n - 1 is the origin; NaN where missing or after the data ends. */
export interface Cut {
  y: Float64Array;
  cov: Float64Array[];
  /** Day number of index 0. */
  start: number;
}

/** The part of `s` up to and including `origin`; periods after its last row up to origin are NaN. */
export function cutAt(s: Series, origin: number, step: number): Cut {
  const n = Math.max(0, Math.floor((origin - s.start) / step) + 1);
  const y = new Float64Array(n).fill(Number.NaN);
  const m = Math.min(n, s.units.length);
  y.set(s.units.subarray(0, m));
  const cov = s.covariates.map((c) => {
    const a = new Float64Array(n).fill(Number.NaN);
    a.set(c.subarray(0, m));
    return a;
  });
  return { y, cov, start: s.start };
}

export function observedCount(y: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i]!)) n++;
  return n;
}

/** Index of the last observed value before `end` (exclusive), or -1. */
export function lastObservedIndex(y: ArrayLike<number>, end: number): number {
  for (let i = Math.min(end, y.length) - 1; i >= 0; i--) if (!Number.isNaN(y[i]!)) return i;
  return -1;
}

/**
 * A point forecaster on one series: writes the forecasts for steps 1..out.length made from
 * y[0..end) into `out` (non-finite = cannot forecast from there).
 */
export type PointRule = (y: Float64Array, end: number, out: Float64Array) => void;

/**
 * In-sample residuals y[t + h] - f (t + h) of the rule at each horizon step, from the most recent
 * `maxOrigins` origins that have at least `minHistory` periods before them.
 */
export function rollingResiduals(y: Float64Array, horizon: number, rule: PointRule, minHistory: number, maxOrigins = MAX_ORIGINS): number[][] {
  const res: number[][] = Array.from({ length: horizon }, () => []);
  const out = new Float64Array(horizon);
  const n = y.length;
  const first = Math.max(minHistory, n - 1 - maxOrigins);
  for (let end = first; end < n; end++) {
    rule(y, end, out);
    for (let h = 1; h <= horizon && end - 1 + h < n; h++) {
      const a = y[end - 1 + h]!;
      const f = out[h - 1]!;
      if (!Number.isNaN(a) && Number.isFinite(f)) res[h - 1]!.push(a - f);
    }
  }
  return res;
}

function quantile(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Spread per horizon step from residuals (on whatever scale they were taken): sd = root mean square
 * residual where a step has >= MIN_RESIDUALS of them, otherwise the last trusted step's sd scaled by
 * sqrt(h / h_trusted); with no trusted step, `fallbackSd * sqrt(h)`. q10/q90 are empirical residual
 * quantiles where a step has >= MIN_EMPIRICAL residuals, else -/+ Z90 * sd.
 */
export function residualSpread(res: number[][], fallbackSd: number, H = res.length): { sd: Float64Array; q10: Float64Array; q90: Float64Array } {
  const sd = new Float64Array(H);
  const q10 = new Float64Array(H);
  const q90 = new Float64Array(H);
  let trustedH = 0;
  let trustedSd = fallbackSd;
  for (let h = 1; h <= H; h++) {
    const r = res[h - 1] ?? [];
    if (r.length >= MIN_RESIDUALS) {
      let ss = 0;
      for (const e of r) ss += e * e;
      sd[h - 1] = Math.sqrt(ss / r.length);
      trustedH = h;
      trustedSd = sd[h - 1]!;
    } else {
      sd[h - 1] = trustedH > 0 ? trustedSd * Math.sqrt(h / trustedH) : fallbackSd * Math.sqrt(h);
    }
    if (r.length >= MIN_EMPIRICAL) {
      const sorted = Float64Array.from(r).sort(); // numeric order (the residuals are finite)
      q10[h - 1] = quantile(sorted, 0.1);
      q90[h - 1] = quantile(sorted, 0.9);
    } else {
      q10[h - 1] = -Z90 * sd[h - 1]!;
      q90[h - 1] = Z90 * sd[h - 1]!;
    }
  }
  return { sd, q10, q90 };
}

/** Standard deviation of the observed values (0 when fewer than 2). */
export function observedSd(y: ArrayLike<number>): number {
  let n = 0;
  let s = 0;
  let ss = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (Number.isNaN(v)) continue;
    n++;
    s += v;
    ss += v * v;
  }
  if (n < 2) return 0;
  const m = s / n;
  return Math.sqrt(Math.max(0, ss / n - m * m));
}

/** Assemble a unit-scale forecast: mean clipped at 0, p10/p90 = mean + residual quantiles, clipped. */
export function unitForecast(model: string, mean: Float64Array, res: number[][], fallbackSd: number): SeriesForecast {
  const H = mean.length;
  const { sd, q10, q90 } = residualSpread(res, fallbackSd, H);
  const m = new Float64Array(H);
  const p10 = new Float64Array(H);
  const p90 = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    const f = Math.max(0, Number.isFinite(mean[h]!) ? mean[h]! : 0);
    m[h] = f;
    p10[h] = Math.min(f, Math.max(0, f + q10[h]!));
    p90[h] = Math.max(f, f + q90[h]!);
  }
  return { mean: m, sd, p10, p90, model };
}

/** Base for forecasters that treat each series on its own (nothing to learn across SKUs). */
export abstract class LocalForecaster implements Forecaster {
  abstract readonly name: string;
  protected freq: Freq = 'W';

  async fit(history: SalesData): Promise<void> {
    this.freq = history.freq;
  }

  /** Forecast one series cut at the origin (y may be empty or all missing). */
  protected abstract forecastSeries(cut: Cut, horizon: number, step: number, freq: Freq): SeriesForecast;

  async predict(history: SalesData, origin: number, horizon: number, _plan: FuturePlan): Promise<Map<string, SeriesForecast>> {
    const out = new Map<string, SeriesForecast>();
    for (const s of history.series) out.set(s.sku, this.forecastSeries(cutAt(s, origin, history.step), horizon, history.step, history.freq));
    return out;
  }
}
