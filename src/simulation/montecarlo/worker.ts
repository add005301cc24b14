/** Worker-thread entry: simulates the chunks of SKUs the pool sends, with the config it was started with. */
import { parentPort, workerData } from 'node:worker_threads';
import { type SimConfig, type SkuInput, simulateSku } from './engine.js';

const cfg = workerData as SimConfig;
parentPort!.on('message', (msg: { id: number; inputs: SkuInput[] }) => {
  const results = msg.inputs.map((input) => simulateSku(input, cfg));
  parentPort!.postMessage({ id: msg.id, results });
});
