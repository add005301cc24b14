/**
 * Run the simulation of many SKUs on a pool of worker threads. Every SKU has its own generator
 * (seeded from the master seed and its id), so the results are identical whatever the number of
 * workers or the way SKUs are chunked; they come back in input order.
 *
 * The worker script is the compiled `worker.js` next to this file. When it cannot run (the sources
 * are executed as TypeScript, e.g. under vitest) or one worker is asked for, everything runs in
 * this thread.
 */
import { Worker } from 'node:worker_threads';
import { type SimConfig, type SkuInput, type SkuResult, simulateSku } from './engine.js';

export interface PoolOptions {
  /** Worker threads (1 = in this thread). */
  workers: number;
  /** Called after every finished chunk. */
  onProgress?: (done: number, total: number) => void;
}

export interface PoolRun {
  results: SkuResult[];
  /** Threads actually used: 0 when the work ran in the calling thread. */
  threads: number;
}

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** Whether worker threads can run here (compiled JavaScript, not TypeScript sources). */
export function workersAvailable(): boolean {
  return import.meta.url.endsWith('.js');
}

export function simulateInThread(inputs: readonly SkuInput[], cfg: SimConfig, onProgress?: (done: number, total: number) => void): SkuResult[] {
  const out: SkuResult[] = [];
  for (const input of inputs) {
    out.push(simulateSku(input, cfg));
    if (onProgress && (out.length % 64 === 0 || out.length === inputs.length)) onProgress(out.length, inputs.length);
  }
  return out;
}

export async function simulateAll(inputs: readonly SkuInput[], cfg: SimConfig, opts: PoolOptions): Promise<PoolRun> {
  const threads = Math.min(opts.workers, inputs.length);
  if (threads <= 1 || !workersAvailable()) return { results: simulateInThread(inputs, cfg, opts.onProgress), threads: 0 };

  // Small chunks so both the load balances and progress moves; large enough to amortise messages.
  const chunk = Math.max(1, Math.min(256, Math.ceil(inputs.length / (threads * 16))));
  const chunks: { start: number; end: number }[] = [];
  for (let s = 0; s < inputs.length; s += chunk) chunks.push({ start: s, end: Math.min(inputs.length, s + chunk) });

  const results: SkuResult[] = new Array<SkuResult>(inputs.length);
  const pool: Worker[] = [];
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      const send = (w: Worker): boolean => {
        if (next >= chunks.length) return false;
        const id = next++;
        const c = chunks[id]!;
        w.postMessage({ id, inputs: inputs.slice(c.start, c.end) });
        return true;
      };
      for (let i = 0; i < threads; i++) {
        const w = new Worker(WORKER_URL, { workerData: cfg });
        pool.push(w);
        w.on('message', (msg: { id: number; results: SkuResult[] }) => {
          const c = chunks[msg.id]!;
          for (let k = 0; k < msg.results.length; k++) results[c.start + k] = msg.results[k]!;
          done += msg.results.length;
          opts.onProgress?.(done, inputs.length);
          if (!send(w) && ++finished === threads) resolve();
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (code !== 0) reject(new Error(`simulation worker exited with code ${code}`));
        });
        if (!send(w) && ++finished === threads) resolve();
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return { results, threads };
}
