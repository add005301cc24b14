/**
 * Forecast maps -> the rows `forecast predict` writes: sku,date,forecast,sd,p10,p90,model (the
 * contract, always first and unchanged), then lo-L,hi-L for each requested interval level.
 */
import type { Cell } from '../../io/csv-out.js';
import { formatDay } from '../../io/dates.js';
import type { SeriesForecast } from '../../models/forecaster.js';
import { intervalAt } from '../../models/intervals.js';
import { intervalColumns } from './_levels.js';

export const FORECAST_COLUMNS = ['sku', 'date', 'forecast', 'sd', 'p10', 'p90', 'model'] as const;

/** The contract columns followed by the interval columns of `levels` (percent, ascending). */
export function forecastColumnsWith(levels: readonly number[] = []): string[] {
  return [...FORECAST_COLUMNS, ...intervalColumns(levels)];
}

export function forecastRows(forecasts: Map<string, SeriesForecast>, origin: number, step: number, horizon: number, levels: readonly number[] = []): Cell[][] {
  const rows: Cell[][] = [];
  for (const sku of [...forecasts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const f = forecasts.get(sku)!;
    const bounds = levels.map((L) => intervalAt(f, L));
    for (let h = 0; h < horizon; h++) {
      rows.push([sku, formatDay(origin + (h + 1) * step), f.mean[h]!, f.sd[h]!, f.p10[h]!, f.p90[h]!, f.model, ...bounds.flatMap((b) => [b.lo[h]!, b.hi[h]!])]);
    }
  }
  return rows;
}
