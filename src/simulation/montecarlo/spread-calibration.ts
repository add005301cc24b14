/**
 * Calibrating the forecast's spread over the protection interval from the forecaster's own past
 * errors, for `stock backtest --replan` (and any loop that forecasts again and again). Pure.
 *
 * Why: a forecaster gives an sd per period and the simulation draws the days of a lead time
 * independently, so simulated lead-time demand has variance sum(sd_d^2). Real forecast errors are
 * correlated across those days (a level the forecast missed stays missed for the whole lead time),
 * and some forecasters' sds are too narrow to begin with; either way the reorder point comes out
 * low and the policy misses its target (docs/reorder-backtest.md has the measurements).
 *
 * How: at every forecast origin t', each SKU's forecast of its protection interval (n days from
 * t') is recorded: mean mu = sum of the daily means, variance v = sum of the daily variances. Once
 * those n days are history at a later replan date t (they end before t and every day is observed),
 * the standardised error z = (actual - mu) / sqrt(v) is known. The factor applied to every daily
 * sd at t is c = sqrt(mean z^2) over the errors of the last `window` origins, pooled over SKUs:
 * the simulated lead-time demand then has the variance the errors actually showed. Each |z| is
 * capped at Z_CAP so that one SKU with a near-zero sd cannot set the factor for all; no error yet
 * gives c = 1. Nothing on or after t is used: the factor at t is a function of the history before t.
 */
import type { SalesData } from '../../core/types.js';
import { dailyDemand } from '../backtest/demand.js';
import type { SkuInput } from './engine.js';

/** Largest |z| counted (standardised errors beyond it count as Z_CAP). */
export const Z_CAP = 10;

interface Rec {
  t: number;
  sku: string;
  n: number;
  mu: number;
  v: number;
}

export class SpreadCalibration {
  private records: Rec[] = [];

  /** `window`: origins whose errors set the factor (the most recent ones with a known error). */
  constructor(private readonly window: number) {}

  /** The forecasts made at origin t (daily demand from t on), over each SKU's protection interval of `needed` days. */
  record(t: number, sims: readonly SkuInput[], needed: ReadonlyMap<string, number>): void {
    for (const s of sims) {
      const n = Math.min(needed.get(s.sku) ?? 1, s.demand.mean.length);
      let mu = 0;
      let v = 0;
      for (let d = 0; d < n; d++) {
        mu += s.demand.mean[d]!;
        v += s.demand.sd[d]! * s.demand.sd[d]!;
      }
      if (v > 0) this.records.push({ t, sku: s.sku, n, mu, v });
    }
  }

  /** The factor for the replan at day t, from the errors known in `history` (the data before t). */
  factor(t: number, history: SalesData): { factor: number; errors: number } {
    const closed = this.records.filter((r) => r.t + r.n - 1 < t);
    const origins = [...new Set(closed.map((r) => r.t))].sort((a, b) => b - a).slice(0, this.window);
    const keep = new Set(origins);
    // Older origins will never be used again.
    const oldest = origins.length === this.window ? origins[origins.length - 1]! : Number.NEGATIVE_INFINITY;
    this.records = this.records.filter((r) => r.t >= oldest);
    const bySku = new Map(history.series.map((s) => [s.sku, s]));
    let sum = 0;
    let n = 0;
    for (const r of closed) {
      if (!keep.has(r.t)) continue;
      const s = bySku.get(r.sku);
      if (s === undefined) continue;
      const w = dailyDemand(s, history.step, r.t, r.t + r.n - 1);
      if (w.missingDays > 0) continue;
      let actual = 0;
      for (let d = 0; d < r.n; d++) actual += w.demand[d]!;
      const z = Math.min(Z_CAP, Math.abs(actual - r.mu) / Math.sqrt(r.v));
      sum += z * z;
      n++;
    }
    return { factor: n > 0 ? Math.sqrt(sum / n) : 1, errors: n };
  }
}
