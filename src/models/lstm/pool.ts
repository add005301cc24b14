/**
 * Data-parallel gradient workers (worker_threads). Each worker runs its own TF.js backend and computes
 * shardGradient for the shards it is sent; the trainer sums the shards in a fixed order, so results
 * do not depend on how many workers there are.
 */
import { Worker } from 'node:worker_threads';
import type { Batch, NetworkSpec } from './contract.js';
import { shardGradient, toTrainable } from './model-ops.js';
import { initParams } from './params.js';

export interface ShardResult {
  loss: number;
  grads: Float32Array[];
}

interface Reply {
  type: 'ready' | 'grad' | 'loss' | 'error';
  id?: number;
  loss?: number;
  grads?: Float32Array[];
  message?: string;
}

/** The compiled worker script (under vitest this module runs from src/*.ts: use the built dist/ copy). */
function workerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new URL('./worker.js', here);
  return new URL(here.replace(/\/src\/models\/lstm\/[^/]+\.ts$/, '/dist/src/models/lstm/worker.js'));
}

export class GradientPool {
  private next = 0;
  /** Set once a worker errs or exits: every later request fails at once (the trainer then computes locally). */
  private broken = false;
  private readonly pending = new Map<number, { resolve: (r: ShardResult) => void; reject: (e: Error) => void }>();

  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.on('message', (m: Reply) => this.reply(m));
      w.on('error', (e) => this.failAll(e));
      w.on('exit', () => this.failAll(new Error('gradient worker exited')));
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Starts `count` workers on the given backend ('wasm' or 'cpu'); rejects if any fails to start, or
   * computes the probe gradient differently from this thread (e.g. a stale build of the worker
   * script), since results must not depend on the number of workers.
   */
  static async start(count: number, backend: 'wasm' | 'cpu'): Promise<GradientPool> {
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < count; i++) workers.push(new Worker(workerUrl(), { workerData: { backend } }));
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const onMessage = (m: Reply) => {
                w.off('error', onError);
                if (m.type !== 'ready') reject(new Error(m.message ?? 'gradient worker failed to start'));
                else if (!sameResult(m as ShardResult, probe())) reject(new Error('gradient worker computes differently from the main thread'));
                else resolve();
              };
              const onError = (e: Error) => {
                w.off('message', onMessage);
                reject(e);
              };
              w.once('message', onMessage);
              w.once('error', onError);
            }),
        ),
      );
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new GradientPool(workers);
  }

  /** Sends one shard to worker `index` (posted now; the reply resolves the promise). */
  gradient(index: number, spec: NetworkSpec, params: Float32Array[], shard: Batch, denom: number): Promise<ShardResult> {
    return this.request(index, { type: 'grad', spec, params, shard, denom });
  }

  /** Sum of the masked pinball loss over a shard (no gradient); grads is empty. */
  loss(index: number, spec: NetworkSpec, params: Float32Array[], shard: Batch): Promise<ShardResult> {
    return this.request(index, { type: 'loss', spec, params, shard, denom: 1 });
  }

  private request(index: number, message: object): Promise<ShardResult> {
    if (this.broken) return Promise.reject(new Error('gradient worker unavailable'));
    const id = this.next++;
    return new Promise<ShardResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[index]!.postMessage({ ...message, id });
    });
  }

  async close(): Promise<void> {
    this.broken = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private reply(m: Reply): void {
    const p = m.id === undefined ? undefined : this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id!);
    if (m.type === 'grad' || m.type === 'loss') p.resolve({ loss: m.loss!, grads: m.grads ?? [] });
    else p.reject(new Error(m.message ?? 'gradient worker failed'));
  }

  private failAll(e: Error): void {
    this.broken = true;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/** A small fixed gradient every thread computes at start-up; they must agree bit for bit. */
const PROBE_SPEC: NetworkSpec = { window: 3, horizon: 2, pastFeatures: 2, futureFeatures: 1, staticFeatures: 1, units: 3, decoderUnits: 3, quantiles: [0.1, 0.5, 0.9] };

export function probe(): ShardResult {
  const n = 3;
  const wave = (len: number, k: number) => Float32Array.from({ length: len }, (_, i) => Math.sin(i * k + 1));
  const shard: Batch = { n, past: wave(18, 0.7), future: wave(6, 1.3), statics: wave(3, 2.1), target: wave(6, 0.4), mask: new Float32Array(6).fill(1) };
  return shardGradient(PROBE_SPEC, toTrainable(initParams(PROBE_SPEC, 1)), shard, 18);
}

function sameResult(a: ShardResult, b: ShardResult): boolean {
  if (a.loss !== b.loss || a.grads?.length !== b.grads.length) return false;
  return b.grads.every((g, k) => g.length === a.grads[k]!.length && g.every((v, i) => Object.is(v, a.grads[k]![i])));
}
