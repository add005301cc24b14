/**
 * The LSTM encoder with a hand-written backward pass. The forward pass runs as TF.js ops (matMul and
 * sigmoid are fast on wasm); the per-step glue (building [x_t, 1, h] and the whole elementwise
 * backward pass) runs as plain loops over the tensors' memory, which on wasm replaces ~25 small
 * kernels per step with one loop and avoids slicing/concatenating (each wasm slice copies its whole
 * input). Matrix products keep a stable right-hand side where possible (XNNPACK caches its packing).
 *
 * Weights: WR = [kernel; bias; recurrent_kernel], shape [P + 1 + U, 4U], gates i, f, c, o (Keras layout).
 */
import * as tf from '@tensorflow/tfjs';
import { readView } from './heap.js';
import * as kern from './kernels.js';

type T2 = tf.Tensor2D;

export interface EncoderWeights {
  /** Column blocks of WR, one per gate: [P + 1 + U, U] each; the cell-input block (g) times 2. */
  gates: T2[];
  /** transpose(recurrent_kernel): [4U, U]. */
  RT: T2;
  pastFeatures: number;
  units: number;
}

/** Splits WR for the forward and backward passes (call inside tf.tidy). */
export function prepareEncoder(WR: T2, pastFeatures: number, units: number): EncoderWeights {
  const gates = tf.split(WR, 4, 1) as T2[];
  gates[2] = tf.mul(gates[2]!, 2) as T2;
  const RT = tf.transpose(tf.slice(WR, [pastFeatures + 1, 0], [units, 4 * units])) as T2;
  return { gates, RT, pastFeatures, units };
}

/** What the backward pass needs from each step. */
export interface EncoderCache {
  n: number;
  hx: T2[];
  i: tf.Tensor[];
  f: tf.Tensor[];
  g: tf.Tensor[];
  o: tf.Tensor[];
  c: tf.Tensor[];
  tc: tf.Tensor[];
}

/** sigmoid(a b): on wasm faster than the fused matMul kernel with a sigmoid activation. */
function sigmoidMatMul(a: T2, b: T2): tf.Tensor {
  return kern.sigmoid(kern.matMul(a, b));
}

/** [x_t, 1, h] rows for the next step, from the step inputs and the hidden state's memory. */
function stepRows(x: Float32Array, h: tf.Tensor | undefined, n: number, P1: number, U: number): T2 {
  const K = P1 + U;
  const out = new Float32Array(n * K);
  const hv = h === undefined ? undefined : readView(h);
  for (let r = 0; r < n; r++) {
    out.set(x.subarray(r * P1, (r + 1) * P1), r * K);
    if (hv) out.set(hv.subarray(r * U, (r + 1) * U), r * K + P1);
  }
  return tf.tensor2d(out, [n, K]);
}

/**
 * Runs the LSTM over the steps (xs from stepInputs); returns the last hidden state and, if asked,
 * what backward needs. tanh(x) is computed as 2 sigmoid(2x) - 1: wasm's tanh kernel is ~3x slower.
 */
export function encoderForward(w: EncoderWeights, xs: Float32Array[], n: number, keep: boolean): { h: T2; cache?: EncoderCache } {
  const U = w.units;
  const P1 = w.pastFeatures + 1;
  const one = tf.scalar(1);
  const two = tf.scalar(2);
  const cache: EncoderCache = { n, hx: [], i: [], f: [], g: [], o: [], c: [], tc: [] };
  const [wi, wf, wg2, wo] = w.gates as [T2, T2, T2, T2];
  let h: tf.Tensor | undefined;
  let c: tf.Tensor | undefined;
  for (const x of xs) {
    const hx = stepRows(x, h, n, P1, U);
    const i = sigmoidMatMul(hx, wi);
    const f = sigmoidMatMul(hx, wf);
    const g = kern.sub(kern.mul(sigmoidMatMul(hx, wg2), two), one);
    const o = sigmoidMatMul(hx, wo);
    const ig = kern.mul(i, g);
    c = c === undefined ? ig : kern.add(kern.mul(f, c), ig);
    const tc = kern.sub(kern.mul(kern.sigmoid(kern.mul(c, two)), two), one);
    h = kern.mul(o, tc);
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
  return keep ? { h: h as T2, cache } : { h: h as T2 };
}

/** Gradient of WR [P + 1 + U, 4U] given the gradient of the loss with respect to the last hidden state. */
export function encoderBackward(w: EncoderWeights, cache: EncoderCache, dhLast: T2): T2 {
  const T = cache.hx.length;
  const { n } = cache;
  const U = w.units;
  const G = 4 * U;
  const carry = new Float32Array(n * U);
  const zeros = new Float32Array(n * U);
  // Reused every step: tf.tensor2d copies them into the backend.
  const dz = new Float32Array(n * G);
  const dzT = new Float32Array(G * n);
  let dh = readView(dhLast).slice();
  let dWT: tf.Tensor | undefined;
  for (let t = T - 1; t >= 0; t--) {
    // Views are read here, with no TF.js op until the loop ends.
    const I = readView(cache.i[t]!);
    const F = readView(cache.f[t]!);
    const Gc = readView(cache.g[t]!);
    const O = readView(cache.o[t]!);
    const TC = readView(cache.tc[t]!);
    const CP = t > 0 ? readView(cache.c[t - 1]!) : zeros;
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < U; j++) {
        const k = r * U + j;
        const dhk = dh[k]!;
        const o = O[k]!;
        const tc = TC[k]!;
        const i = I[k]!;
        const f = F[k]!;
        const g = Gc[k]!;
        const dc = dhk * o * (1 - tc * tc) + carry[k]!;
        const dzi = dc * g * i * (1 - i);
        const dzf = dc * CP[k]! * f * (1 - f);
        const dzg = dc * i * (1 - g * g);
        const dzo = dhk * tc * o * (1 - o);
        carry[k] = dc * f;
        const row = r * G + j;
        dz[row] = dzi;
        dz[row + U] = dzf;
        dz[row + 2 * U] = dzg;
        dz[row + 3 * U] = dzo;
        const col = j * n + r;
        dzT[col] = dzi;
        dzT[col + U * n] = dzf;
        dzT[col + 2 * U * n] = dzg;
        dzT[col + 3 * U * n] = dzo;
      }
    }
    if (t > 0) dh = readView(kern.matMul(tf.tensor2d(dz, [n, G]), w.RT)).slice();
    // dWR^T += dz^T [x_t, 1, h_{t-1}]: the right-hand side (n x (P+1+U)) is the small one to pack.
    const step = kern.matMul(tf.tensor2d(dzT, [G, n]), cache.hx[t]!);
    dWT = dWT === undefined ? step : kern.add(dWT, step);
  }
  return tf.transpose(dWT!) as T2;
}

/** Per-step encoder inputs [n, P + 1] (features, then 1), from row-major past windows [n, T, P]. */
export function stepInputs(past: Float32Array, n: number, window: number, features: number, from = 0): Float32Array[] {
  const xs: Float32Array[] = [];
  const P1 = features + 1;
  for (let t = 0; t < window; t++) {
    const a = new Float32Array(n * P1);
    for (let r = 0; r < n; r++) {
      const src = ((from + r) * window + t) * features;
      a.set(past.subarray(src, src + features), r * P1);
      a[r * P1 + features] = 1;
    }
    xs.push(a);
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
