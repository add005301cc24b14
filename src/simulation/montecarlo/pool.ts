/**
 * A pool of simulation worker threads that stays up across many runs: `stock backtest --replan`
 * simulates every SKU at every replan date, and starting threads for each of them would cost more
 * than some of the runs. Each message carries its own config, so one pool serves every replan and
 * every service level. Results are identical whatever the number of threads (every SKU has its own
 * generator) and come back in input order.
 *
 * Like workers.ts: the worker script is the compiled `pool-worker.js` next to this file; when it
 * cannot run (TypeScript sources, under vitest) or one thread is asked for, the pool runs in this
 * thread.
 */
import { Worker } from 'node:worker_threads';
import { type SimConfig, type SkuInput, type SkuResult, simulateSkuLevels } from './engine.js';
import { workersAvailable } from './workers.js';

const WORKER_URL = new URL('./pool-worker.js', import.meta.url);

/** Simulates SKUs at several service levels: results[i][k] = SKU i at levels[k]. */
export type LevelSimulator = (inputs: readonly SkuInput[], cfg: SimConfig, levels: readonly number[]) => Promise<SkuResult[][]>;

export function simulateLevelsInThread(inputs: readonly SkuInput[], cfg: SimConfig, levels: readonly number[]): SkuResult[][] {
  return inputs.map((input) => simulateSkuLevels(input, cfg, levels));
}

interface Job {
  resolve: (r: SkuResult[][]) => void;
  reject: (e: unknown) => void;
  results: SkuResult[][];
  chunks: { start: number; end: number }[];
  next: number;
  pending: number;
  inputs: readonly SkuInput[];
  cfg: SimConfig;
  levels: readonly number[];
}

export class SimulationPool {
  private readonly workers: Worker[] = [];
  private job: Job | undefined;
  private failure: unknown;
  /** Threads started: 0 when the work runs in the calling thread. */
  readonly threads: number;

  /** `threads` worker threads (0 or 1, or no compiled worker: everything in this thread). */
  constructor(threads: number) {
    this.threads = threads <= 1 || !workersAvailable() ? 0 : threads;
    if (this.threads === 0) return;
    for (let i = 0; i < threads; i++) {
      const w = new Worker(WORKER_URL);
      w.on('message', (msg: { id: number; results: SkuResult[][] }) => this.received(w, msg));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`simulation worker exited with code ${code}`));
      });
      this.workers.push(w);
    }
  }

  readonly simulate: LevelSimulator = (inputs, cfg, levels) => {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.workers.length === 0 || inputs.length < 2) return Promise.resolve(simulateLevelsInThread(inputs, cfg, levels));
    if (this.job !== undefined) return Promise.reject(new Error('SimulationPool: one run at a time'));
    const chunk = Math.max(1, Math.min(256, Math.ceil(inputs.length / (this.workers.length * 16))));
    const chunks: { start: number; end: number }[] = [];
    for (let s = 0; s < inputs.length; s += chunk) chunks.push({ start: s, end: Math.min(inputs.length, s + chunk) });
    return new Promise<SkuResult[][]>((resolve, reject) => {
      this.job = { resolve, reject, results: new Array<SkuResult[]>(inputs.length), chunks, next: 0, pending: 0, inputs, cfg, levels };
      for (const w of this.workers) this.send(w);
    });
  };

  private send(w: Worker): void {
    const job = this.job!;
    if (job.next >= job.chunks.length) return;
    const id = job.next++;
    const c = job.chunks[id]!;
    job.pending++;
    w.postMessage({ id, cfg: job.cfg, levels: job.levels, inputs: job.inputs.slice(c.start, c.end) });
  }

  private received(w: Worker, msg: { id: number; results: SkuResult[][] }): void {
    const job = this.job;
    if (job === undefined) return;
    const c = job.chunks[msg.id]!;
    for (let k = 0; k < msg.results.length; k++) job.results[c.start + k] = msg.results[k]!;
    job.pending--;
    this.send(w);
    if (job.pending === 0 && job.next >= job.chunks.length) {
      this.job = undefined;
      job.resolve(job.results);
    }
  }

  private fail(e: unknown): void {
    this.failure ??= e;
    const job = this.job;
    this.job = undefined;
    job?.reject(e);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
