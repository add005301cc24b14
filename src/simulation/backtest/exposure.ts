/**
 * The exposure of an order in the day-by-day replay, as a lead-time distribution the Monte Carlo
 * simulation can plan with (pure): the whole-day lead time the replay draws, less the day the
 * order is placed, plus under (s,Q) the part of the ordering day sold after the crossing.
 */
import type { LeadTime } from '../../core/types.js';
import type { Policy } from '../montecarlo/policy.js';
import { leadTimeSampler } from './lead-time-draws.js';

/** Whole-day lead-time draws, and draws of the ordering day's part, from which an exposure distribution is built. */
const EXPOSURE_DRAWS = 256;
/** Days of history that describe the ordering day (the undershoot below the reorder point). */
export const UNDERSHOOT_HISTORY_DAYS = 91;

/**
 * The ordering day's part of the exposure, in days of mean demand, from the daily demand the replay
 * saw in the last UNDERSHOOT_HISTORY_DAYS days before t. Under (s,Q) with an end-of-day review,
 * the position crosses the reorder point during some day and what is sold that day after the
 * crossing (the undershoot) is gone before the order is placed. The crossing falls on a day with
 * probability proportional to its demand (size-biased) and uniformly within it, so the undershoot
 * is u * d* (u uniform, d* a size-biased day): mean E[d^2] / (2 E[d]), half a day when every day
 * sells the same (weekly data spread evenly), a full day when the daily cv is 1. Without sales in
 * that history: half a day.
 */
export function undershootDays(recent: ArrayLike<number>, rand: () => number, n = EXPOSURE_DRAWS): Float64Array {
  const out = new Float64Array(n);
  let sum = 0;
  const cum = new Float64Array(recent.length);
  for (let i = 0; i < recent.length; i++) {
    sum += Math.max(0, recent[i]!);
    cum[i] = sum;
  }
  if (!(sum > 0)) {
    for (let k = 0; k < n; k++) out[k] = (k + 0.5) / n;
    return out;
  }
  const mean = sum / recent.length;
  for (let k = 0; k < n; k++) {
    const x = rand() * sum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    out[k] = (rand() * Math.max(0, recent[lo]!)) / mean;
  }
  return out;
}

/**
 * The time an order must cover in the day-by-day replay, as a lead-time distribution for the
 * simulation (observed exposures, resampled). The replay reviews at the end of each day and an order
 * placed on day t with a lead time of L whole days arrives at the start of day t + L:
 * - (s,Q): the ordering day's part after the crossing (`undershoot`, in days) then days t + 1 ..
 *   t + L - 1: L - 1 + undershoot, where `stock simulate`'s continuous model has L;
 * - (R,S): the order placed at the review on day t covers days t + 1 .. t + R + L - 1: R + L - 1.
 * L is drawn as the replay draws it (observed samples, gamma or fixed, rounded to whole days >= 1).
 */
export function replayExposure(lt: LeadTime, policy: Policy, rand: () => number, undershoot: Float64Array): LeadTime {
  const draw = leadTimeSampler(lt, rand);
  const n = undershoot.length;
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) samples[i] = draw() - 1 + (policy.kind === 'sQ' ? undershoot[i]! : 0);
  let mean = 0;
  for (const v of samples) mean += v;
  mean /= n;
  let v2 = 0;
  for (const v of samples) v2 += (v - mean) * (v - mean);
  return { mean, sd: Math.sqrt(v2 / n), samples };
}
