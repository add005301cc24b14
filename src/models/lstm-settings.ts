/**
 * The LSTM forecaster's settings and their defaults: light (no TF.js, no model code), so the CLI's
 * option specs can show the defaults without loading the engine.
 */
import type { EpochInfo } from './lstm/contract.js';
import type { Freq } from '../core/types.js';

export type PointForecast = 'p50' | 'mean';
/**
 * The shipped forecast: `auto` = the combination whose members and weights rolling origins in the
 * validation span choose among COMBINE_CANDIDATES (models/combination-cv.ts), `none` = the LSTM
 * alone, or the LSTM with one named classical model (its weight chosen the same way).
 */
export type CombineChoice = 'auto' | 'none' | 'promo_regression' | 'arimax' | 'ets';
export const COMBINE_CHOICES: readonly CombineChoice[] = ['auto', 'none', 'promo_regression', 'arimax', 'ets'];
/** Members `auto` chooses among (every subset is scored), and the set it ships unless CV says otherwise. */
export const COMBINE_CANDIDATES = ['lstm', 'promo_regression', 'arimax', 'ets'] as const;
export const COMBINE_DEFAULT_MEMBERS = ['lstm', 'promo_regression', 'arimax'] as const;
/** Rolling origins in the validation span that score the candidates and calibrate the intervals. */
export const CV_ORIGINS = 4;
/**
 * At most this many SKUs (an even sample, in data order) are forecast at those origins: 1,000 SKUs
 * at 4 origins give tens of thousands of scored points, enough to choose the combination and
 * calibrate its intervals, and the cost of the origins then stops growing with the panel.
 */
export const CV_MAX_SKUS = 1000;

export interface LstmSettings {
  window?: number;
  horizon?: number;
  /** Periods at the end held out for early stopping (default: horizon; must be >= horizon). */
  validation?: number;
  units: number;
  decoderUnits: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Windows drawn per epoch: undefined = auto (autoSamplesPerEpoch), 0 = every window. */
  samplesPerEpoch?: number;
  patience: number;
  seed: number;
  /** Networks trained with different seeds whose quantiles are averaged (default 2). */
  members?: number;
  /**
   * Members after the first also train on the validation periods, for the first member's best
   * number of epochs (default false: every member early-stops on validation).
   */
  refit?: boolean;
  onMember?: (member: number, members: number) => void;
  /** Point forecast: the median (default) or the mean implied by the calibrated quantiles. */
  point?: PointForecast;
  /** The shipped forecast (default auto: the combination chosen on rolling origins). */
  combine?: CombineChoice;
  /**
   * Threads for the work that can run in parallel (default: one per core): the gradient shards and
   * the classical models refitted at the rolling origins and at predict time. Results do not depend on it.
   */
  workers?: number;
  onEpoch?: (info: EpochInfo) => void;
  onProgress?: (done: number, total: number) => void;
}

/** Defaults that work for daily and weekly data without tuning (docs/forecasting.md). */
export const FREQ_DEFAULTS: Record<Freq, { window: number; horizon: number }> = {
  D: { window: 56, horizon: 28 },
  W: { window: 26, horizon: 13 },
};

export const DEFAULT_SETTINGS: Omit<LstmSettings, 'seed'> = {
  units: 64,
  decoderUnits: 32,
  epochs: 20,
  batchSize: 256,
  learningRate: 0.003,
  patience: 6,
  members: 5,
  combine: 'auto',
};
