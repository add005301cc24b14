/**
 * The forecast CSV: what `forecast predict` writes (commands/forecast/_forecast-rows.ts) and
 * `stock simulate` and the report read (io/forecast-file.ts). `sku,date,forecast,sd` are required
 * on input; `p10,p90,model` are written always and optional on input; interval columns `lo-L,hi-L`
 * may follow (`forecast predict --levels`), then `error_corr` (written when the model measured it,
 * optional on input). Another tool's file comes in under other column names,
 * or with an interval instead of `sd` (the reader says how).
 */
import { formatDay } from '../calendar.js';
import { type ColumnRule, type Contract, MAX_UNITS, defineContract } from './table.js';

/** One row: a SKU's forecast for one period. */
export interface ForecastRow {
  sku: string;
  /** Day number of the period. */
  day: number;
  /** Units per period. */
  forecast: number;
  sd: number;
  p10: number;
  p90: number;
  /** What made it: 'lstm+promo_regression', 'seasonal_naive', ... */
  model: string;
}

/** A forecast file as read: one SKU's periods in columns. */
export interface ForecastSeries {
  /** Day numbers of the periods, ascending, evenly spaced by `step`. */
  days: Int32Array;
  /** Forecast per period (units per period: per day or per week). */
  mean: Float64Array;
  /** Standard deviation of the forecast error per period. */
  sd: Float64Array;
  /**
   * Correlation of the forecast errors between two periods of this SKU (the file's `error_corr`
   * column, the largest over the SKU's rows); absent when the file has none.
   */
  errorCorr?: number;
}

const bound = { min: -MAX_UNITS, max: MAX_UNITS };

export const FORECAST_CONTRACT: Contract<ForecastRow> = defineContract<ForecastRow>([
  { name: 'sku', kind: 'string', cell: (r) => r.sku },
  { name: 'date', kind: 'date', cell: (r) => formatDay(r.day) },
  // Ceilings keep sums over a lead time finite (docs/input-format.md: forecast files).
  { name: 'forecast', kind: 'number', min: 0, max: MAX_UNITS, cell: (r) => r.forecast },
  { name: 'sd', kind: 'number', min: 0, max: MAX_UNITS, cell: (r) => r.sd },
  { name: 'p10', kind: 'number', required: false, allowEmpty: true, ...bound, cell: (r) => r.p10 },
  { name: 'p90', kind: 'number', required: false, allowEmpty: true, ...bound, cell: (r) => r.p90 },
  { name: 'model', kind: 'string', required: false, allowEmpty: true, cell: (r) => r.model },
]);

/**
 * The last column of a `forecast predict` file when the model measured it: the correlation of the
 * forecast errors between two periods of one SKU (models/error-correlation.ts), the same on every
 * row of a model's forecast. `stock simulate` widens the lead-time demand by it.
 */
export const ERROR_CORR_RULE: ColumnRule = { name: 'error_corr', kind: 'number', required: false, min: 0, max: 1 };

/** The columns every forecast file starts with, in order. */
export const FORECAST_COLUMNS = FORECAST_CONTRACT.names;

/** The rule of an interval bound read in place of `sd` (another tool's `<model>-lo-80`, or p10/p90). */
export function intervalBoundRule(name: string): ColumnRule {
  return { name, kind: 'number', ...bound };
}
