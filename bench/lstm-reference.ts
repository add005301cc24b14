/**
 * Training throughput (windows/s) for the fixed reference configuration: LSTM 64 units over 28 steps
 * of 12 features, batch 256, a small dense head, Adam; random data. Compares tf.layers.lstm (trainOnBatch)
 * with the stockcast engine (hand-written LSTM ops), per backend and worker count, so the numbers
 * can be set next to other frameworks on the same machine.
 */
import { availableParallelism, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendChoice } from '../src/models/backend.js';
import { trainNetwork, type Batch, type NetworkSpec, type WindowSource } from '../src/models/lstm/index.js';

const REF = { window: 28, features: 12, units: 64, batch: 256 };
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);

const spec: NetworkSpec = {
  window: REF.window,
  horizon: 1,
  pastFeatures: REF.features,
  futureFeatures: 1,
  staticFeatures: 0,
  units: REF.units,
  decoderUnits: 16,
  quantiles: [0.5],
};

function randomSource(n: number): WindowSource {
  let s = 12345;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
  const past = Float32Array.from({ length: n * REF.window * REF.features }, r);
  const future = Float32Array.from({ length: n }, r);
  const target = Float32Array.from({ length: n }, r);
  return {
    size: n,
    batch(idx: ArrayLike<number>): Batch {
      const m = idx.length;
      const w = REF.window * REF.features;
      const b: Batch = { n: m, past: new Float32Array(m * w), future: new Float32Array(m), statics: new Float32Array(0), target: new Float32Array(m), mask: new Float32Array(m).fill(1) };
      for (let j = 0; j < m; j++) {
        const i = idx[j]!;
        b.past.set(past.subarray(i * w, (i + 1) * w), j * w);
        b.future[j] = future[i]!;
        b.target[j] = target[i]!;
      }
      return b;
    },
  };
}

interface Rate {
  /** windows per wall-clock second */
  wall: number;
  /** windows per CPU-second of this process (all threads): robust to other load on the machine */
  cpu: number;
}

function rate(windows: number, wallMs: number, cpu: NodeJS.CpuUsage): Rate {
  return { wall: windows / (wallMs / 1000), cpu: windows / ((cpu.user + cpu.system) / 1e6) };
}

/** tf.layers.lstm + dense, trainOnBatch (no shuffling, no Math.random). */
async function layersBaseline(): Promise<Rate> {
  const model = tf.sequential({
    layers: [
      tf.layers.lstm({ units: REF.units, inputShape: [REF.window, REF.features], recurrentActivation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanAbsoluteError' });
  const x = tf.randomUniform([REF.batch, REF.window, REF.features], -1, 1, 'float32', 4);
  const y = tf.randomUniform([REF.batch, 1], -1, 1, 'float32', 5);
  await model.trainOnBatch(x, y);
  let n = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - t0 < SECONDS * 1000) {
    await model.trainOnBatch(x, y);
    n += REF.batch;
  }
  const r = rate(n, performance.now() - t0, process.cpuUsage(c0));
  model.dispose();
  tf.dispose([x, y]);
  return r;
}

async function engine(workers: number, source: WindowSource, ratePerSecond: number): Promise<Rate> {
  // One epoch of about SECONDS at the expected rate (after a short warm-up epoch).
  const samples = Math.max(4, Math.round((ratePerSecond * SECONDS) / REF.batch)) * REF.batch;
  const opts = { epochs: 1, batchSize: REF.batch, learningRate: 1e-3, seed: 1, patience: 1, workers };
  await trainNetwork(spec, source, undefined, { ...opts, samplesPerEpoch: 2 * REF.batch });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const perEpoch = Math.min(samples, source.size);
  const { network, result } = await trainNetwork(spec, source, undefined, { ...opts, samplesPerEpoch: perEpoch });
  const r = rate(perEpoch, performance.now() - t0, process.cpuUsage(c0));
  network.dispose();
  if (result.workers !== workers) console.log(`  (asked for ${workers} threads, got ${result.workers}: is dist/ built?)`);
  return { wall: result.samplesPerSecond, cpu: r.cpu };
}

function load(): string {
  return `load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

export async function bench(): Promise<void> {
  console.log(`reference: LSTM ${REF.units} units, ${REF.window} steps, ${REF.features} features, batch ${REF.batch}; forward + backward + Adam; ${availableParallelism()} cores`);
  const source = randomSource(16384);
  const record = (what: string, r: Rate) => {
    const line = `${what.padEnd(42)} ${r.wall.toFixed(0).padStart(6)} samples/s  ${r.cpu.toFixed(0).padStart(6)} samples/CPU-s  (${load()})`;
    console.log(line);
  };
  console.log('samples/CPU-s = windows per second of CPU time used (all threads): the rate on an otherwise idle core');
  const only = process.env.BENCH_ONLY;
  for (const backend of ['wasm', 'cpu'] as BackendChoice[]) {
    await initBackend(backend);
    const slow = backend === 'cpu';
    if (!only || only.includes('layers')) record(`${backend}: tf.layers.lstm trainOnBatch`, await layersBaseline());
    for (const workers of slow ? [1] : [1, 2]) {
      if (!only || only.includes(`engine${workers}`)) record(`${backend}: stockcast engine, ${workers} worker(s)`, await engine(workers, source, slow ? 300 : 2000));
    }
  }
}
