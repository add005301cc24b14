/** Worker-thread entry of SimulationPool: simulates each chunk at the levels and with the config its message carries. */
import { parentPort } from 'node:worker_threads';
import { type SimConfig, type SkuInput, simulateSkuLevels } from './engine.js';

parentPort!.on('message', (msg: { id: number; cfg: SimConfig; levels: number[]; inputs: SkuInput[] }) => {
  const results = msg.inputs.map((input) => simulateSkuLevels(input, msg.cfg, msg.levels));
  parentPort!.postMessage({ id: msg.id, results });
});
