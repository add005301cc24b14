/**
 * The textbook order-point policy, built from history alone: the baseline `stock backtest
 * --baseline classic` compares a Monte Carlo policy against. Pure.
 *
 *   safety stock  SS  = z * sd(daily demand) * sqrt(L)        (L = mean lead time in days)
 *   reorder point ROP = mean(daily demand) * L + SS
 *   order-up-to   S   = ROP + Q
 *
 * z = inverse normal CDF of the cycle service level. Lead-time variability is ignored, as in the
 * textbook formula: that is exactly what the comparison is meant to expose. SS, ROP and S are
 * rounded up to whole units, as `stock simulate` does. Q is, by default, the Q of the policy being
 * compared (its order_up_to - reorder_point), so both policies differ only in their reorder point;
 * with `orderDays` it is that many days of mean demand instead.
 */
import type { SalesData } from '../../core/types.js';
import { historyStats } from './demand.js';
import type { LeadTime } from '../../core/types.js';
import type { SkuPolicy } from '../ordering.js';
import { normInv } from '../../core/stats.js';

/** Inverse standard normal CDF: the one in stats.ts, which `stock simulate` uses too. */
export { normInv as normalQuantile };

export interface ClassicInput {
  sku: string;
  /** Mean and sd of daily demand over the history before the replay window. */
  demandMean: number;
  demandSd: number;
  /** Mean lead time in days. */
  leadTimeMean: number;
  /** Order quantity Q in units (already decided: the compared policy's Q or days of demand). */
  orderQty: number;
}

export interface ClassicPolicy extends SkuPolicy {
  safetyStock: number;
  demandMean: number;
  demandSd: number;
}

/** Round up to whole units, ignoring float noise (998.0000000001 -> 998). */
function ceilUnits(x: number): number {
  return Math.ceil(x - 1e-9);
}

export function classicPolicy(input: ClassicInput, serviceLevel: number): ClassicPolicy {
  const z = normInv(serviceLevel);
  const L = input.leadTimeMean;
  const ss = Math.max(0, z * input.demandSd * Math.sqrt(L));
  const rop = ceilUnits(input.demandMean * L + ss);
  const q = Math.max(0, ceilUnits(input.orderQty));
  return {
    sku: input.sku,
    reorderPoint: rop,
    orderUpTo: rop + q,
    leadTimeMean: L,
    leadTimeSd: Number.NaN,
    safetyStock: ceilUnits(ss),
    demandMean: input.demandMean,
    demandSd: input.demandSd,
  };
}

export interface ClassicOptions {
  serviceLevel: number;
  /** Q = this many days of mean daily demand; undefined = the Q of `matchQ`'s policy for the SKU. */
  orderDays?: number;
  /** Policies whose Q (order_up_to - reorder_point) the baseline reuses, by SKU. */
  matchQ?: Map<string, SkuPolicy>;
  /** Limit the history to this many days before the window (default: all of it). */
  historyDays?: number;
}

export interface ClassicBuild {
  policies: SkuPolicy[];
  /** SKUs without a baseline, and why. */
  excluded: { sku: string; reason: string }[];
}

/** The classic policy of every SKU of `data` that has a lead time, from history before `before`. */
export function classicPolicies(
  data: SalesData,
  before: number,
  leadTimes: Map<string, LeadTime>,
  opts: ClassicOptions,
): ClassicBuild {
  const policies: SkuPolicy[] = [];
  const excluded: { sku: string; reason: string }[] = [];
  for (const s of data.series) {
    const lt = leadTimes.get(s.sku);
    if (lt === undefined) continue;
    const stats = historyStats(s, data.step, before, opts.historyDays);
    if (stats.periods < 2) {
      excluded.push({ sku: s.sku, reason: `classic baseline needs 2 observed periods before the window, found ${stats.periods}` });
      continue;
    }
    let orderQty: number;
    if (opts.orderDays !== undefined) orderQty = opts.orderDays * stats.mean;
    else {
      const p = opts.matchQ?.get(s.sku);
      if (p === undefined) continue;
      orderQty = p.orderUpTo - p.reorderPoint;
    }
    policies.push(classicPolicy({ sku: s.sku, demandMean: stats.mean, demandSd: stats.sd, leadTimeMean: lt.mean, orderQty }, opts.serviceLevel));
  }
  return { policies, excluded };
}
