/**
 * Forecast maps -> the rows `forecast predict` writes: the forecast contract's columns
 * (core/contracts/forecast.ts: sku,date,forecast,sd,p10,p90,model, always first and unchanged),
 * then lo-L,hi-L for each requested interval level, then error_corr when the model measured it.
 */
import { ERROR_CORR_RULE, FORECAST_COLUMNS, FORECAST_CONTRACT } from '../../core/contracts/forecast.js';
import type { Cell } from '../../core/contracts/table.js';
import type { SeriesForecast } from '../../models/forecaster.js';
import { intervalAt } from '../../models/intervals.js';
import { intervalColumns } from './_levels.js';

export { FORECAST_COLUMNS };

/** The contract columns followed by the interval columns of `levels` (percent, ascending), then error_corr when there is one. */
export function forecastColumnsWith(levels: readonly number[] = [], errorCorr?: number): string[] {
  return [...FORECAST_COLUMNS, ...intervalColumns(levels), ...(errorCorr === undefined ? [] : [ERROR_CORR_RULE.name])];
}

/** `origin`: the last history period of every SKU, or of each SKU (see models/origins.ts). */
export function forecastRows(
  forecasts: Map<string, SeriesForecast>,
  origin: number | ((sku: string) => number),
  step: number,
  horizon: number,
  levels: readonly number[] = [],
  /** The model's error correlation, written on every row (error_corr); undefined: no such column. */
  errorCorr?: number,
): Cell[][] {
  const rows: Cell[][] = [];
  for (const sku of [...forecasts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const f = forecasts.get(sku)!;
    const o = typeof origin === 'number' ? origin : origin(sku);
    const bounds = levels.map((L) => intervalAt(f, L));
    for (let h = 0; h < horizon; h++) {
      const row = FORECAST_CONTRACT.row({ sku, day: o + (h + 1) * step, forecast: f.mean[h]!, sd: f.sd[h]!, p10: f.p10[h]!, p90: f.p90[h]!, model: f.model });
      for (const b of bounds) row.push(b.lo[h]!, b.hi[h]!);
      if (errorCorr !== undefined) row.push(errorCorr);
      rows.push(row);
    }
  }
  return rows;
}

export const FORECAST_SUMMARY_COLUMNS = ['sku', 'from', 'to', 'periods', 'forecast_total', 'forecast_mean', 'model'] as const;

/** One row per SKU of `forecastRows` output: what a person at a terminal reads instead of every period. */
export function forecastSummaryRows(rows: readonly (readonly Cell[])[]): Cell[][] {
  const out: Cell[][] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    const v = r[2] as number;
    if (last !== undefined && last[0] === r[0]) {
      last[2] = r[1]!;
      last[3] = (last[3] as number) + 1;
      last[4] = (last[4] as number) + v;
      last[5] = (last[4] as number) / (last[3] as number);
    } else out.push([r[0]!, r[1]!, r[1]!, 1, v, v, r[6]!]);
  }
  return out;
}
