/**
 * The decoder as TF.js ops, equal in math to the LayersModel of layers-model.ts: per-horizon-step
 * context relu(h Wc + bc); per step a shared MLP over [h, context_t, future_t, statics] -> raw
 * quantile values -> monotone quantiles. The encoder (LSTM) is in encoder.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { NetworkSpec } from './contract.js';
import { contextUnits, medianIndex } from './params.js';

export type Weights = Record<string, tf.Tensor>;

/**
 * matMul whose gradient uses explicit transposes: the wasm backend's matMul is ~10x slower with its
 * transposeA/transposeB flags (a naive loop) than on plain layouts (XNNPACK), and autodiff of a plain
 * tf.matMul uses the flags.
 */
export const mm = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** Decoder inputs for n windows. */
export interface DecoderInputs {
  n: number;
  /** [n, horizon, futureFeatures] (absent when futureFeatures = 0) */
  future?: tf.Tensor3D;
  /** [n, staticFeatures] (absent when staticFeatures = 0) */
  statics?: tf.Tensor2D;
}

/**
 * Quantile predictions [n * horizon, quantiles.length] (row = window * horizon + step) from the
 * encoder's last hidden state h [n, units]. Differentiable (training takes its gradient by autodiff).
 */
export function decode(spec: NetworkSpec, w: Weights, h: tf.Tensor2D, x: DecoderInputs): tf.Tensor2D {
  const { n } = x;
  const { horizon: H, units: U, futureFeatures: F, staticFeatures: S, decoderUnits: D } = spec;
  const C = contextUnits(spec);
  const ctx = tf.relu(tf.add(mm(h, w['context/kernel'] as tf.Tensor2D), w['context/bias']!)) as tf.Tensor2D;
  // relu([h, ctx_t, future_t, statics] Wh + bh) without materializing the concatenation: on wasm,
  // broadcasting h over the steps (Tile) and splitting the concat's gradient are slow. Row blocks of
  // Wh multiply each part; the per-window parts are added to every step by broadcasting.
  const sizes = [U, C, F, S].filter((k) => k > 0);
  const [wh, wc, ...rest] = tf.split(w['decoder_hidden/kernel']!, sizes, 0) as tf.Tensor2D[];
  const wf = F > 0 ? rest.shift() : undefined;
  const ws = S > 0 ? rest.shift() : undefined;
  let perWindow: tf.Tensor = tf.add(mm(h, wh!), w['decoder_hidden/bias']!);
  if (ws) perWindow = tf.add(perWindow, mm(x.statics!, ws));
  let perStep: tf.Tensor = mm(ctx.reshape([n * H, C]), wc!);
  if (wf) perStep = tf.add(perStep, mm(x.future!.reshape([n * H, F]) as tf.Tensor2D, wf));
  const hidden = tf.relu(tf.add(perStep.reshape([n, H, D]), perWindow.reshape([n, 1, D]))).reshape([n * H, D]) as tf.Tensor2D;
  const raw = tf.add(mm(hidden, w['decoder_out/kernel'] as tf.Tensor2D), w['decoder_out/bias']!) as tf.Tensor2D;
  return monotone(raw, spec.quantiles);
}

/**
 * Monotone quantiles from raw values [rows, Q]: the median stays as is; each quantile above (below)
 * adds (subtracts) softplus(raw) to its neighbour, so q_1 <= q_2 <= ... always.
 */
export function monotone(raw: tf.Tensor2D, quantiles: number[]): tf.Tensor2D {
  const { select, cumulate } = monotoneConstants(quantiles);
  const mixed = tf.add(tf.mul(raw, select), tf.mul(tf.softplus(raw), tf.sub(1, select)));
  return tf.matMul(mixed, cumulate);
}

/** select: 1 at the median column, 0 elsewhere; cumulate[j][k]: how raw column j enters quantile k. */
export function monotoneConstants(quantiles: number[]): { select: tf.Tensor2D; cumulate: tf.Tensor2D } {
  const matrix = monotoneMatrix(quantiles.length, medianIndex(quantiles));
  const Q = quantiles.length;
  const sel = new Float32Array(Q);
  sel[medianIndex(quantiles)] = 1;
  return { select: tf.tensor2d(sel, [1, Q]), cumulate: tf.tensor2d(matrix, [Q, Q]) };
}

export function monotoneMatrix(Q: number, m: number): Float32Array {
  const out = new Float32Array(Q * Q);
  for (let k = 0; k < Q; k++) {
    out[m * Q + k] = 1;
    if (k > m) for (let j = m + 1; j <= k; j++) out[j * Q + k] = 1;
    if (k < m) for (let j = k; j < m; j++) out[j * Q + k] = -1;
  }
  return out;
}

/**
 * Sum over rows and quantiles of mask * pinball(target - prediction); `target` and `mask` are
 * [rows, 1]. Divide by (sum of mask) * Q for the mean.
 */
export function pinballSum(pred: tf.Tensor2D, target: tf.Tensor2D, mask: tf.Tensor2D, quantiles: number[]): tf.Scalar {
  const q = tf.tensor2d(quantiles, [1, quantiles.length]);
  const e = tf.sub(target, pred);
  const loss = tf.maximum(tf.mul(e, q), tf.mul(e, tf.sub(q, 1)));
  return tf.sum(tf.mul(loss, mask));
}
