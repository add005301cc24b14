/**
 * The LSTM forecaster's settings and their defaults: light (no TF.js, no model code), so the CLI's
 * option specs can show the defaults without loading the engine.
 */
import type { EpochInfo } from './lstm/contract.js';
import type { Freq } from '../core/types.js';

export type PointForecast = 'p50' | 'mean';
/** What the LSTM forecast is averaged with: the promotion-aware regression, or nothing. */
export type CombineChoice = 'promo_regression' | 'none';
export const COMBINE_CHOICES: readonly CombineChoice[] = ['promo_regression', 'none'];
/** Weight of the LSTM in the combination (fixed: robust, no tuning on a short validation span). */
export const COMBINE_WEIGHT = 0.5;

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
  /** Average the forecast with promo_regression (default) or ship the LSTM alone. */
  combine?: CombineChoice;
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
  combine: 'promo_regression',
};
