/**
 * The LSTM encoder with a hand-written backward pass, in few, large TF.js ops. On the wasm backend
 * autodiff of the same loop costs ~3x more kernels (identity, reshape, cast, transposed matMuls, which
 * wasm runs in a naive loop), and slicing a tensor copies all of it, so this code never slices a big
 * tensor: the inputs arrive as one [n, P + 1] tensor per step (the last column is 1, for the bias), and
 * the gates are four separate matMuls.
 *
 * Weights: WR = [kernel; bias; recurrent_kernel], shape [P + 1 + U, 4U], gates i, f, c, o (Keras layout).
 */
import * as tf from '@tensorflow/tfjs';

type T2 = tf.Tensor2D;

export interface EncoderWeights {
  /** [P + 1 + U, 4U] */
  WR: T2;
  /** Column blocks of WR, one per gate: [P + 1 + U, U] each; the cell-input block (g) times 2. */
  gates: T2[];
  /** transpose(recurrent_kernel): [4U, U]. */
  RT: T2;
  units: number;
}

/** Splits WR for the forward and backward passes (call inside tf.tidy). */
export function prepareEncoder(WR: T2, pastFeatures: number, units: number): EncoderWeights {
  const gates = tf.split(WR, 4, 1) as T2[];
  gates[2] = tf.mul(gates[2]!, 2) as T2;
  const RT = tf.transpose(tf.slice(WR, [pastFeatures + 1, 0], [units, 4 * units])) as T2;
  return { WR, gates, RT, units };
}

export interface EncoderCache {
  hx: T2[];
  i: tf.Tensor[];
  f: tf.Tensor[];
  g: tf.Tensor[];
  o: tf.Tensor[];
  c: tf.Tensor[];
  tc: tf.Tensor[];
}

/** tanh(x) as 2 sigmoid(2x) - 1: the wasm backend's tanh kernel is ~9x slower than its sigmoid. */
function tanh(x: tf.Tensor, two: tf.Scalar, one: tf.Scalar): tf.Tensor {
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, two)), two), one);
}

/** sigmoid(a b) (on wasm, faster than the fused matMul kernel with a sigmoid activation). */
function sigmoidMatMul(a: T2, b: T2): tf.Tensor {
  return tf.sigmoid(tf.matMul(a, b));
}

/** Runs the LSTM over the steps; returns the last hidden state and, if asked, what backward needs. */
export function encoderForward(w: EncoderWeights, xs: T2[], keep: boolean): { h: T2; cache?: EncoderCache } {
  const n = xs[0]!.shape[0];
  const one = tf.scalar(1);
  const two = tf.scalar(2);
  const cache: EncoderCache = { hx: [], i: [], f: [], g: [], o: [], c: [], tc: [] };
  let h = tf.zeros([n, w.units]) as T2;
  let c: tf.Tensor | undefined;
  const [wi, wf, wg2, wo] = w.gates as [T2, T2, T2, T2];
  for (const x of xs) {
    const hx = tf.concat([x, h], 1) as T2;
    const i = sigmoidMatMul(hx, wi);
    const f = sigmoidMatMul(hx, wf);
    // wg2 = 2 * W_g, so this is tanh(hx W_g).
    const g = tf.sub(tf.mul(sigmoidMatMul(hx, wg2), two), one);
    const o = sigmoidMatMul(hx, wo);
    const ig = tf.mul(i, g);
    c = c === undefined ? ig : tf.add(tf.mul(f, c), ig);
    const tc = tanh(c, two, one);
    h = tf.mul(o, tc) as T2;
    if (keep) {
      cache.hx.push(hx);
      cache.i.push(i);
      cache.f.push(f);
      cache.g.push(g);
      cache.o.push(o);
      cache.c.push(c);
      cache.tc.push(tc);
    }
  }
  return keep ? { h, cache } : { h };
}

/** Gradient of WR given the gradient of the loss with respect to the last hidden state. */
export function encoderBackward(w: EncoderWeights, cache: EncoderCache, dhLast: T2): T2 {
  const T = cache.hx.length;
  const one = tf.scalar(1);
  let dWR: tf.Tensor | undefined;
  let dh = dhLast;
  let carry: tf.Tensor | undefined;
  for (let t = T - 1; t >= 0; t--) {
    const { i, f, g, o, tc } = { i: cache.i[t]!, f: cache.f[t]!, g: cache.g[t]!, o: cache.o[t]!, tc: cache.tc[t]! };
    let dc = tf.mul(tf.mul(dh, o), tf.sub(one, tf.square(tc)));
    if (carry) dc = tf.add(dc, carry);
    const dzo = tf.mul(tf.mul(dh, tc), tf.sub(o, tf.square(o)));
    const dzi = tf.mul(tf.mul(dc, g), tf.sub(i, tf.square(i)));
    const dzg = tf.mul(tf.mul(dc, i), tf.sub(one, tf.square(g)));
    const dzf = t > 0 ? tf.mul(tf.mul(dc, cache.c[t - 1]!), tf.sub(f, tf.square(f))) : tf.zerosLike(dzi);
    carry = tf.mul(dc, f);
    const dzt = tf.concat([dzi, dzf, dzg, dzo], 1) as T2;
    if (t > 0) dh = tf.matMul(dzt, w.RT);
    // One [P+1+U, n] x [n, 4U] product per step: far faster on wasm than one product over all steps.
    const dWt = tf.matMul(tf.transpose(cache.hx[t]!), dzt);
    dWR = dWR === undefined ? dWt : tf.add(dWR, dWt);
  }
  return dWR as T2;
}

/** Per-step encoder inputs [n, P + 1] (features, then 1) from row-major past windows [n, T, P]. */
export function stepInputs(past: Float32Array, n: number, window: number, features: number, from = 0): T2[] {
  const xs: T2[] = [];
  const P1 = features + 1;
  for (let t = 0; t < window; t++) {
    const a = new Float32Array(n * P1);
    for (let r = 0; r < n; r++) {
      const src = ((from + r) * window + t) * features;
      a.set(past.subarray(src, src + features), r * P1);
      a[r * P1 + features] = 1;
    }
    xs.push(tf.tensor2d(a, [n, P1]));
  }
  return xs;
}

/** WR from the Keras-layout weights (kernel [P, 4U], bias [4U], recurrent_kernel [U, 4U]). */
export function packWR(kernel: Float32Array, bias: Float32Array, recurrent: Float32Array): Float32Array {
  const out = new Float32Array(kernel.length + bias.length + recurrent.length);
  out.set(kernel, 0);
  out.set(bias, kernel.length);
  out.set(recurrent, kernel.length + bias.length);
  return out;
}
