/**
 * Day-by-day replay of one SKU under an order-point policy. Pure: no I/O, no hidden randomness
 * (lead times come from the sampler passed in).
 *
 * Each day t, in this order:
 *   1. Arrivals: orders due on day t are added to on-hand at the start of the day. Under
 *      backorders, waiting backorders are filled first from what arrived.
 *   2. Demand: served = min(on-hand, demand). The rest is unmet: lost, or added to the backlog.
 *      "served" is demand served from stock on the day it occurred, so served + unmet = demand
 *      under both rules, and fill rate = served / demand (a backordered unit is not "served" even
 *      when it is delivered later).
 *   3. Review (end of day; every day by default, continuous review, or on days 0, R, 2R, ... with
 *      a review period R for an (R,S) policy): position = on-hand + on-order - backlog; when
 *      position <= reorder point one order of `decideOrder` is placed and arrives at the start of
 *      day t + L, L >= 1 drawn.
 *
 * Cycle service level: every day with at least one arrival closes a replenishment cycle (the
 * first cycle starts on day 0); a cycle fails when any of its days had unmet demand. The open
 * cycle after the last arrival is counted only if it already failed (an unfinished cycle
 * without a stockout has not yet succeeded). No cycle at all -> NaN.
 */
import { type OrderConstraints, decideOrder, inventoryPosition } from './ordering.js';

export type UnmetRule = 'lost' | 'backorder';

const NO_REVIEW = { qty: 0, reason: 'no_review' };

export interface OpeningStock {
  onHand: number;
  /** Arrives after one lead-time draw (the SKU's first draw). */
  onOrder?: number;
  /** Only kept under backorders; ignored (already lost) under lost sales. */
  backorders?: number;
}

export interface ReplayInput {
  /** Demand per day, day 0 = first replayed day. */
  demand: ArrayLike<number>;
  reorderPoint: number;
  orderUpTo: number;
  constraints?: OrderConstraints;
  opening: OpeningStock;
  /** Whole days >= 1; called once per order, in order. */
  leadTime: () => number;
  unmet: UnmetRule;
  /** Review every R days (periodic review, (R,S)); default 1 = continuous review. */
  reviewPeriod?: number;
  /** Record every day (tests, debugging). */
  trace?: boolean;
}

export interface DayTrace {
  day: number;
  arrived: number;
  demand: number;
  served: number;
  unmet: number;
  /** On-hand at the end of the day, after demand. */
  onHand: number;
  backlog: number;
  position: number;
  ordered: number;
  /** Arrival day of today's order, -1 when none. */
  arrivesOn: number;
}

export interface ReplayMetrics {
  days: number;
  demand: number;
  served: number;
  unmet: number;
  /** served / demand; NaN when demand is 0. */
  fillRate: number;
  cycles: number;
  failedCycles: number;
  /** (cycles - failed) / cycles; NaN when no cycle. */
  cycleServiceLevel: number;
  stockoutDays: number;
  /** Mean end-of-day on-hand. */
  avgOnHand: number;
  orders: number;
  orderedUnits: number;
  /** Backlog left at the end (backorders only). */
  endBacklog: number;
}

export interface ReplayResult {
  metrics: ReplayMetrics;
  trace?: DayTrace[];
}

export function replaySku(input: ReplayInput): ReplayResult {
  const n = input.demand.length;
  const due = new Map<number, number>();
  const schedule = (day: number, qty: number) => due.set(day, (due.get(day) ?? 0) + qty);
  let onHand = input.opening.onHand;
  let onOrder = 0;
  let backlog = input.unmet === 'backorder' ? (input.opening.backorders ?? 0) : 0;
  if ((input.opening.onOrder ?? 0) > 0) {
    // As if placed at the end of the day before day 0: lead time 1 -> arrives at the start of day 0.
    onOrder = input.opening.onOrder!;
    schedule(input.leadTime() - 1, onOrder);
  }
  let demandSum = 0;
  let served = 0;
  let unmetSum = 0;
  let stockoutDays = 0;
  let onHandSum = 0;
  let orders = 0;
  let orderedUnits = 0;
  let cycles = 0;
  let failedCycles = 0;
  let cycleFailed = false;
  const trace: DayTrace[] | undefined = input.trace ? [] : undefined;
  const review = Math.max(1, Math.round(input.reviewPeriod ?? 1));

  for (let t = 0; t < n; t++) {
    const arrived = due.get(t) ?? 0;
    if (arrived > 0) {
      due.delete(t);
      onOrder -= arrived;
      onHand += arrived;
      cycles++;
      if (cycleFailed) failedCycles++;
      cycleFailed = false;
      if (backlog > 0) {
        const filled = Math.min(backlog, onHand);
        backlog -= filled;
        onHand -= filled;
      }
    }
    const d = input.demand[t]!;
    const s = Math.min(onHand, d);
    const u = d - s;
    onHand -= s;
    demandSum += d;
    served += s;
    unmetSum += u;
    if (u > 0) {
      stockoutDays++;
      cycleFailed = true;
      if (input.unmet === 'backorder') backlog += u;
    }
    onHandSum += onHand;
    const position = inventoryPosition(onHand, onOrder, backlog);
    const decision = t % review === 0 ? decideOrder(position, input.reorderPoint, input.orderUpTo, input.constraints) : NO_REVIEW;
    let arrivesOn = -1;
    if (decision.qty > 0) {
      arrivesOn = t + input.leadTime();
      schedule(arrivesOn, decision.qty);
      onOrder += decision.qty;
      orders++;
      orderedUnits += decision.qty;
    }
    trace?.push({ day: t, arrived, demand: d, served: s, unmet: u, onHand, backlog, position, ordered: decision.qty, arrivesOn });
  }
  if (cycleFailed) {
    cycles++;
    failedCycles++;
  }
  const metrics: ReplayMetrics = {
    days: n,
    demand: demandSum,
    served,
    unmet: unmetSum,
    fillRate: demandSum > 0 ? served / demandSum : Number.NaN,
    cycles,
    failedCycles,
    cycleServiceLevel: cycles > 0 ? (cycles - failedCycles) / cycles : Number.NaN,
    stockoutDays,
    avgOnHand: n > 0 ? onHandSum / n : Number.NaN,
    orders,
    orderedUnits,
    endBacklog: backlog,
  };
  return trace ? { metrics, trace } : { metrics };
}
