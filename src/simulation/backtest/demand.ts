/**
 * Sales history -> daily demand for the replay window, and daily demand statistics of the history
 * before the window (for the classic baseline). Pure.
 *
 * Rules (documented in docs/reorder-backtest.md):
 * - A period dated D covers the days D .. D + step - 1 (a weekly row dated D is the week starting
 *   on D). Its units are spread evenly over those days (weekly sales / 7 per day: fractional
 *   demand, the total over the week is exact).
 * - A missing period (NaN) and days the series does not cover count as zero demand: time passes,
 *   orders still arrive. They are counted (`missingDays`) so the command can warn about them.
 */
import type { Series } from '../../core/types.js';

export interface WindowDemand {
  demand: Float64Array;
  /** Days of the window with no observation (missing period or outside the series). */
  missingDays: number;
}

/** Daily demand of `series` over days from .. to (inclusive day numbers). */
export function dailyDemand(series: Series, step: number, from: number, to: number): WindowDemand {
  const days = to - from + 1;
  const demand = new Float64Array(days);
  const covered = new Uint8Array(days);
  const first = Math.max(0, Math.floor((from - series.start) / step));
  for (let i = first; i < series.units.length; i++) {
    const periodStart = series.start + i * step;
    if (periodStart > to) break;
    const v = series.units[i]!;
    if (Number.isNaN(v)) continue;
    const perDay = v / step;
    for (let k = 0; k < step; k++) {
      const t = periodStart + k - from;
      if (t < 0 || t >= days) continue;
      demand[t] = perDay;
      covered[t] = 1;
    }
  }
  let missingDays = 0;
  for (let t = 0; t < days; t++) if (covered[t] === 0) missingDays++;
  return { demand, missingDays };
}

export interface DemandStats {
  /** Observed periods used. */
  periods: number;
  /** Mean daily demand. */
  mean: number;
  /** Sd of daily demand: sd of period totals / sqrt(step), i.e. days assumed independent. */
  sd: number;
}

/**
 * Daily demand statistics from the observed periods that end before `before` (a day number).
 * Only history strictly before the replay window is used: an honest backtest.
 * `historyDays` limits the history to that many days before `before`.
 */
export function historyStats(series: Series, step: number, before: number, historyDays?: number): DemandStats {
  const from = historyDays === undefined ? Number.NEGATIVE_INFINITY : before - historyDays;
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < series.units.length; i++) {
    const periodStart = series.start + i * step;
    if (periodStart + step - 1 >= before) break;
    if (periodStart < from) continue;
    const v = series.units[i]!;
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
    sumSq += v * v;
  }
  if (n === 0) return { periods: 0, mean: Number.NaN, sd: Number.NaN };
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : Number.NaN;
  return { periods: n, mean: mean / step, sd: Math.sqrt(variance) / Math.sqrt(step) };
}
