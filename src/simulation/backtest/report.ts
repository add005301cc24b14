/**
 * Backtest results as rows of their contracts (core/contracts/backtest.ts): the per-SKU CSV and the
 * summary (one row per policy, then one difference row per compared policy). Pure.
 */
import { BACKTEST_PER_SKU_CONTRACT, BACKTEST_SUMMARY_CONTRACT, type BacktestSummaryRecord } from '../../core/contracts/backtest.js';
import type { Cell } from '../../core/contracts/table.js';
import type { BacktestResult, Totals } from './run.js';

export const PER_SKU_COLUMNS = BACKTEST_PER_SKU_CONTRACT.names;
export const SUMMARY_COLUMNS = BACKTEST_SUMMARY_CONTRACT.names;

export function perSkuRows(result: BacktestResult, outcome = 0): Cell[][] {
  return result.outcomes[outcome]!.perSku.map(BACKTEST_PER_SKU_CONTRACT.row);
}

type Metrics = Omit<BacktestSummaryRecord, 'policy' | 'skus'>;
const METRICS = ['demand', 'served', 'unmet', 'fillRate', 'cycleServiceLevel', 'stockoutDays', 'stockoutRate', 'avgOnHand', 'orders'] as const;

/** The summary row of one policy's totals. */
export function totalsRow(name: string, t: Totals): Cell[] {
  return BACKTEST_SUMMARY_CONTRACT.row({ policy: name, ...t });
}

/** One row per policy; with several policies, then `<other> - <first>` rows with the differences. */
export function summaryRows(result: BacktestResult): Cell[][] {
  const rows: Cell[][] = result.outcomes.map((o) => totalsRow(o.name, o.totals));
  const base = result.outcomes[0];
  if (base === undefined) return rows;
  for (const o of result.outcomes.slice(1)) {
    const diff = Object.fromEntries(METRICS.map((k) => [k, o.totals[k] - base.totals[k]])) as unknown as Metrics;
    rows.push(BACKTEST_SUMMARY_CONTRACT.row({ policy: `${o.name} - ${base.name}`, skus: null, ...diff }));
  }
  return rows;
}
