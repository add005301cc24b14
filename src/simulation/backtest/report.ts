/**
 * Backtest results as rows: the per-SKU CSV (a contract, columns in this order) and the summary
 * (one row per policy, then one difference row per compared policy). Pure.
 */
import type { Cell } from '../../core/contracts/table.js';
import type { BacktestResult, Totals } from './run.js';

export const PER_SKU_COLUMNS = ['sku', 'demand', 'served', 'unmet', 'fill_rate', 'cycle_service_level', 'stockout_days', 'avg_on_hand', 'orders'] as const;

export const SUMMARY_COLUMNS = [
  'policy',
  'skus',
  'demand',
  'served',
  'unmet',
  'fill_rate',
  'cycle_service_level',
  'stockout_days',
  'stockout_rate',
  'avg_on_hand',
  'orders',
] as const;

/** An undefined rate (a fill rate without demand) is a deliberately empty cell, never NaN. */
function orNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export function perSkuRows(result: BacktestResult, outcome = 0): Cell[][] {
  return result.outcomes[outcome]!.perSku.map((m) => [m.sku, m.demand, m.served, m.unmet, orNull(m.fillRate), orNull(m.cycleServiceLevel), m.stockoutDays, m.avgOnHand, m.orders]);
}

function metricCells(t: Totals): number[] {
  return [t.demand, t.served, t.unmet, t.fillRate, t.cycleServiceLevel, t.stockoutDays, t.stockoutRate, t.avgOnHand, t.orders];
}

/** One row per policy; with several policies, then `<other> - <first>` rows with the differences. */
export function summaryRows(result: BacktestResult): Cell[][] {
  const rows: Cell[][] = result.outcomes.map((o) => [o.name, o.totals.skus, ...metricCells(o.totals).map(orNull)]);
  const base = result.outcomes[0];
  if (base === undefined) return rows;
  const a = metricCells(base.totals);
  for (const o of result.outcomes.slice(1)) {
    const b = metricCells(o.totals);
    rows.push([`${o.name} - ${base.name}`, null, ...b.map((v, i) => orNull(v - a[i]!))]);
  }
  return rows;
}
