/**
 * The CSV outputs of `stock backtest`: the per-SKU table (`--per-sku`) and the summary (one row
 * per policy, then one difference row per compared policy), written by the static replay
 * (simulation/backtest/report.ts) and the replanned one (commands/stock/_backtest-replan.ts), read
 * by the report (io/report-inputs.ts). A rate without a base (a fill rate without demand, a cycle
 * service level without a completed cycle) is an empty cell, never NaN. `--replan` appends
 * `service_level_target` (and `avg_inventory_value` with prices) after these columns.
 */
import { type Cell, type Contract, defineContract } from './table.js';

/** An undefined rate is a deliberately empty cell. */
export function orEmpty(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** What the replay measured for one SKU. */
export interface BacktestSkuRecord {
  sku: string;
  demand: number;
  served: number;
  unmet: number;
  /** served / demand; NaN when demand is 0. */
  fillRate: number;
  /** NaN when no cycle completed. */
  cycleServiceLevel: number;
  stockoutDays: number;
  avgOnHand: number;
  orders: number;
}

const num = (name: string, cell: (r: BacktestSkuRecord) => Cell) => ({ name, kind: 'number' as const, cell });

export const BACKTEST_PER_SKU_CONTRACT: Contract<BacktestSkuRecord> = defineContract<BacktestSkuRecord>([
  { name: 'sku', kind: 'string', cell: (r) => r.sku },
  num('demand', (r) => r.demand),
  num('served', (r) => r.served),
  num('unmet', (r) => r.unmet),
  num('fill_rate', (r) => orEmpty(r.fillRate)),
  num('cycle_service_level', (r) => orEmpty(r.cycleServiceLevel)),
  num('stockout_days', (r) => r.stockoutDays),
  num('avg_on_hand', (r) => r.avgOnHand),
  num('orders', (r) => r.orders),
]);

/** One summary row: a policy's totals, or (skus null) the differences of one policy from the first. */
export interface BacktestSummaryRecord {
  policy: string;
  skus: number | null;
  demand: number;
  served: number;
  unmet: number;
  fillRate: number;
  cycleServiceLevel: number;
  stockoutDays: number;
  stockoutRate: number;
  avgOnHand: number;
  orders: number;
}

const total = (name: string, get: (r: BacktestSummaryRecord) => number) => ({ name, kind: 'number' as const, cell: (r: BacktestSummaryRecord) => orEmpty(get(r)) });

export const BACKTEST_SUMMARY_CONTRACT: Contract<BacktestSummaryRecord> = defineContract<BacktestSummaryRecord>([
  { name: 'policy', kind: 'string', cell: (r) => r.policy },
  { name: 'skus', kind: 'number', allowEmpty: true, cell: (r) => r.skus },
  total('demand', (r) => r.demand),
  total('served', (r) => r.served),
  total('unmet', (r) => r.unmet),
  total('fill_rate', (r) => r.fillRate),
  total('cycle_service_level', (r) => r.cycleServiceLevel),
  total('stockout_days', (r) => r.stockoutDays),
  total('stockout_rate', (r) => r.stockoutRate),
  total('avg_on_hand', (r) => r.avgOnHand),
  total('orders', (r) => r.orders),
]);
