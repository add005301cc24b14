/**
 * The training loop: seeded sampling of windows per epoch, Adam on the masked pinball loss, early
 * stopping on the validation windows with the best weights restored. No Math.random, no model.fit.
 * Gradients and validation losses are computed in fixed shards (shards.ts), on worker threads too.
 */
import { basisSeed } from '../../core/random.js';
import { RuntimeError } from '../../errors.js';
import { Adam } from './adam.js';
import type { Batch, LrSchedule, NetworkSpec, TrainOptions, TrainResult, TrainedNetwork, WindowSource } from './contract.js';
import { fromTrainable, toTrainable } from './model-ops.js';
import { Network } from './network.js';
import { initParams, validateSpec } from './params.js';
import { normal, sampleWithoutReplacement } from './rng.js';
import { defaultWorkers, evaluate, startPool, step } from './shards.js';
import { checkBatch, maskCount } from './tensors.js';

/** Engine defaults of the regularization options (docs/forecasting.md, "An LSTM that earns its place"). */
export const DEFAULT_WEIGHT_DECAY = 0;
export const DEFAULT_LR_SCHEDULE: LrSchedule = 'constant';
export const DEFAULT_INPUT_NOISE = 0;

/** Learning-rate multiplier at optimizer step `s` (0-based) of `total`, `warm` of them warm-up. */
export function lrScale(schedule: LrSchedule, s: number, total: number, warm: number): number {
  if (schedule === 'constant') return 1;
  if (s < warm) return (s + 1) / warm;
  const t = Math.min(1, (s - warm) / Math.max(1, total - warm));
  const floor = 0.05;
  return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
}

export interface TrainOutcome {
  network: TrainedNetwork;
  result: TrainResult & { workers: number };
}

export async function trainNetwork(
  spec: NetworkSpec,
  train: WindowSource,
  valid: WindowSource | undefined,
  opts: TrainOptions,
): Promise<TrainOutcome> {
  validateSpec(spec);
  checkOptions(opts, train);
  const Q = spec.quantiles.length;
  const params = toTrainable(initParams(spec, basisSeed(opts.seed, 'init')));
  const adam = new Adam(
    params.map((p) => p.length),
    opts.learningRate,
    0.9,
    0.999,
    1e-7,
    opts.weightDecay ?? DEFAULT_WEIGHT_DECAY,
  );
  const schedule = opts.lrSchedule ?? DEFAULT_LR_SCHEDULE;
  const noise = opts.inputNoise ?? DEFAULT_INPUT_NOISE;
  const perEpoch = Math.min(opts.samplesPerEpoch ?? train.size, train.size);
  const pool = await startPool(opts.workers ?? defaultWorkers(perEpoch * opts.epochs));
  const threads = 1 + (pool?.size ?? 0);
  const stepsPerEpoch = Math.ceil(perEpoch / opts.batchSize);
  let steps = 0;
  const history: TrainResult['history'] = [];
  let best = { epoch: 0, monitor: Infinity, params: params.map((p) => p.slice()) };
  let trainSeconds = 0;
  let trained = 0;
  const started = performance.now();
  let epoch = 0;
  try {
    while (epoch < opts.epochs) {
      epoch++;
      const epochStart = performance.now();
      const order = sampleWithoutReplacement(train.size, perEpoch, basisSeed(opts.seed, `epoch ${epoch}`));
      const gauss = noise > 0 ? normal(basisSeed(opts.seed, `noise ${epoch}`)) : undefined;
      let lossSum = 0;
      let lossCount = 0;
      const batchAt = (from: number): Batch => {
        const raw = train.batch(order.subarray(from, Math.min(order.length, from + opts.batchSize)));
        const b = gauss === undefined ? raw : { ...raw, past: raw.past.map((x) => x + noise * gauss()) };
        checkBatch(spec, b);
        return b;
      };
      let next: Batch | undefined = batchAt(0);
      for (let from = 0; from < order.length; from += opts.batchSize) {
        const b: Batch = next!;
        const count = maskCount(b.mask);
        // step computes this thread's shard before it returns; the next batch (which does not
        // depend on the weights) is built while the workers finish theirs.
        const pending = count > 0 ? step(spec, params, b, count * Q, pool, threads) : undefined;
        pending?.catch(() => undefined); // awaited below; this only keeps a failure while the next batch is built from being reported as unhandled
        next = from + opts.batchSize < order.length ? batchAt(from + opts.batchSize) : undefined;
        if (pending) {
          const { loss: v, grads } = await pending;
          if (!Number.isFinite(v)) throw new RuntimeError(`training diverged at epoch ${epoch} (loss ${v})`, 'lower --learning-rate');
          adam.step(params, grads, lrScale(schedule, steps, stepsPerEpoch * opts.epochs, stepsPerEpoch));
          lossSum += v * count;
          lossCount += count;
        }
        steps++;
        opts.onProgress?.(Math.min(order.length, from + opts.batchSize), order.length);
      }
      const trainEnd = performance.now();
      trainSeconds += (trainEnd - epochStart) / 1000;
      trained += order.length;
      const loss = lossCount > 0 ? lossSum / lossCount : NaN;
      const valLoss = valid && valid.size > 0 ? await evaluate(spec, params, valid, pool) : NaN;
      const monitor = Number.isNaN(valLoss) ? loss : valLoss;
      const improved = monitor < best.monitor;
      if (improved) best = { epoch, monitor, params: params.map((p) => p.slice()) };
      history.push({ loss, valLoss });
      opts.onEpoch?.({
        epoch,
        epochs: opts.epochs,
        loss,
        valLoss,
        samplesPerSecond: order.length / ((trainEnd - epochStart) / 1000),
        seconds: (performance.now() - epochStart) / 1000,
        best: improved,
      });
      if (epoch - best.epoch >= opts.patience) break;
    }
  } finally {
    await pool?.close();
  }
  return {
    network: new Network(spec, fromTrainable(spec, best.params)),
    result: {
      epochsRun: epoch,
      bestEpoch: best.epoch,
      bestValLoss: best.monitor,
      history,
      samplesPerSecond: trainSeconds > 0 ? trained / trainSeconds : 0,
      seconds: (performance.now() - started) / 1000,
      workers: threads,
    },
  };
}

function checkOptions(opts: TrainOptions, train: WindowSource): void {
  const ints: [string, number | undefined][] = [
    ['epochs', opts.epochs],
    ['batchSize', opts.batchSize],
    ['patience', opts.patience],
    ['samplesPerEpoch', opts.samplesPerEpoch],
    ['workers', opts.workers],
  ];
  for (const [name, v] of ints) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new RangeError(`TrainOptions.${name} must be an integer >= 1, got ${v}`);
  }
  for (const [name, v] of [['weightDecay', opts.weightDecay], ['inputNoise', opts.inputNoise]] as const) {
    if (v !== undefined && !(v >= 0 && Number.isFinite(v))) throw new RangeError(`TrainOptions.${name} must be a finite number >= 0, got ${v}`);
  }
  if (!(opts.learningRate > 0)) throw new RangeError(`TrainOptions.learningRate must be > 0, got ${opts.learningRate}`);
  if (train.size < 1) throw new RangeError('no training windows');
}
