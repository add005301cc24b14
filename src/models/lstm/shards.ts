/**
 * Sharded computation: each batch is cut into GRADIENT_SHARDS fixed shards; shard s runs on thread
 * s % threads (thread 0 = this one, the others are worker_threads) and the shard results are summed in
 * shard order, so one thread or several compute bit-identical updates and validation losses.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { Batch, NetworkSpec, WindowSource } from './contract.js';
import { lossSum, shardGradient, trainableTensors } from './model-ops.js';
import { GradientPool, type ShardResult } from './pool.js';
import { checkBatch, maskCount } from './tensors.js';

/** Shards per batch: the most threads one batch can use. Fixed, so results do not depend on workers. */
export const GRADIENT_SHARDS = 2;
/** Windows per forward pass when scoring the validation set. */
const EVAL_CHUNK = 1024;

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

/**
 * One batch: the summed loss and gradient of its shards, added in shard order. This thread's shards
 * are computed before the promise is returned (the workers' are posted first), so a caller can do
 * other work while the workers finish (train.ts builds the next batch then).
 */
export async function step(
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

/** Validation sets up to this many floats (128 MiB) keep their batches between epochs. */
const EVAL_CACHE_FLOATS = 32 * 1024 * 1024;
const evalCache = new WeakMap<WindowSource, Batch[]>();

/** The chunks of `source` scored by evaluate: built once per source (every epoch and member scores the same windows) if small enough. */
function* evalBatches(spec: NetworkSpec, source: WindowSource): Generator<Batch> {
  const cached = evalCache.get(source);
  if (cached) {
    yield* cached;
    return;
  }
  const perWindow = spec.window * spec.pastFeatures + spec.horizon * (spec.futureFeatures + 2) + spec.staticFeatures;
  const keep: Batch[] | undefined = source.size * perWindow <= EVAL_CACHE_FLOATS ? [] : undefined;
  for (let from = 0; from < source.size; from += EVAL_CHUNK) {
    const idx = new Int32Array(Math.min(EVAL_CHUNK, source.size - from));
    for (let i = 0; i < idx.length; i++) idx[i] = from + i;
    const b = source.batch(idx);
    checkBatch(spec, b);
    keep?.push(b);
    yield b;
  }
  if (keep) evalCache.set(source, keep);
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
    for (const b of evalBatches(spec, source)) {
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
export function defaultWorkers(totalWindows: number): number {
  return totalWindows >= WORKER_MIN_WINDOWS ? Math.min(GRADIENT_SHARDS, availableParallelism()) : 1;
}

/** Worker threads beyond this one (wasm and cpu backends only), or undefined. */
export async function startPool(workers: number): Promise<GradientPool | undefined> {
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

