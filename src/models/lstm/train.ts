/**
 * The training loop: seeded sampling of windows per epoch, Adam on the masked pinball loss, early
 * stopping on the validation windows with the best weights restored. No Math.random, no model.fit.
 * Each batch is cut into GRADIENT_SHARDS fixed shards whose gradients are summed in shard order, so
 * the main thread alone or with worker threads computes bit-identical updates.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { RuntimeError } from '../../errors.js';
import { Adam } from './adam.js';
import type { Batch, NetworkSpec, TrainOptions, TrainResult, TrainedNetwork, WindowSource } from './contract.js';
import { fromTrainable, lossSum, shardGradient, toTrainable, trainableTensors } from './model-ops.js';
import { Network } from './network.js';
import { initParams, validateSpec } from './params.js';
import { GradientPool, type ShardResult } from './pool.js';
import { hashSeed, sampleWithoutReplacement } from './rng.js';
import { checkBatch, maskCount } from './tensors.js';

/** Shards per batch: the most threads one batch can use. Fixed, so results do not depend on workers. */
export const GRADIENT_SHARDS = 2;
/** Windows per forward pass when scoring the validation set. */
const EVAL_CHUNK = 1024;

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
  const params = toTrainable(initParams(spec, hashSeed(opts.seed, 'init')));
  const adam = new Adam(
    params.map((p) => p.length),
    opts.learningRate,
  );
  const perEpoch = Math.min(opts.samplesPerEpoch ?? train.size, train.size);
  const pool = await startPool(opts.workers ?? defaultWorkers(perEpoch * opts.epochs));
  const threads = 1 + (pool?.size ?? 0);
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
      const order = sampleWithoutReplacement(train.size, perEpoch, hashSeed(opts.seed, `epoch ${epoch}`));
      let lossSum = 0;
      let lossCount = 0;
      for (let from = 0; from < order.length; from += opts.batchSize) {
        const b = train.batch(order.subarray(from, Math.min(order.length, from + opts.batchSize)));
        checkBatch(spec, b);
        const count = maskCount(b.mask);
        if (count > 0) {
          const { loss: v, grads } = await step(spec, params, b, count * Q, pool, threads);
          if (!Number.isFinite(v)) throw new RuntimeError(`training diverged at epoch ${epoch} (loss ${v})`, 'lower --learning-rate');
          adam.step(params, grads);
          lossSum += v * count;
          lossCount += count;
        }
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

/** Fixed shard boundaries of a batch of n windows (empty shards dropped). */
function shardRanges(n: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let s = 0; s < GRADIENT_SHARDS; s++) {
    const lo = Math.floor((s * n) / GRADIENT_SHARDS);
    const hi = Math.floor(((s + 1) * n) / GRADIENT_SHARDS);
    if (hi > lo) ranges.push([lo, hi]);
  }
  return ranges;
}

/**
 * Runs `local` or `remote` for each shard of b: shard s on thread s % threads (thread 0 = this one).
 * The workers' shards are posted first, so they run while this thread computes its own. A shard whose
 * worker fails is computed here instead (same result, only slower).
 */
async function perShard(
  spec: NetworkSpec,
  b: Batch,
  threads: number,
  local: (shard: Batch) => ShardResult,
  remote: (worker: number, shard: Batch) => Promise<ShardResult>,
): Promise<ShardResult[]> {
  const ranges = shardRanges(b.n);
  const posted = new Map<number, Promise<ShardResult>>();
  ranges.forEach(([lo, hi], s) => {
    if (s % threads === 0) return;
    const shard = subBatch(spec, b, lo, hi, true);
    posted.set(
      s,
      remote((s % threads) - 1, shard).catch(() => local(shard)),
    );
  });
  const own = new Map<number, ShardResult>();
  ranges.forEach(([lo, hi], s) => {
    if (s % threads === 0) own.set(s, local(subBatch(spec, b, lo, hi, false)));
  });
  return Promise.all(ranges.map((_, s) => own.get(s) ?? posted.get(s)!));
}

/** One batch: the summed loss and gradient of its shards, added in shard order. */
async function step(
  spec: NetworkSpec,
  params: Float32Array[],
  b: Batch,
  denom: number,
  pool: GradientPool | undefined,
  threads: number,
): Promise<ShardResult> {
  const done = await perShard(
    spec,
    b,
    threads,
    (shard) => shardGradient(spec, params, shard, denom),
    (worker, shard) => pool!.gradient(worker, spec, params, shard, denom),
  );
  const sum = done[0]!.grads.map((g) => g.slice());
  let loss = done[0]!.loss;
  for (let s = 1; s < done.length; s++) {
    loss += done[s]!.loss;
    done[s]!.grads.forEach((g, k) => {
      const acc = sum[k]!;
      for (let i = 0; i < g.length; i++) acc[i] = acc[i]! + g[i]!;
    });
  }
  return { loss, grads: sum };
}

/** Windows [lo, hi) of a batch; copies when the shard is posted to a worker. */
function subBatch(spec: NetworkSpec, b: Batch, lo: number, hi: number, copy: boolean): Batch {
  const { window: T, horizon: H, pastFeatures: P, futureFeatures: F, staticFeatures: S } = spec;
  const cut = (a: Float32Array, per: number) => (copy ? a.slice(lo * per, hi * per) : a.subarray(lo * per, hi * per));
  return {
    n: hi - lo,
    past: cut(b.past, T * P),
    future: cut(b.future, H * F),
    statics: cut(b.statics, S),
    target: cut(b.target, H),
    mask: cut(b.mask, H),
  };
}

/** Mean masked pinball loss over every window of `source` (shards as in training, so any thread count agrees). */
export async function evaluate(
  spec: NetworkSpec,
  params: Float32Array[],
  source: WindowSource,
  pool?: GradientPool,
): Promise<number> {
  const threads = 1 + (pool?.size ?? 0);
  const t = trainableTensors(spec, params);
  let sum = 0;
  let count = 0;
  try {
    for (let from = 0; from < source.size; from += EVAL_CHUNK) {
      const idx = new Int32Array(Math.min(EVAL_CHUNK, source.size - from));
      for (let i = 0; i < idx.length; i++) idx[i] = from + i;
      const b = source.batch(idx);
      checkBatch(spec, b);
      const done = await perShard(
        spec,
        b,
        threads,
        (shard) => ({ loss: lossSum(spec, t, shard, 0, shard.n), grads: [] }),
        (worker, shard) => pool!.loss(worker, spec, params, shard),
      );
      for (const d of done) sum += d.loss;
      count += maskCount(b.mask);
    }
  } finally {
    tf.dispose(t);
  }
  return count > 0 ? sum / (count * spec.quantiles.length) : NaN;
}

/** Windows of training below which a worker thread is not worth its start-up (~0.5 s). */
const WORKER_MIN_WINDOWS = 50_000;

/** Both cores for real trainings; one thread for small ones (tests, tiny data). */
function defaultWorkers(totalWindows: number): number {
  return totalWindows >= WORKER_MIN_WINDOWS ? Math.min(GRADIENT_SHARDS, availableParallelism()) : 1;
}

async function startPool(workers: number): Promise<GradientPool | undefined> {
  const backend = tf.getBackend();
  const extra = Math.min(workers, GRADIENT_SHARDS) - 1;
  if (extra < 1 || (backend !== 'wasm' && backend !== 'cpu')) return undefined;
  try {
    return await GradientPool.start(extra, backend);
  } catch {
    // Workers are an optimization: results are identical without them.
    return undefined;
  }
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
  if (!(opts.learningRate > 0)) throw new RangeError(`TrainOptions.learningRate must be > 0, got ${opts.learningRate}`);
  if (train.size < 1) throw new RangeError('no training windows');
}
