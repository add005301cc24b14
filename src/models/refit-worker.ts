/** Worker-thread entry of refit-pool.ts: fits and forecasts each classical job it is sent. */
import { parentPort } from 'node:worker_threads';
import { type RefitJob, ownResult, runRefitJob } from './refit-pool.js';

const port = parentPort!;
port.on('message', (m: { id: number; job: RefitJob }) => {
  runRefitJob(m.job).then(
    (result) => port.postMessage({ id: m.id, result: ownResult(result) }),
    (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
