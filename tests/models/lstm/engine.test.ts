import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/models/backend.js';
import { lrScale } from '../../../src/models/lstm/train.js';
import { loadNetwork, trainNetwork, type Batch, type NetworkSpec, type TrainOptions, type WindowSource } from '../../../src/models/lstm/index.js';

const spec: NetworkSpec = {
  window: 6,
  horizon: 3,
  pastFeatures: 2,
  futureFeatures: 2,
  staticFeatures: 1,
  units: 8,
  decoderUnits: 8,
  quantiles: [0.1, 0.5, 0.9],
};

/** Deterministic pseudo-random numbers for the fixtures (LCG). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * n windows where the target of each step is 2 * (that step's first future feature) + 0.5 * static
 * + last observed value, plus small noise; `maskEvery` masks every k-th target and writes `garbage` there.
 */
function synthetic(n: number, seed: number, opts: { maskEvery?: number; garbage?: number; noise?: number } = {}): WindowSource & { all: Batch } {
  const r = lcg(seed);
  const { window: T, horizon: H, pastFeatures: P, futureFeatures: F, staticFeatures: S } = spec;
  const past = new Float32Array(n * T * P);
  const future = new Float32Array(n * H * F);
  const statics = new Float32Array(n * S);
  const target = new Float32Array(n * H);
  const mask = new Float32Array(n * H).fill(1);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) {
      past[(i * T + t) * P] = r() * 2 - 1;
      past[(i * T + t) * P + 1] = 1;
    }
    statics[i] = r();
    const last = past[(i * T + T - 1) * P]!;
    for (let h = 0; h < H; h++) {
      const promo = r() < 0.3 ? 1 : 0;
      future[(i * H + h) * F] = promo;
      future[(i * H + h) * F + 1] = r();
      const k = i * H + h;
      target[k] = 2 * promo + 0.5 * statics[i]! + last + (opts.noise ?? 0.05) * (r() - 0.5);
      if (opts.maskEvery && k % opts.maskEvery === 0) {
        mask[k] = 0;
        target[k] = opts.garbage ?? 0;
      }
    }
  }
  const all: Batch = { n, past, future, statics, target, mask };
  return {
    size: n,
    all,
    batch(indices: ArrayLike<number>): Batch {
      const m = indices.length;
      const b: Batch = {
        n: m,
        past: new Float32Array(m * T * P),
        future: new Float32Array(m * H * F),
        statics: new Float32Array(m * S),
        target: new Float32Array(m * H),
        mask: new Float32Array(m * H),
      };
      for (let j = 0; j < m; j++) {
        const i = indices[j]!;
        b.past.set(past.subarray(i * T * P, (i + 1) * T * P), j * T * P);
        b.future.set(future.subarray(i * H * F, (i + 1) * H * F), j * H * F);
        b.statics.set(statics.subarray(i * S, (i + 1) * S), j * S);
        b.target.set(target.subarray(i * H, (i + 1) * H), j * H);
        b.mask.set(mask.subarray(i * H, (i + 1) * H), j * H);
      }
      return b;
    },
  };
}

/** Mean masked pinball loss of predictions against a batch. */
function pinball(pred: Float32Array, b: Batch, quantiles: number[]): number {
  let sum = 0;
  let count = 0;
  for (let k = 0; k < b.n * spec.horizon; k++) {
    if (b.mask[k] === 0) continue;
    count++;
    quantiles.forEach((q, j) => {
      const e = b.target[k]! - pred[k * quantiles.length + j]!;
      sum += Math.max(q * e, (q - 1) * e);
    });
  }
  return sum / (count * quantiles.length);
}

const base: TrainOptions = { epochs: 25, batchSize: 64, learningRate: 0.02, seed: 7, patience: 25 };
const trainSet = synthetic(512, 1);
const validSet = synthetic(128, 2);

beforeAll(async () => {
  await initBackend('wasm');
});

describe('trainNetwork', () => {
  test('learns a mapping driven by the future features, with ordered quantiles', async () => {
    const { network, result } = await trainNetwork(spec, trainSet, validSet, base);
    const pred = await network.predict(validSet.all);
    // A constant forecast (the median of the targets) scores about 0.4 here.
    const constant = new Float32Array(pred.length).fill(0.9);
    expect(pinball(constant, validSet.all, spec.quantiles)).toBeGreaterThan(0.3);
    expect(pinball(pred, validSet.all, spec.quantiles)).toBeLessThan(0.08);
    expect(result.bestValLoss).toBeCloseTo(pinball(pred, validSet.all, spec.quantiles), 4);
    for (let k = 0; k < pred.length; k += 3) {
      expect(pred[k]!).toBeLessThanOrEqual(pred[k + 1]!);
      expect(pred[k + 1]!).toBeLessThanOrEqual(pred[k + 2]!);
    }
    // Median and p90 coverage roughly right: most targets lie below p90, few below p10.
    let below10 = 0;
    let below90 = 0;
    for (let k = 0; k < validSet.all.target.length; k++) {
      if (validSet.all.target[k]! < pred[k * 3]!) below10++;
      if (validSet.all.target[k]! < pred[k * 3 + 2]!) below90++;
    }
    expect(below10 / validSet.all.target.length).toBeLessThan(0.3);
    expect(below90 / validSet.all.target.length).toBeGreaterThan(0.7);
    network.dispose();
  });

  test('quantiles stay ordered for any input, even extreme ones', async () => {
    const { network } = await trainNetwork(spec, trainSet, undefined, { ...base, epochs: 2 });
    const wild = synthetic(64, 3).all;
    const r = lcg(9);
    for (const arr of [wild.past, wild.future, wild.statics]) for (let i = 0; i < arr.length; i++) arr[i] = (r() - 0.5) * 200;
    const pred = await network.predict(wild);
    for (let k = 0; k < pred.length; k += 3) {
      expect(pred[k]!).toBeLessThanOrEqual(pred[k + 1]!);
      expect(pred[k + 1]!).toBeLessThanOrEqual(pred[k + 2]!);
    }
    network.dispose();
  });

  test('same seed -> identical weights and predictions; another seed -> different', async () => {
    const opts = { ...base, epochs: 3, samplesPerEpoch: 200 };
    const a = await trainNetwork(spec, trainSet, validSet, opts);
    const b = await trainNetwork(spec, trainSet, validSet, opts);
    const c = await trainNetwork(spec, trainSet, validSet, { ...opts, seed: 8 });
    const [pa, pb, pc] = await Promise.all([a, b, c].map((r) => r.network.predict(validSet.all)));
    expect(Buffer.from(pb!.buffer).equals(Buffer.from(pa!.buffer))).toBe(true);
    expect(Buffer.from(pc!.buffer).equals(Buffer.from(pa!.buffer))).toBe(false);
    expect(b.result.history).toEqual(a.result.history);
    const [fa, fb] = await Promise.all([a.network.save(), b.network.save()]);
    expect(fb.modelJson).toBe(fa.modelJson);
    expect(Buffer.from(fb.weights).equals(Buffer.from(fa.weights))).toBe(true);
    for (const r of [a, b, c]) r.network.dispose();
  });

  test('weight decay, a cosine schedule and input noise: deterministic, and each changes the weights', async () => {
    const opts = { ...base, epochs: 3, samplesPerEpoch: 200 };
    const weights = async (o: TrainOptions) => {
      const r = await trainNetwork(spec, trainSet, validSet, o);
      const w = Buffer.from((await r.network.save()).weights);
      r.network.dispose();
      return w;
    };
    const plain = await weights(opts);
    for (const extra of [{ weightDecay: 0.5 }, { lrSchedule: 'cosine' as const }, { inputNoise: 0.1 }]) {
      const a = await weights({ ...opts, ...extra });
      expect(a.equals(await weights({ ...opts, ...extra }))).toBe(true);
      expect(a.equals(plain)).toBe(false);
    }
    expect((await weights({ ...opts, weightDecay: 0, lrSchedule: 'constant', inputNoise: 0 })).equals(plain)).toBe(true);
    await expect(trainNetwork(spec, trainSet, validSet, { ...opts, weightDecay: -1 })).rejects.toThrow(/weightDecay/);
  });

  test('learning-rate schedule: linear warm-up, then cosine down to 1/20', () => {
    expect(lrScale('constant', 5, 10, 2)).toBe(1);
    expect(lrScale('cosine', 0, 100, 10)).toBeCloseTo(0.1);
    expect(lrScale('cosine', 9, 100, 10)).toBeCloseTo(1);
    expect(lrScale('cosine', 10, 100, 10)).toBeCloseTo(1);
    expect(lrScale('cosine', 55, 100, 10)).toBeCloseTo(0.525);
    expect(lrScale('cosine', 100, 100, 10)).toBeCloseTo(0.05);
  });

  test('save -> load predicts identically, and the files are a standard TF.js LayersModel', async () => {
    const { network } = await trainNetwork(spec, trainSet, validSet, { ...base, epochs: 3 });
    const files = await network.save();
    const json = JSON.parse(files.modelJson);
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const loaded = await loadNetwork(files);
    expect(loaded.spec).toEqual(spec);
    const before = await network.predict(validSet.all);
    const after = await loaded.predict(validSet.all);
    expect(Buffer.from(after.buffer).equals(Buffer.from(before.buffer))).toBe(true);

    // Plain TF.js loads the same files; its predictions agree up to float rounding.
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: files.weights.slice().buffer,
      }),
    );
    const { n, past, future, statics } = validSet.all;
    const out = model.predict([
      tf.tensor3d(past, [n, spec.window, spec.pastFeatures]),
      tf.tensor3d(future, [n, spec.horizon, spec.futureFeatures]),
      tf.tensor2d(statics, [n, spec.staticFeatures]),
    ]) as tf.Tensor;
    expect(out.shape).toEqual([n, spec.horizon, 3]);
    const viaLayers = out.dataSync();
    let maxDiff = 0;
    for (let i = 0; i < before.length; i++) maxDiff = Math.max(maxDiff, Math.abs(viaLayers[i]! - before[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
    model.dispose();
    network.dispose();
    loaded.dispose();
  });

  test('masked targets do not affect training', async () => {
    const opts = { ...base, epochs: 2 };
    const a = await trainNetwork(spec, synthetic(256, 4, { maskEvery: 3, garbage: 0 }), synthetic(64, 5, { maskEvery: 2 }), opts);
    const b = await trainNetwork(spec, synthetic(256, 4, { maskEvery: 3, garbage: 1e4 }), synthetic(64, 5, { maskEvery: 2, garbage: -1e4 }), opts);
    expect(b.result.history).toEqual(a.result.history);
    const [pa, pb] = await Promise.all([a.network.predict(validSet.all), b.network.predict(validSet.all)]);
    expect(Buffer.from(pb.buffer).equals(Buffer.from(pa.buffer))).toBe(true);
  });

  test('early stopping keeps the best epoch and stops after `patience` epochs without improvement', async () => {
    // Validation targets unrelated to the inputs: the validation loss wanders and stops improving.
    const noisy = synthetic(128, 6, { noise: 8 });
    const epochs: number[] = [];
    const { network, result } = await trainNetwork(spec, trainSet, noisy, {
      ...base,
      epochs: 40,
      learningRate: 0.05,
      patience: 3,
      onEpoch: (e) => epochs.push(e.epoch),
    });
    const vals = result.history.map((h) => h.valLoss);
    const bestIdx = vals.indexOf(Math.min(...vals));
    expect(result.bestEpoch).toBe(bestIdx + 1);
    expect(result.epochsRun).toBe(Math.min(40, result.bestEpoch + 3));
    expect(epochs).toEqual(Array.from({ length: result.epochsRun }, (_, i) => i + 1));
    expect(result.epochsRun).toBeLessThan(40);
    // The returned network is the best epoch's, not the last one's.
    const pred = await network.predict(noisy.all);
    expect(pinball(pred, noisy.all, spec.quantiles)).toBeCloseTo(vals[bestIdx]!, 5);
    expect(pinball(pred, noisy.all, spec.quantiles)).not.toBeCloseTo(vals[vals.length - 1]!, 5);
  });

  test('validation windows are built once and scored from the same batches every epoch, and every member', async () => {
    let calls = 0;
    const counted: WindowSource = { size: validSet.size, batch: (idx) => (calls++, validSet.batch(idx)) };
    const a = await trainNetwork(spec, trainSet, counted, { ...base, epochs: 3 });
    const b = await trainNetwork(spec, trainSet, counted, { ...base, epochs: 2, seed: 8 });
    expect(calls).toBe(1);
    // The scores are those of the windows as built: the best epoch's network reproduces its loss.
    const pred = await a.network.predict(validSet.all);
    expect(pinball(pred, validSet.all, spec.quantiles)).toBeCloseTo(a.result.bestValLoss, 5);
    expect(b.result.history).toHaveLength(2);
  });

  test('a batch that fails while the previous step is still running fails the training with its own error', async () => {
    let calls = 0;
    const failing: WindowSource = {
      size: trainSet.size,
      batch: (idx) => {
        if (++calls === 3) throw new Error('window source broke');
        return trainSet.batch(idx);
      },
    };
    for (const workers of [1, 2]) {
      calls = 0;
      await expect(trainNetwork(spec, failing, validSet, { ...base, epochs: 2, workers })).rejects.toThrow('window source broke');
    }
  });

  test('samples per epoch, progress and epoch callbacks', async () => {
    const progress: [number, number][] = [];
    const { result } = await trainNetwork(spec, trainSet, undefined, {
      ...base,
      epochs: 2,
      batchSize: 50,
      samplesPerEpoch: 120,
      onProgress: (d, t) => progress.push([d, t]),
    });
    expect(progress).toEqual([[50, 120], [100, 120], [120, 120], [50, 120], [100, 120], [120, 120]]);
    expect(result.epochsRun).toBe(2);
    expect(result.history.every((h) => Number.isNaN(h.valLoss) && h.loss > 0)).toBe(true);
    expect(result.samplesPerSecond).toBeGreaterThan(0);
  });

  test('networks without future or static features train, save and load', async () => {
    const bare: NetworkSpec = { ...spec, futureFeatures: 0, staticFeatures: 0, quantiles: [0.5, 0.8] };
    const r = lcg(21);
    const n = 40;
    const all: Batch = {
      n,
      past: Float32Array.from({ length: n * bare.window * bare.pastFeatures }, r),
      future: new Float32Array(0),
      statics: new Float32Array(0),
      target: Float32Array.from({ length: n * bare.horizon }, r),
      mask: new Float32Array(n * bare.horizon).fill(1),
    };
    const source: WindowSource = { size: n, batch: (idx) => (idx.length === n ? all : { ...all, n: 0 }) };
    const { network } = await trainNetwork(bare, source, undefined, { ...base, epochs: 2, batchSize: n });
    const loaded = await loadNetwork(await network.save());
    const [a, b] = [await network.predict(all), await loaded.predict(all)];
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    for (let k = 0; k < a.length; k += 2) expect(a[k]!).toBeLessThanOrEqual(a[k + 1]!);
    const json = JSON.parse((await network.save()).modelJson);
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: (await network.save()).weights.slice().buffer }),
    );
    const viaLayers = (model.predict(tf.tensor3d(all.past, [n, bare.window, bare.pastFeatures])) as tf.Tensor).dataSync();
    for (let i = 0; i < a.length; i++) expect(Math.abs(viaLayers[i]! - a[i]!)).toBeLessThan(1e-4);
  });

  test('leaves no tensors behind (training, prediction, save, load)', async () => {
    const before = tf.memory().numTensors;
    const { network } = await trainNetwork(spec, trainSet, validSet, { ...base, epochs: 2, samplesPerEpoch: 128 });
    await network.predict(validSet.all);
    const loaded = await loadNetwork(await network.save());
    await loaded.predict(validSet.all);
    network.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('predicts large inputs in chunks without mixing windows up', async () => {
    const { network } = await trainNetwork(spec, trainSet, undefined, { ...base, epochs: 1 });
    const big = synthetic(1100, 13);
    const all = await network.predict(big.all);
    const part = await network.predict(big.batch([1099, 600, 3]));
    const Q = spec.quantiles.length * spec.horizon;
    [1099, 600, 3].forEach((w, j) => {
      for (let k = 0; k < Q; k++) expect(part[j * Q + k]!).toBeCloseTo(all[w * Q + k]!, 5);
    });
    network.dispose();
  });

  test('rejects inputs of the wrong size', async () => {
    const { network } = await trainNetwork(spec, trainSet, undefined, { ...base, epochs: 1 });
    await expect(network.predict({ ...validSet.all, n: 5 })).rejects.toThrow(/past holds/);
    const past = validSet.all.past.slice();
    past[7] = NaN;
    await expect(network.predict({ ...validSet.all, past })).rejects.toThrow(/past\[7\] is NaN/);
  });
});

describe('gradient workers (need the build: npx tsc)', () => {
  test('a worker computes the same shard gradient as this thread, and fails fast once closed', async () => {
    const { GradientPool } = await import('../../../src/models/lstm/pool.js');
    const { shardGradient, toTrainable } = await import('../../../src/models/lstm/model-ops.js');
    const { initParams } = await import('../../../src/models/lstm/params.js');
    const pool = await GradientPool.start(1, 'wasm');
    const params = toTrainable(initParams(spec, 3));
    const shard = trainSet.batch([5, 9, 2, 40]);
    const here = shardGradient(spec, params, shard, 36);
    const there = await pool.gradient(0, spec, params, shard, 36);
    expect(there.loss).toBe(here.loss);
    there.grads.forEach((g, k) => expect(Buffer.from(g.buffer).equals(Buffer.from(here.grads[k]!.buffer))).toBe(true));
    await pool.close();
    await expect(pool.gradient(0, spec, params, shard, 36)).rejects.toThrow(/unavailable/);
  });

  test('two threads train bit-identically to one', async () => {
    const opts = { ...base, epochs: 2, samplesPerEpoch: 300 };
    const one = await trainNetwork(spec, trainSet, validSet, { ...opts, workers: 1 });
    const two = await trainNetwork(spec, trainSet, validSet, { ...opts, workers: 2 });
    expect(one.result.workers).toBe(1);
    expect(two.result.workers).toBe(2);
    expect(two.result.history).toEqual(one.result.history);
    const [p1, p2] = await Promise.all([one.network.predict(validSet.all), two.network.predict(validSet.all)]);
    expect(Buffer.from(p2.buffer).equals(Buffer.from(p1.buffer))).toBe(true);
  });
});
