/** A gradient worker thread (see pool.ts): initializes its backend, then answers shard requests. */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, type BackendChoice } from '../backend.js';
import type { Batch, NetworkSpec } from './contract.js';
import * as tf from '@tensorflow/tfjs';
import { lossSum, shardGradient, trainableTensors } from './model-ops.js';
import { probe } from './pool.js';

interface Request {
  type: 'grad' | 'loss';
  id: number;
  spec: NetworkSpec;
  params: Float32Array[];
  shard: Batch;
  denom: number;
}

const port = parentPort!;
try {
  await initBackend((workerData as { backend: BackendChoice }).backend);
  port.on('message', (m: Request) => {
    try {
      if (m.type === 'loss') {
        const t = trainableTensors(m.spec, m.params);
        const loss = lossSum(m.spec, t, m.shard, 0, m.shard.n);
        tf.dispose(t);
        port.postMessage({ type: 'loss', id: m.id, loss });
        return;
      }
      const { loss, grads } = shardGradient(m.spec, m.params, m.shard, m.denom);
      const copies = grads.map((g) => g.slice());
      port.postMessage({ type: 'grad', id: m.id, loss, grads: copies }, copies.map((g) => g.buffer));
    } catch (err) {
      port.postMessage({ type: 'error', id: m.id, message: err instanceof Error ? err.message : String(err) });
    }
  });
  port.postMessage({ type: 'ready', ...probe() });
} catch (err) {
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
