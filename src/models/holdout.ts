/**
 * Holdout split for `forecast evaluate` (pure): the last N periods of the data become the actuals,
 * their covariates the plan (as a planner would have known them), everything before the history.
 */
import { forecastOrigins } from './origins.js';
import type { SalesData, Series } from '../core/types.js';
import type { FuturePlan } from './forecaster.js';

export interface Holdout {
  history: SalesData;
  /** Last history period (day number). */
  origin: number;
  /** Per SKU: actual units of the N holdout periods (NaN = missing). */
  actual: Map<string, Float64Array>;
  plan: FuturePlan;
}

export function splitHoldout(data: SalesData, n: number): Holdout {
  // The bulk's last period: a SKU far past the others (a mistyped date) does not move the holdout.
  return splitAt(data, forecastOrigins(data).common - n * data.step, n);
}

/**
 * The split at any cutoff (day number of the last history period): history up to and including
 * it, the next `n` periods as actuals and their covariates as the plan. Data after those periods
 * is not used. Series that start after the cutoff are left out.
 */
export function splitAt(data: SalesData, origin: number, n: number): Holdout {
  const series: Series[] = [];
  const actual = new Map<string, Float64Array>();
  const plan: FuturePlan = new Map();
  for (const s of data.series) {
    const keep = Math.min(s.units.length, Math.floor((origin - s.start) / data.step) + 1);
    if (keep <= 0) continue;
    series.push({
      sku: s.sku,
      start: s.start,
      units: s.units.slice(0, keep),
      covariates: s.covariates.map((c) => c.slice(0, keep)),
      observed: s.observed.slice(0, keep),
    });
    const y = new Float64Array(n).fill(Number.NaN);
    const cov = data.covariates.map(() => new Float64Array(n).fill(Number.NaN));
    for (let h = 0; h < n; h++) {
      const i = Math.round((origin + (h + 1) * data.step - s.start) / data.step);
      if (i < 0 || i >= s.units.length) continue;
      y[h] = s.units[i]!;
      s.covariates.forEach((c, k) => (cov[k]![h] = c[i]!));
    }
    actual.set(s.sku, y);
    plan.set(s.sku, cov);
  }
  return { history: { ...data, series }, origin, actual, plan };
}
