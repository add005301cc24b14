/**
 * The whole backtest: replay every SKU of the sales data under one or more policies over the same
 * window, with the same seeded lead-time draws, and total the results. Pure.
 *
 * SKUs replayed: those present in the sales data, in every policy, and in the lead-time map. Every
 * other SKU is returned in `excluded` with the reason, so the command can report it.
 */
import type { LeadTime, SalesData } from '../../core/types.js';
import { dailyDemand } from './demand.js';
import { skuLeadTimeSampler } from './lead-time-draws.js';
import type { OrderConstraints, SkuPolicy } from '../ordering.js';
import { type OpeningStock, type ReplayMetrics, type UnmetRule, replaySku } from './replay.js';

export interface NamedPolicy {
  name: string;
  policies: SkuPolicy[];
}

export interface BacktestInput {
  data: SalesData;
  /** The first is the policy under test; the others are compared against it. */
  policies: NamedPolicy[];
  leadTimes: Map<string, LeadTime>;
  /** Replay window, inclusive day numbers. */
  from: number;
  to: number;
  unmet: UnmetRule;
  seed: number;
  /** Periodic review every R days; default continuous review. */
  reviewPeriod?: number;
  /** Opening stock per SKU; default on-hand = the policy's order_up_to. */
  opening?: Map<string, OpeningStock>;
  constraints?: Map<string, OrderConstraints>;
}

export interface SkuOutcome extends ReplayMetrics {
  sku: string;
}

export interface Totals {
  skus: number;
  /** SKU-days replayed. */
  skuDays: number;
  demand: number;
  served: number;
  unmet: number;
  fillRate: number;
  cycles: number;
  failedCycles: number;
  cycleServiceLevel: number;
  stockoutDays: number;
  /** stockoutDays / skuDays. */
  stockoutRate: number;
  /** Sum over SKUs of the mean end-of-day on-hand: the average inventory held, in units. */
  avgOnHand: number;
  orders: number;
}

export interface PolicyOutcome {
  name: string;
  perSku: SkuOutcome[];
  totals: Totals;
}

export interface BacktestResult {
  days: number;
  skus: string[];
  outcomes: PolicyOutcome[];
  excluded: { sku: string; reason: string }[];
  /** SKUs with days of no observation inside the window (replayed as zero demand). */
  missing: { sku: string; days: number }[];
}

export function totals(perSku: readonly ReplayMetrics[]): Totals {
  const t = { skus: perSku.length, skuDays: 0, demand: 0, served: 0, unmet: 0, cycles: 0, failedCycles: 0, stockoutDays: 0, avgOnHand: 0, orders: 0 };
  for (const m of perSku) {
    t.skuDays += m.days;
    t.demand += m.demand;
    t.served += m.served;
    t.unmet += m.unmet;
    t.cycles += m.cycles;
    t.failedCycles += m.failedCycles;
    t.stockoutDays += m.stockoutDays;
    t.avgOnHand += m.avgOnHand;
    t.orders += m.orders;
  }
  return {
    ...t,
    fillRate: t.demand > 0 ? t.served / t.demand : Number.NaN,
    cycleServiceLevel: t.cycles > 0 ? (t.cycles - t.failedCycles) / t.cycles : Number.NaN,
    stockoutRate: t.skuDays > 0 ? t.stockoutDays / t.skuDays : Number.NaN,
  };
}

export function runBacktest(input: BacktestInput): BacktestResult {
  const { data, from, to } = input;
  if (to < from) throw new RangeError(`empty replay window: ${from} > ${to}`);
  const maps = input.policies.map((p) => new Map(p.policies.map((row) => [row.sku, row])));
  const excluded: { sku: string; reason: string }[] = [];
  const inSales = new Set(data.series.map((s) => s.sku));
  for (const [k, map] of maps.entries()) {
    for (const sku of map.keys()) if (!inSales.has(sku)) excluded.push({ sku, reason: `in policy ${input.policies[k]!.name} but not in the sales data` });
  }
  const skus: string[] = [];
  const perSku: SkuOutcome[][] = input.policies.map(() => []);
  const missing: { sku: string; days: number }[] = [];
  for (const s of data.series) {
    const absent = input.policies.filter((_, k) => !maps[k]!.has(s.sku)).map((p) => p.name);
    if (absent.length > 0) {
      excluded.push({ sku: s.sku, reason: `in the sales data but not in policy ${absent.join(', ')}` });
      continue;
    }
    const lt = input.leadTimes.get(s.sku);
    if (lt === undefined) {
      excluded.push({ sku: s.sku, reason: 'no lead time' });
      continue;
    }
    const { demand, missingDays } = dailyDemand(s, data.step, from, to);
    if (missingDays > 0) missing.push({ sku: s.sku, days: missingDays });
    skus.push(s.sku);
    const opening = input.opening?.get(s.sku);
    for (const [k, map] of maps.entries()) {
      const p = map.get(s.sku)!;
      const { metrics } = replaySku({
        demand,
        reorderPoint: p.reorderPoint,
        orderUpTo: p.orderUpTo,
        constraints: input.constraints?.get(s.sku),
        opening: opening ?? { onHand: p.orderUpTo },
        leadTime: skuLeadTimeSampler(input.seed, s.sku, lt),
        unmet: input.unmet,
        reviewPeriod: input.reviewPeriod,
      });
      perSku[k]!.push({ sku: s.sku, ...metrics });
    }
  }
  excluded.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  return {
    days: to - from + 1,
    skus,
    outcomes: input.policies.map((p, k) => ({ name: p.name, perSku: perSku[k]!, totals: totals(perSku[k]!) })),
    excluded,
    missing,
  };
}
