/**
 * What the replanning loop sees at a replan date (pure): the history before it, the known
 * covariates of the forecast periods, and forecast periods spread to daily demand.
 */
import type { FuturePlan, SalesData, Series } from '../../core/types.js';
import { spreadToDays } from '../montecarlo/demand.js';

/** Known covariates of the forecast periods per SKU (core/types.ts FuturePlan). */
export type ReplanFuture = FuturePlan;

/** What a forecaster gives per SKU: mean and sd of each period after the origin. */
export interface PeriodForecast {
  mean: ArrayLike<number>;
  sd: ArrayLike<number>;
}

/** The sales periods that end strictly before day `t` (copies: later data cannot leak). */
export function historyBefore(data: SalesData, t: number): SalesData {
  const series: Series[] = [];
  for (const s of data.series) {
    const n = Math.max(0, Math.min(s.units.length, Math.floor((t - s.start) / data.step)));
    if (n === 0) continue;
    series.push({ sku: s.sku, start: s.start, units: s.units.slice(0, n), covariates: s.covariates.map((c) => c.slice(0, n)), observed: s.observed.slice(0, n) });
  }
  return { ...data, covariates: [...data.covariates], series };
}

/** Value of covariate k in the period of `s` that starts on `day`, else the last known one before it. */
function covariateAt(s: Series, k: number, day: number, step: number): number {
  const c = s.covariates[k]!;
  let i = Math.min(c.length - 1, Math.floor((day - s.start) / step));
  for (; i >= 0; i--) if (Number.isFinite(c[i]!)) return c[i]!;
  return 0;
}

/** The actual covariates of the forecast periods origin + step .. origin + horizon * step. */
export function actualFuture(data: SalesData, skus: Iterable<string>, origin: number, horizon: number): ReplanFuture {
  const plan: ReplanFuture = new Map();
  if (data.covariates.length === 0) return plan;
  const bySku = new Map(data.series.map((s) => [s.sku, s]));
  for (const sku of skus) {
    const s = bySku.get(sku);
    if (s === undefined) continue;
    plan.set(
      sku,
      data.covariates.map((_, k) => {
        const a = new Float64Array(horizon);
        for (let h = 0; h < horizon; h++) a[h] = covariateAt(s, k, origin + (h + 1) * data.step, data.step);
        return a;
      }),
    );
  }
  return plan;
}

/** Daily values of covariate k over from .. to (the period's value on each of its days; gaps: the last known). */
export function dailyCovariate(s: Series, k: number, step: number, from: number, to: number): Float64Array {
  const out = new Float64Array(to - from + 1);
  for (let d = from; d <= to; d++) out[d - from] = covariateAt(s, k, d, step);
  return out;
}

/** True when the first n values are finite and not negative. */
export function finiteOver(a: ArrayLike<number>, n: number): boolean {
  for (let i = 0; i < n; i++) if (!Number.isFinite(a[i]!) || a[i]! < 0) return false;
  return true;
}

/** Forecast periods -> daily demand from day t on, at least `needed` days (the last day repeated). */
export function dailyFrom(f: PeriodForecast, periods: number, step: number, offset: number, needed: number): { mean: Float64Array; sd: Float64Array; extended: boolean } {
  const d = spreadToDays(Array.from({ length: periods }, (_, i) => f.mean[i]!), Array.from({ length: periods }, (_, i) => f.sd[i]!), step);
  const have = d.mean.length - offset;
  const n = Math.max(have, needed);
  const mean = new Float64Array(n);
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = Math.min(offset + i, d.mean.length - 1);
    mean[i] = d.mean[j]!;
    sd[i] = d.sd[j]!;
  }
  return { mean, sd, extended: have < needed };
}
