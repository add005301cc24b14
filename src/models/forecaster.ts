/**
 * The one interface every forecaster satisfies (the LSTM and every baseline), so `evaluate` and
 * `predict` treat them alike. Pure: no I/O.
 */
import type { FuturePlan, SalesData } from '../core/types.js';

export type { FuturePlan };

/** A forecast for one SKU over the horizon (units, not scaled). */
export interface SeriesForecast {
  mean: Float64Array;
  sd: Float64Array;
  p10: Float64Array;
  p90: Float64Array;
  /** What produced it: 'lstm', 'seasonal_naive', ... */
  model: string;
  /**
   * Optional bounds of central intervals by level (percent), when the model has its own; otherwise
   * they are derived from mean, p10 and p90 (intervals.ts).
   */
  intervals?: Map<number, { lo: Float64Array; hi: Float64Array }>;
}

export interface Forecaster {
  readonly name: string;
  /** Learn from the history (global models use every series; local ones fit each series). */
  fit(history: SalesData): Promise<void>;
  /**
   * Forecast `horizon` periods after `origin` (day number of the last history period, common to all
   * series) for every series in `history`. Series that end before `origin` are treated as missing
   * up to it.
   */
  predict(history: SalesData, origin: number, horizon: number, plan: FuturePlan): Promise<Map<string, SeriesForecast>>;
}

/** The arguments of one `predict` call. */
export interface PredictCall {
  history: SalesData;
  origin: number;
  horizon: number;
  plan: FuturePlan;
}
