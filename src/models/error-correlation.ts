/**
 * How much a forecast's errors over one SKU's consecutive periods move together, measured at the
 * rolling origins of the validation span, for `stock simulate`. Pure.
 *
 * Why: the simulation draws the days of a lead time independently, so the demand it simulates over
 * a lead time has the variance of the sum of the daily variances. When the forecast misses a level,
 * it misses it for the whole lead time: the errors of consecutive periods are positively
 * correlated, the sum is wider than that, and the reorder point comes out low (docs/reorder-
 * backtest.md, "Measured: a static policy"). `forecast predict` writes the correlation measured
 * here in the forecast file's `error_corr` column and `stock simulate` widens the lead-time demand
 * by it (simulation/montecarlo/inputs.ts `sumSpreadFactor`).
 *
 * How: each error is standardised with the mean and sd `stock simulate` derives from the calibrated
 * forecast (its median and 80% interval, core/stats.ts `momentsFromMedian`), capped at +-Z_CAP so
 * that one SKU with a near-zero sd cannot set the estimate. Within each window (one SKU from one
 * origin) every pair of periods is taken to have the same correlation rho, whatever their distance
 * (equicorrelation: a level error shared by the whole window). Its moment estimate pools the windows:
 * rho = sum_w ((sum z)^2 - sum z^2) / sum_w (n_w - 1) sum z^2, which tends to rho for equicorrelated
 * errors of any scale per window (the two sums have expectations n(n-1) rho s^2 and n(n-1) s^2). Clamped to
 * [0, 1]: errors that alternate in sign never make the lead-time demand narrower than independent
 * periods do.
 */
import { momentsFromMedian } from '../core/stats.js';

/** Largest |z| counted (standardised errors beyond it count as Z_CAP), as in the replan loop's calibration. */
export const Z_CAP = 10;

/**
 * The error of actual `y` standardised with the mean and sd implied by the median and the 80%
 * interval [lo, hi], capped at +-Z_CAP; undefined when the interval has no width (sd 0).
 */
export function standardizedError(y: number, median: number, lo: number, hi: number): number | undefined {
  const { mean, sd } = momentsFromMedian(median, lo, hi);
  if (!(sd > 0) || !Number.isFinite(mean)) return undefined;
  return Math.max(-Z_CAP, Math.min(Z_CAP, (y - mean) / sd));
}

export interface ErrorCorrelation {
  /** The pooled correlation between the errors of two periods of one window, in [0, 1]. */
  rho: number;
  /** Windows with two or more errors that went into it. */
  windows: number;
}

/** The equicorrelation of the standardised errors of each window (one array per window; see above). */
export function equicorrelation(windows: Iterable<ArrayLike<number>>): ErrorCorrelation | undefined {
  let num = 0;
  let den = 0;
  let used = 0;
  for (const z of windows) {
    if (z.length < 2) continue;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < z.length; i++) {
      s1 += z[i]!;
      s2 += z[i]! * z[i]!;
    }
    num += s1 * s1 - s2;
    den += (z.length - 1) * s2;
    used++;
  }
  if (used === 0 || !(den > 0)) return undefined;
  return { rho: Math.max(0, Math.min(1, num / den)), windows: used };
}
