/**
 * The ensemble's training, a step of LstmForecaster.fit: `members` networks with different seeds
 * (memberSeed), each drawing `samplesPerEpoch` windows per epoch. By default every member
 * early-stops on the validation windows. With `refit`, only the first does before the screening
 * and the rolling origins (which then see that member alone); the others train afterwards on every
 * window, validation periods included (the most recent data), for the epochs the first needed.
 * Pure: the engine is injected.
 */
import type { NetworkFiles, NetworkSpec, TrainedNetwork, TrainOptions, TrainResult, WindowSource } from './lstm/contract.js';
import type { LstmSettings } from './lstm-settings.js';
import type { TrainingSettings } from './model-meta.js';
import type { WindowSet } from './windows.js';

/** The engine (lstm/): injected so the pipeline stays testable and pure. */
export interface NetworkEngine {
  train(spec: NetworkSpec, train: WindowSource, valid: WindowSource, opts: TrainOptions): Promise<{ network: TrainedNetwork; result: TrainResult }>;
  load(files: NetworkFiles): Promise<TrainedNetwork>;
}

/**
 * Default windows per epoch: 64 per SKU, between 4,096 and 8,192 (bounds training time; shorter
 * epochs give early stopping a finer grid, and the time saved pays for more ensemble members).
 */
export function autoSamplesPerEpoch(skus: number): number {
  return Math.max(4096, Math.min(8192, 64 * skus));
}

/** Seed of ensemble member m (member 0 uses the seed itself). */
export function memberSeed(seed: number, m: number): number {
  return m === 0 ? seed : (seed + 7919 * m) % 2147483647;
}

/** The members' results as one: epochs and seconds summed, losses and speeds averaged, the first's best epoch. */
export function combineResults(results: TrainResult[]): TrainResult {
  const sum = (f: (r: TrainResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return {
    epochsRun: sum((r) => r.epochsRun),
    bestEpoch: results[0]!.bestEpoch,
    bestValLoss: sum((r) => r.bestValLoss) / results.length,
    history: results.flatMap((r) => r.history),
    samplesPerSecond: sum((r) => r.samplesPerSecond) / results.length,
    seconds: sum((r) => r.seconds),
  };
}

export class EnsembleTraining {
  /** The trained networks, in member order (filled as they train). */
  readonly networks: TrainedNetwork[] = [];
  private readonly results: TrainResult[] = [];
  readonly members: number;
  readonly refit: boolean;
  readonly samplesPerEpoch: number;

  constructor(
    private readonly engine: NetworkEngine,
    private readonly st: LstmSettings,
    private readonly network: NetworkSpec,
    private readonly valid: WindowSet,
    train: WindowSet,
    skus: number,
  ) {
    this.samplesPerEpoch = Math.min(train.size, st.samplesPerEpoch === 0 ? train.size : (st.samplesPerEpoch ?? autoSamplesPerEpoch(skus)));
    this.members = st.members ?? 1;
    this.refit = st.refit === true && this.members > 1;
  }

  private async trainMember(m: number, source: WindowSet, epochs: number, patience: number): Promise<void> {
    const st = this.st;
    st.onMember?.(m + 1, this.members);
    const { network, result } = await this.engine.train(this.network, source, this.valid, {
      epochs,
      batchSize: st.batchSize,
      learningRate: st.learningRate,
      seed: memberSeed(st.seed, m),
      samplesPerEpoch: Math.min(source.size, this.samplesPerEpoch),
      patience,
      workers: st.workers,
      onEpoch: st.onEpoch,
      onProgress: st.onProgress,
    });
    this.networks.push(network);
    this.results.push(result);
  }

  /** Before the screening and the rolling origins: every member early-stops on validation (refit: the first only). */
  async trainOnSplit(train: WindowSet): Promise<void> {
    const count = this.refit ? 1 : this.members;
    for (let m = 0; m < count; m++) await this.trainMember(m, train, this.st.epochs, this.st.patience);
  }

  /** Refit: the members after the first on every window, for the number of epochs the first needed. */
  async trainRefits(all: () => WindowSet): Promise<void> {
    if (!this.refit) return;
    const source = all();
    const epochs = Math.max(1, this.results[0]!.bestEpoch);
    for (let m = 1; m < this.members; m++) await this.trainMember(m, source, epochs, epochs);
  }

  /** The summed result of the members trained so far. */
  result(): TrainResult {
    return combineResults(this.results);
  }

  /** The settings the model records. */
  settings(validation: number): TrainingSettings {
    const st = this.st;
    return {
      epochs: st.epochs,
      batchSize: st.batchSize,
      learningRate: st.learningRate,
      samplesPerEpoch: this.samplesPerEpoch,
      patience: st.patience,
      validation,
      seed: st.seed,
      members: this.members,
      refit: this.refit,
    };
  }
}
