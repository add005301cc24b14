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
import { type OrderConstraints, decideOrder, inventoryPosition } from '../ordering.js';

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

/**
 * The state of one SKU's replay between days: on-hand, the pipeline of orders with their arrival
 * days, the backlog, and the running metrics. `replaySku` drives it over a whole window with one
 * policy; `stock backtest --replan` (replan.ts) drives it segment by segment, changing the policy at
 * every replan date while the state carries over. Day rules: see the top of this file.
 */
export class SkuReplayState {
  private readonly due = new Map<number, number>();
  private onHand: number;
  private onOrder = 0;
  private backlog: number;
  /** Index of the next day to replay (day 0 = first day of the window). */
  private t = 0;
  private demandSum = 0;
  private served = 0;
  private unmetSum = 0;
  private stockoutDays = 0;
  private onHandSum = 0;
  private valueSum = 0;
  private orders = 0;
  private orderedUnits = 0;
  private cycles = 0;
  private failedCycles = 0;
  private cycleFailed = false;
  private readonly review: number;

  constructor(
    opening: OpeningStock,
    private readonly unmet: UnmetRule,
    private readonly leadTime: () => number,
    reviewPeriod?: number,
  ) {
    this.onHand = opening.onHand;
    this.backlog = unmet === 'backorder' ? (opening.backorders ?? 0) : 0;
    this.review = Math.max(1, Math.round(reviewPeriod ?? 1));
    if ((opening.onOrder ?? 0) > 0) {
      // As if placed at the end of the day before day 0: lead time 1 -> arrives at the start of day 0.
      this.onOrder = opening.onOrder!;
      this.schedule(this.leadTime() - 1, this.onOrder);
    }
  }

  private schedule(day: number, qty: number): void {
    this.due.set(day, (this.due.get(day) ?? 0) + qty);
  }

  /** Days replayed so far. */
  get day(): number {
    return this.t;
  }

  /** Inventory now (between days): on-hand, units on order with their arrival days, backlog. */
  snapshot(): { onHand: number; backlog: number; pipeline: { day: number; qty: number }[] } {
    const pipeline = [...this.due].map(([day, qty]) => ({ day, qty })).sort((a, b) => a.day - b.day);
    return { onHand: this.onHand, backlog: this.backlog, pipeline };
  }

  /**
   * Replay the next day with demand `d` under the policy (reorderPoint, orderUpTo). `price`, when
   * finite, values the end-of-day on-hand (avgValue).
   */
  step(d: number, reorderPoint: number, orderUpTo: number, constraints?: OrderConstraints, price?: number, trace?: DayTrace[]): void {
    const t = this.t++;
    const arrived = this.due.get(t) ?? 0;
    if (arrived > 0) {
      this.due.delete(t);
      this.onOrder -= arrived;
      this.onHand += arrived;
      this.cycles++;
      if (this.cycleFailed) this.failedCycles++;
      this.cycleFailed = false;
      if (this.backlog > 0) {
        const filled = Math.min(this.backlog, this.onHand);
        this.backlog -= filled;
        this.onHand -= filled;
      }
    }
    const s = Math.min(this.onHand, d);
    const u = d - s;
    this.onHand -= s;
    this.demandSum += d;
    this.served += s;
    this.unmetSum += u;
    if (u > 0) {
      this.stockoutDays++;
      this.cycleFailed = true;
      if (this.unmet === 'backorder') this.backlog += u;
    }
    this.onHandSum += this.onHand;
    if (price !== undefined && Number.isFinite(price)) this.valueSum += this.onHand * price;
    const position = inventoryPosition(this.onHand, this.onOrder, this.backlog);
    const decision = t % this.review === 0 ? decideOrder(position, reorderPoint, orderUpTo, constraints) : NO_REVIEW;
    let arrivesOn = -1;
    if (decision.qty > 0) {
      arrivesOn = t + this.leadTime();
      this.schedule(arrivesOn, decision.qty);
      this.onOrder += decision.qty;
      this.orders++;
      this.orderedUnits += decision.qty;
    }
    trace?.push({ day: t, arrived, demand: d, served: s, unmet: u, onHand: this.onHand, backlog: this.backlog, position, ordered: decision.qty, arrivesOn });
  }

  /** Mean end-of-day inventory value over the days replayed (days without a price count as 0). */
  avgValue(): number {
    return this.t > 0 ? this.valueSum / this.t : Number.NaN;
  }

  /** Metrics of the days replayed so far (the open cycle counts only if it already failed). */
  metrics(): ReplayMetrics {
    const n = this.t;
    let cycles = this.cycles;
    let failedCycles = this.failedCycles;
    if (this.cycleFailed) {
      cycles++;
      failedCycles++;
    }
    const demandSum = this.demandSum;
    return {
      days: n,
      demand: demandSum,
      served: this.served,
      unmet: this.unmetSum,
      fillRate: demandSum > 0 ? this.served / demandSum : Number.NaN,
      cycles,
      failedCycles,
      cycleServiceLevel: cycles > 0 ? (cycles - failedCycles) / cycles : Number.NaN,
      stockoutDays: this.stockoutDays,
      avgOnHand: n > 0 ? this.onHandSum / n : Number.NaN,
      orders: this.orders,
      orderedUnits: this.orderedUnits,
      endBacklog: this.backlog,
    };
  }
}

export function replaySku(input: ReplayInput): ReplayResult {
  const n = input.demand.length;
  const state = new SkuReplayState(input.opening, input.unmet, input.leadTime, input.reviewPeriod);
  const trace: DayTrace[] | undefined = input.trace ? [] : undefined;
  for (let t = 0; t < n; t++) state.step(input.demand[t]!, input.reorderPoint, input.orderUpTo, input.constraints, undefined, trace);
  const metrics = state.metrics();
  return trace ? { metrics, trace } : { metrics };
}
