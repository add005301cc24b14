/**
 * What `stockcast report` reads (already parsed) and what it ships to the page (plain JSON).
 * Days are day numbers (days since 1970-01-01, UTC). Pure data.
 */

import type { BandColumns, ModelColumns, ForecastSkuInput, ForecastInput, EvaluationRow, EvaluationInput, SkuTableInput, SummaryInput } from '../core/contracts/report-inputs.js';

export type { BandColumns, ModelColumns, ForecastSkuInput, ForecastInput, EvaluationRow, EvaluationInput, SkuTableInput, SummaryInput };

/** A day-by-day replay of one SKU under its policy (from simulation/backtest/replay.ts traces). */
export interface ReplayInput {
  from: number;
  onHand: number[];
  ordered: number[];
  arrived: number[];
  unmet: number[];
}

export interface HistoryInput {
  sku: string;
  start: number;
  step: number;
  units: ArrayLike<number>;
  /** Units x price per period when the data has a price column. */
  price?: ArrayLike<number>;
}

export interface ReportInputs {
  title: string;
  /** Files the report was built from, shown on the page: [what, file]. */
  sources: [string, string][];
  /** Periods between dates of the history: 1 or 7; undefined without sales data. */
  step?: number;
  history: HistoryInput[];
  forecast?: ForecastInput;
  evaluation?: EvaluationInput;
  policy?: SkuTableInput;
  backtest?: SkuTableInput;
  summaries: SummaryInput[];
  replays: Map<string, ReplayInput>;
  /** How many periods of history before the forecast the SKU chart opens on (default 120). */
  window?: number;
}

/* ---- what the page receives ---- */

export interface AccuracyRow {
  model: string;
  /** Points scored (sku x period, over every cutoff). */
  n: number;
  skus: number;
  wape: number | null;
  mae: number | null;
  rmse: number | null;
  /** sum(forecast - actual) / sum(actual). */
  bias: number | null;
  /** Share of actuals inside the model's first band, and that band's nominal coverage. */
  coverage: number | null;
  coverageTarget: number | null;
}

export interface PageSku {
  sku: string;
  /** [start day, step, values...] packed as: start, step and units (null = missing). */
  h?: { s: number; p: number; y: (number | null)[] };
  f?: { d: number[]; m: number[]; b: { label: string; lo: (number | null)[]; hi: (number | null)[] }[]; models: string[] };
  /** Holdout forecasts per cutoff (evaluate). */
  e?: { cutoff: number | null; d: number[]; a: (number | null)[]; m: { name: string; y: (number | null)[]; lo?: (number | null)[]; hi?: (number | null)[]; band?: string }[] }[];
  pol?: Record<string, number | string>;
  bt?: Record<string, number>;
  /** Replay: on-hand per day from `from`; orders, arrivals and unmet demand as sparse [day index, qty] pairs. */
  r?: { from: number; onHand: number[]; ordered: [number, number][]; arrived: [number, number][]; unmet: [number, number][] };
  /** Ranking figures: WAPE per model, stockout days, value. */
  k: { wape: Record<string, number>; stockouts?: number; value?: number };
}

export interface PageData {
  title: string;
  sources: [string, string][];
  step: number;
  valueLabel: string;
  accuracy: { source: string; rows: AccuracyRow[] };
  /** Backtest summary rows: one point each on the service-inventory plane. */
  frontier: { policy: string; file: string; fill_rate: number | null; cycle_service_level: number | null; avg_on_hand: number | null; stockout_rate: number | null }[];
  /** Models with a per-SKU WAPE, best first (the "worst N by error" choice). */
  errorModels: string[];
  skus: PageSku[];
  window: number;
}
