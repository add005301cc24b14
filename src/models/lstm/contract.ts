/**
 * The contract between the forecasting pipeline (features, scaling, windows: src/models/*.ts)
 * and the network engine (TF.js graph, training loop, persistence: src/models/lstm/*.ts).
 * The pipeline hands over plain Float32Arrays; the engine never sees SKUs or dates.
 */

import type { NetworkFiles } from '../../core/contracts/model-dir.js';
import type { EpochInfo } from '../../core/types.js';
export interface NetworkSpec {
  /** History steps fed to the encoder. */
  window: number;
  /** Forecast steps emitted at once (direct multi-horizon). */
  horizon: number;
  /** Features per history step (scaled target, observed flag, covariates, calendar, ...). */
  pastFeatures: number;
  /** Known features per horizon step (planned covariates, calendar, seasonal lag, ...). */
  futureFeatures: number;
  /** Per-window static features (e.g. log of the series scale); may be 0. */
  staticFeatures: number;
  /** LSTM units of the encoder. */
  units: number;
  /** Hidden units of the per-step decoder MLP. */
  decoderUnits: number;
  /** Quantile levels emitted per step, ascending, e.g. [0.1, 0.5, 0.9]. */
  quantiles: number[];
  /** Optional (engine addition): units of the horizon-specific context the decoder sees per step; default 8. */
  contextUnits?: number;
}

/** A batch of n windows, row-major. */
export interface Batch {
  n: number;
  /** n * window * pastFeatures */
  past: Float32Array;
  /** n * horizon * futureFeatures */
  future: Float32Array;
  /** n * staticFeatures */
  statics: Float32Array;
  /** n * horizon, scaled target (0 where mask is 0). */
  target: Float32Array;
  /** n * horizon, 1 = observed, 0 = missing (excluded from the loss). */
  mask: Float32Array;
}

export type Inputs = Omit<Batch, 'target' | 'mask'>;

/** Windows the engine can draw batches from. */
export interface WindowSource {
  readonly size: number;
  /** Fill a batch with the windows at these indices (0 <= index < size). */
  batch(indices: ArrayLike<number>): Batch;
}

export type { EpochInfo };

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Windows drawn (seeded, without replacement) per epoch; default: all. */
  samplesPerEpoch?: number;
  /** Early-stopping patience in epochs. */
  patience: number;
  onEpoch?: (info: EpochInfo) => void;
  /** Called every few batches with (done, total) windows of the current epoch. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Optional (engine addition): threads computing gradients (data-parallel worker_threads on the wasm/cpu
   * backends, at most 2). Default: both cores when the training covers at least 50,000 windows
   * (samplesPerEpoch x epochs), else 1. Results do not depend on it.
   */
  workers?: number;
  /** Optional (engine addition): decoupled (AdamW) weight decay per unit learning rate; default DEFAULT_WEIGHT_DECAY. */
  weightDecay?: number;
  /** Optional (engine addition): learning-rate schedule over the epoch cap; default DEFAULT_LR_SCHEDULE. */
  lrSchedule?: LrSchedule;
  /** Optional (engine addition): sd of Gaussian noise added to the history inputs during training only; default DEFAULT_INPUT_NOISE. */
  inputNoise?: number;
}

/** 'constant', or 'cosine': linear warm-up over the first epoch, then cosine decay to 1/20 at the epoch cap. */
export type LrSchedule = 'constant' | 'cosine';

export interface TrainResult {
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  history: { loss: number; valLoss: number }[];
  samplesPerSecond: number;
  seconds: number;
}

/** Serialized network: the TF.js LayersModel layout (model.json + weights.bin), as the model directory holds it. */
export type { NetworkFiles };

export interface TrainedNetwork {
  readonly spec: NetworkSpec;
  /** n * horizon * quantiles.length, scaled units, row-major. */
  predict(inputs: Inputs): Promise<Float32Array>;
  save(): Promise<NetworkFiles>;
  dispose(): void;
}
