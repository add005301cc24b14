/**
 * Replenishment policies and their parameters: the lead-time distribution, the protection
 * interval, the order quantity (given, EOQ or the default) and the horizon a SKU needs.
 */
import type { LeadTime } from '../../core/types.js';
import type { Rng } from './rng.js';

/** (s,Q): continuous review, order Q when the position reaches s. (R,S): every R days order up to S. */
export type Policy = { kind: 'sQ' } | { kind: 'RS'; review: number };

/** Days between reviews: R under (R,S), 0 under continuous review (s,Q). */
export function reviewDays(policy: Policy): number {
  return policy.kind === 'RS' ? policy.review : 0;
}

/** Default order quantity without --order-qty, an order_qty column or EOQ costs: 30 days of mean demand. */
export const DEFAULT_Q_DAYS = 30;

/** Economic order quantity sqrt(2 K lambda / h): K cost per order, lambda demand per year, h holding cost per unit per year. */
export function eoq(orderCost: number, annualDemand: number, holdingCost: number): number {
  return Math.sqrt((2 * orderCost * annualDemand) / holdingCost);
}

/**
 * Draw one lead time per path into `out`: fixed when sd is 0; resampled observations when given;
 * otherwise gamma with the given mean and sd (positive, right-skewed, like real lead times).
 */
export function sampleLeadTimes(rng: Rng, lt: LeadTime, out: Float64Array): void {
  const n = out.length;
  if (lt.samples !== undefined && lt.samples.length > 0) {
    const k = lt.samples.length;
    for (let i = 0; i < n; i++) out[i] = lt.samples[rng.below(k)]!;
  } else if (lt.sd > 0 && lt.mean > 0) {
    const shape = (lt.mean * lt.mean) / (lt.sd * lt.sd);
    const scale = (lt.sd * lt.sd) / lt.mean;
    for (let i = 0; i < n; i++) out[i] = rng.gamma(shape) * scale;
  } else out.fill(lt.mean);
}

/** Whether every path has the same lead time. */
export function isFixed(lt: LeadTime): boolean {
  if (lt.samples !== undefined && lt.samples.length > 0) return lt.samples.every((v) => v === lt.samples![0]);
  return !(lt.sd > 0);
}

/**
 * Days of forecast the protection interval needs: R + the mean lead time (the textbook protection
 * interval). Random lead times longer than the forecast reuse its last day on those paths; the
 * simulation counts them (SkuResult.pathsBeyondHorizon).
 */
export function requiredDays(lt: LeadTime, policy: Policy, validDays = 1): number {
  const review = reviewDays(policy);
  // A policy in force validDays days protects intervals starting on any of them (engine.ts).
  return Math.max(1, Math.ceil(review + lt.mean - 1e-9)) + validDays - 1;
}

/**
 * Order quantity of an (s,Q) SKU: the SKU's own (order_qty column), else --order-qty, else the EOQ
 * when both costs are given, else DEFAULT_Q_DAYS days of mean daily demand; rounded up, at least 1.
 */
export function orderQuantity(
  meanDaily: number,
  opts: { skuQty?: number; orderQty?: number; orderCost?: number; holdingCost?: number },
): number {
  let q: number;
  if (opts.skuQty !== undefined) q = opts.skuQty;
  else if (opts.orderQty !== undefined) q = opts.orderQty;
  else if (opts.orderCost !== undefined && opts.holdingCost !== undefined) q = eoq(opts.orderCost, 365 * meanDaily, opts.holdingCost);
  else q = DEFAULT_Q_DAYS * meanDaily;
  return Math.max(1, Math.ceil(q - 1e-9));
}
