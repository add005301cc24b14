/**
 * Monte Carlo policy of one SKU. Simulate demand over the protection interval on `paths` paths,
 * then set the reorder level:
 * - cycle service level alpha: the alpha-quantile of protection-interval demand (no stockout in a
 *   replenishment cycle with probability alpha);
 * - fill rate beta: the smallest whole reorder level (>= 0) whose simulated fill rate reaches beta.
 * The achieved cycle service level and fill rate are measured on the same paths at the final
 * (whole-unit) level.
 *
 * Shortage per replenishment cycle, with backorders (the exact accounting, no textbook shortcut):
 * - (s,Q), order placed when the position reaches s: (D_L - s)+ - (D_L - s - Q)+, per Q ordered;
 * - (R,S), order up to S every R days: (D_{R+L} - S)+ - (D_L - S)+, per mean demand over R.
 */
import type { PolicyResult } from '../../core/contracts/policy.js';
import type { LeadTime } from '../../core/types.js';
import { type DailyDemand, type DemandDist, type DemandDistChoice, chooseDistribution } from './demand.js';
import { type PathBuffers, simulatePaths } from './paths.js';
import { type Policy, orderQuantity, requiredDays, sampleLeadTimes } from './policy.js';
import { Rng } from './rng.js';
import { meanSd, quantile } from '../../core/stats.js';

export type ServiceType = 'cycle' | 'fill';

export interface SkuInput {
  sku: string;
  /** Daily demand over the forecast horizon (weekly forecasts already spread, see demand.ts). */
  demand: DailyDemand;
  lead: LeadTime;
  /** The SKU's own order quantity (order_qty column), if any. */
  orderQty?: number;
  /** Days its policy stays in force, when set per SKU (`--valid-days forecast`); else SimConfig's. */
  validDays?: number;
}

export interface SimConfig {
  paths: number;
  seed: number;
  serviceLevel: number;
  serviceType: ServiceType;
  policy: Policy;
  demandDist: DemandDistChoice;
  orderQty?: number;
  orderCost?: number;
  holdingCost?: number;
  /**
   * Days the policy stays in force (until the next run that replaces it; default 1). An order may
   * leave on any of those days (under (R,S): on any review day 0, R, 2R, ... among them), so each
   * path's protection interval starts on one of those days of the forecast, drawn uniformly: the service target then holds over the orders of the
   * whole period, not only over those placed on its first day (docs/simulate.md).
   */
  validDays?: number;
}

/** The policy row's numbers (core/contracts/policy.ts) and what else the simulation reports. */
export interface SkuResult extends PolicyResult {
  /** Reorder level before rounding up (the quantile, or the fill-rate solution). */
  reorderLevel: number;
  distribution: DemandDist;
  /** Q of (s,Q); undefined under (R,S). */
  orderQty: number | undefined;
  /** Daily demand pieces drawn. */
  draws: number;
  /** Paths whose protection interval ran past the end of the forecast (the last day was reused). */
  pathsBeyondHorizon: number;
}

/** Relative tolerance for floating-point dust in sums of demand. */
const DUST = 1e-9;

/** E[(x - level)+] over sorted samples, with suffix sums: O(log n). */
function expectedExcess(sorted: Float64Array, suffix: Float64Array, level: number): number {
  const n = sorted.length;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= level) lo = mid + 1;
    else hi = mid;
  }
  return (suffix[lo]! - (n - lo) * level) / n;
}

function sortedWithSuffix(x: Float64Array): { sorted: Float64Array; suffix: Float64Array } {
  const sorted = Float64Array.from(x).sort();
  const suffix = new Float64Array(sorted.length + 1);
  for (let i = sorted.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + sorted[i]!;
  return { sorted, suffix };
}

/** Mean of (x - level)+ by a linear pass. */
function meanExcess(x: Float64Array, level: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) if (x[i]! > level) s += x[i]! - level;
  return s / x.length;
}

/** Simulated fill rate of a reorder level, for the given paths (exact shortage accounting above). */
export function fillRateAt(policy: Policy, dL: Float64Array, dP: Float64Array, level: number, q: number): number {
  if (policy.kind === 'sQ') return 1 - (meanExcess(dL, level) - meanExcess(dL, level + q)) / q;
  let demandR = 0;
  for (let i = 0; i < dP.length; i++) demandR += dP[i]! - dL[i]!;
  demandR /= dP.length;
  if (demandR <= 0) return 1;
  return 1 - (meanExcess(dP, level) - meanExcess(dL, level)) / demandR;
}

/** Share of paths without stockout at a reorder level (demand above it by floating-point dust only counts as served). */
export function cycleServiceAt(dP: Float64Array, level: number): number {
  const limit = level + DUST * Math.max(1, Math.abs(level));
  let ok = 0;
  for (let i = 0; i < dP.length; i++) if (dP[i]! <= limit) ok++;
  return ok / dP.length;
}

/** Smallest whole level >= 0 whose fill rate reaches `target` (fill rate is non-decreasing in the level). */
function solveFill(policy: Policy, dL: Float64Array, dP: Float64Array, q: number, target: number): number {
  const L = sortedWithSuffix(dL);
  const P = policy.kind === 'RS' ? sortedWithSuffix(dP) : L;
  let demandR = 0;
  if (policy.kind === 'RS') demandR = (P.suffix[0]! - L.suffix[0]!) / dP.length;
  const fill = (level: number): number => {
    if (policy.kind === 'sQ') return 1 - (expectedExcess(L.sorted, L.suffix, level) - expectedExcess(L.sorted, L.suffix, level + q)) / q;
    if (demandR <= 0) return 1;
    return 1 - (expectedExcess(P.sorted, P.suffix, level) - expectedExcess(L.sorted, L.suffix, level)) / demandR;
  };
  const n = dP.length;
  // At max(D_P) nothing is short. Reorder points are not negative (no planned backorders), so the
  // search starts at 0 even where a negative level would meet a low target with a large Q.
  let lo = -1;
  let hi = Math.max(0, Math.ceil(P.sorted[n - 1]!));
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fill(mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

function countBeyond(lead: Float64Array, offsets: Int32Array | undefined, policy: Policy, days: number): number {
  const review = policy.kind === 'RS' ? policy.review : 0;
  let n = 0;
  for (let i = 0; i < lead.length; i++) if ((offsets?.[i] ?? 0) + lead[i]! + review > days + DUST) n++;
  return n;
}

/** Round up, forgiving floating-point dust (900.0000000001 is 900). */
export function ceilUnits(x: number): number {
  return Math.ceil(x - DUST * Math.max(1, Math.abs(x))) + 0; // + 0 turns -0 into 0
}

export interface DemandPaths extends PathBuffers {
  distribution: DemandDist;
  /** Daily demand pieces drawn. */
  draws: number;
}

/** The simulated paths of one SKU: lead times, then demand (the random numbers, in this order). */
export function simulateDemand(input: SkuInput, cfg: Pick<SimConfig, 'paths' | 'seed' | 'policy' | 'demandDist' | 'validDays'>): DemandPaths {
  const rng = Rng.forSku(cfg.seed, input.sku);
  const n = cfg.paths;
  const review = cfg.policy.kind === 'RS' ? cfg.policy.review : 0;
  const dist = chooseDistribution(input.demand, requiredDays(input.lead, cfg.policy), cfg.demandDist);
  const bufs = { lead: new Float64Array(n), dL: new Float64Array(n), dP: new Float64Array(n) };
  sampleLeadTimes(rng, input.lead, bufs.lead);
  // Under (R,S) orders leave on review days only: offsets 0, R, 2R, ... below validDays.
  const stride = review > 0 ? review : 1;
  const slots = Math.ceil((input.validDays ?? cfg.validDays ?? 1) / stride);
  let offsets: Int32Array | undefined;
  if (slots > 1) {
    offsets = new Int32Array(n);
    for (let p = 0; p < n; p++) offsets[p] = stride * rng.below(slots);
  }
  const withOffsets = offsets === undefined ? bufs : { ...bufs, offsets };
  const draws = simulatePaths(rng, input.demand, dist, review, withOffsets);
  return { ...withOffsets, distribution: dist, draws };
}

/** The policy of one SKU. Deterministic for a given (seed, sku, input, config). */
export function simulateSku(input: SkuInput, cfg: SimConfig): SkuResult {
  return policyFromPaths(input, cfg, simulateDemand(input, cfg));
}

/**
 * The policies of one SKU at several service levels from one set of simulated paths (the paths do
 * not depend on the target). Each result is the one `simulateSku` gives with that service level.
 */
export function simulateSkuLevels(input: SkuInput, cfg: SimConfig, levels: readonly number[]): SkuResult[] {
  const paths = simulateDemand(input, cfg);
  return levels.map((serviceLevel, k) => {
    // The last level may reorder the paths in place; the others work on copies.
    const p = k === levels.length - 1 ? paths : { ...paths, lead: paths.lead, dL: Float64Array.from(paths.dL), dP: Float64Array.from(paths.dP) };
    return policyFromPaths(input, { ...cfg, serviceLevel }, p);
  });
}

/** Reorder level and achieved service from the simulated paths (reorders `paths.dP` in place). */
function policyFromPaths(input: SkuInput, cfg: SimConfig, paths: DemandPaths): SkuResult {
  const n = cfg.paths;
  const { dL, distribution: dist, draws } = paths;
  const dP = cfg.policy.kind === 'RS' ? paths.dP : dL;
  const { mean: demandMean, sd: demandSd } = meanSd(dP);

  let q: number | undefined;
  if (cfg.policy.kind === 'sQ') {
    let daily = 0;
    for (let t = 0; t < input.demand.mean.length; t++) daily += input.demand.mean[t]!;
    daily /= Math.max(1, input.demand.mean.length);
    q = orderQuantity(daily, { skuQty: input.orderQty, orderQty: cfg.orderQty, orderCost: cfg.orderCost, holdingCost: cfg.holdingCost });
  }

  let level: number;
  if (cfg.serviceType === 'fill') level = solveFill(cfg.policy, dL, dP, q ?? 0, cfg.serviceLevel);
  // In place: everything computed from the paths below is order-independent.
  else level = quantile(dP, cfg.serviceLevel);
  const reorderPoint = ceilUnits(level);

  return {
    sku: input.sku,
    leadTimeMean: input.lead.mean,
    leadTimeSd: input.lead.sd,
    demandMean,
    demandSd,
    safetyStock: ceilUnits(level - demandMean),
    reorderPoint,
    orderUpTo: q === undefined ? reorderPoint : reorderPoint + q,
    serviceLevelTarget: cfg.serviceLevel,
    cycleServiceLevel: cycleServiceAt(dP, reorderPoint),
    fillRate: fillRateAt(cfg.policy, dL, dP, reorderPoint, q ?? 0),
    paths: n,
    reorderLevel: level,
    distribution: dist,
    orderQty: q,
    draws,
    pathsBeyondHorizon: countBeyond(paths.lead, paths.offsets, cfg.policy, input.demand.mean.length),
  };
}
