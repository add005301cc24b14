/** Worker-thread entry of refit-pool.ts: fits and forecasts each classical job it is sent. */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type RefitJob, ownResult, runRefitJob } from './refit-pool.js';

/**
 * Lowers this thread's priority (only this thread's: on Linux a thread's nice value is its own,
 * set through its thread id). Where that is not possible the thread runs at normal priority.
 */
function renice(nice: number): void {
  if (!(nice > 0)) return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // Not Linux, or not allowed: normal priority.
  }
}

renice(Number((workerData as { nice?: number } | null)?.nice ?? 0));

const port = parentPort!;
port.on('message', (m: { id: number; job: RefitJob }) => {
  runRefitJob(m.job).then(
    (result) => port.postMessage({ id: m.id, result: ownResult(result) }),
    (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
