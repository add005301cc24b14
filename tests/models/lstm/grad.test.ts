import { beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/models/backend.js';
import type { Batch, NetworkSpec } from '../../../src/models/lstm/contract.js';
import { decode, pinballSum, type Weights } from '../../../src/models/lstm/forward.js';
import { fromTrainable, shardGradient, toTrainable } from '../../../src/models/lstm/model-ops.js';
import { initParams } from '../../../src/models/lstm/params.js';

const spec: NetworkSpec = { window: 5, horizon: 2, pastFeatures: 3, futureFeatures: 2, staticFeatures: 1, units: 6, decoderUnits: 5, quantiles: [0.1, 0.5, 0.9] };

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}

/** Straightforward autodiff LSTM in the Keras layout: the reference for the hand-written backward pass. */
function referenceLoss(w: Weights, b: Batch, denom: number): tf.Scalar {
  const { window: T, pastFeatures: P, units: U, horizon: H } = spec;
  const past = tf.tensor3d(b.past, [b.n, T, P]);
  let h: tf.Tensor = tf.zeros([b.n, U]);
  let c: tf.Tensor = tf.zeros([b.n, U]);
  for (let t = 0; t < T; t++) {
    const x = tf.squeeze(tf.slice(past, [0, t, 0], [b.n, 1, P]), [1]);
    const z = tf.add(tf.add(tf.matMul(x, w['encoder/kernel'] as tf.Tensor2D), tf.matMul(h as tf.Tensor2D, w['encoder/recurrent_kernel'] as tf.Tensor2D)), w['encoder/bias']!);
    const [zi, zf, zg, zo] = tf.split(z, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(zf!), c), tf.mul(tf.sigmoid(zi!), tf.tanh(zg!)));
    h = tf.mul(tf.sigmoid(zo!), tf.tanh(c));
  }
  const pred = decode(spec, w, h as tf.Tensor2D, {
    n: b.n,
    future: tf.tensor3d(b.future, [b.n, H, spec.futureFeatures]),
    statics: tf.tensor2d(b.statics, [b.n, spec.staticFeatures]),
  });
  const loss = pinballSum(pred, tf.tensor2d(b.target, [b.n * H, 1]), tf.tensor2d(b.mask, [b.n * H, 1]), spec.quantiles);
  return tf.div(loss, denom) as tf.Scalar;
}

beforeAll(async () => {
  await initBackend('wasm');
});

test('hand-written LSTM backward pass matches autodiff', () => {
  const r = lcg(3);
  const n = 7;
  const b: Batch = {
    n,
    past: Float32Array.from({ length: n * spec.window * spec.pastFeatures }, r),
    future: Float32Array.from({ length: n * spec.horizon * spec.futureFeatures }, r),
    statics: Float32Array.from({ length: n * spec.staticFeatures }, r),
    target: Float32Array.from({ length: n * spec.horizon }, () => 2 * r()),
    mask: Float32Array.from({ length: n * spec.horizon }, (_, i) => (i % 5 === 2 ? 0 : 1)),
  };
  const params = initParams(spec, 11);
  // Perturb the biases so that no gradient is trivially zero.
  for (const p of params) if (p.name.endsWith('bias')) p.values.forEach((_, i) => (p.values[i] = 0.3 * r()));
  const denom = 17;

  const manual = shardGradient(spec, toTrainable(params), b, denom);
  const manualByName = new Map(fromTrainable(spec, manual.grads).map((p) => [p.name, p.values]));

  const tensors = params.map((p) => tf.tensor(p.values, p.shape));
  const { value, grads } = tf.valueAndGrads((...ts: tf.Tensor[]) => referenceLoss(Object.fromEntries(params.map((p, i) => [p.name, ts[i]!])), b, denom))(tensors);
  expect(manual.loss).toBeCloseTo(value.dataSync()[0]!, 5);
  params.forEach((p, i) => {
    const ref = grads[i]!.dataSync();
    const got = manualByName.get(p.name)!;
    let scale = 0;
    let err = 0;
    for (let k = 0; k < ref.length; k++) {
      scale = Math.max(scale, Math.abs(ref[k]!));
      err = Math.max(err, Math.abs(ref[k]! - got[k]!));
    }
    expect(scale, p.name).toBeGreaterThan(0);
    expect(err / scale, p.name).toBeLessThan(1e-4);
  });
});
