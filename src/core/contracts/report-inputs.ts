/**
 * The files `stockcast report` reads, as io/report-inputs.ts parses them: wide forecast files
 * grouped into models and interval bands (report-columns.ts), evaluate's holdout forecasts, per-SKU
 * tables (policy, backtest per-SKU) and backtest summaries; and the charting library's text
 * (io/report-assets.ts). Pure data: the report (src/report/) builds the page from it.
 */

/** A pair of columns that bound an interval: `p10`/`p90`, `lo-80`/`hi-80`, `AutoETS-lo-80`/`-hi-80`. */
export interface BandColumns {
  /** Shown in the legend: `p10-p90`, `80%`. */
  label: string;
  lo: string;
  hi: string;
  /** Nominal coverage in percent (80 for p10-p90 and lo-80/hi-80). */
  coverage: number;
}

/** One model's columns in a wide file (evaluate's holdout forecasts, another tool's forecasts). */
export interface ModelColumns {
  name: string;
  /** The point forecast column; undefined when only quantiles are present (then the median is used). */
  point?: string;
  bands: BandColumns[];
}

export interface ForecastSkuInput {
  days: number[];
  mean: number[];
  /** Band column -> values (null = empty cell). */
  levels: Record<string, (number | null)[]>;
  /** The `model` column: the model(s) that made this SKU's forecast. */
  models: string[];
}

export interface ForecastInput {
  file: string;
  bands: BandColumns[];
  bySku: Map<string, ForecastSkuInput>;
}

export interface EvaluationRow {
  sku: string;
  cutoff: number | undefined;
  day: number;
  actual: number | undefined;
  values: Record<string, number | undefined>;
}

export interface EvaluationInput {
  file: string;
  models: ModelColumns[];
  rows: EvaluationRow[];
}

/** A CSV keyed by SKU with numeric columns (policy, backtest per-SKU); text cells kept apart. */
export interface SkuTableInput {
  file: string;
  columns: string[];
  bySku: Map<string, { numbers: Record<string, number>; texts: Record<string, string> }>;
}

export interface SummaryInput {
  file: string;
  rows: { policy: string; values: Record<string, number> }[];
}

/** The charting library inlined into the page (read by io/report-assets.ts). */
export interface ReportAssets {
  /** uPlot's IIFE build (defines the global `uPlot`). */
  chartJs: string;
  chartCss: string;
}
