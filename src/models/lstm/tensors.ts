/** Batch <-> tensor plumbing and input validation shared by training and prediction. */
import * as tf from '@tensorflow/tfjs';
import type { Batch, Inputs, NetworkSpec } from './contract.js';
import type { InputTensors } from './forward.js';

/** Throws a RangeError when an array does not hold n windows of the spec's shape. */
export function checkInputs(spec: NetworkSpec, x: Inputs): void {
  const want: [string, ArrayLike<number>, number][] = [
    ['past', x.past, x.n * spec.window * spec.pastFeatures],
    ['future', x.future, x.n * spec.horizon * spec.futureFeatures],
    ['statics', x.statics, x.n * spec.staticFeatures],
  ];
  for (const [name, arr, len] of want) {
    if (arr.length !== len) throw new RangeError(`${name} holds ${arr.length} values; ${x.n} windows need ${len}`);
  }
}

export function checkBatch(spec: NetworkSpec, b: Batch): void {
  checkInputs(spec, b);
  for (const [name, arr] of [['target', b.target], ['mask', b.mask]] as const) {
    if (arr.length !== b.n * spec.horizon) throw new RangeError(`${name} holds ${arr.length} values; ${b.n} windows need ${b.n * spec.horizon}`);
  }
}

/** Input tensors for windows [from, to) of x (call inside tf.tidy). */
export function inputTensors(spec: NetworkSpec, x: Inputs, from = 0, to = x.n): InputTensors {
  const n = to - from;
  const { window: T, horizon: H, pastFeatures: P, futureFeatures: F, staticFeatures: S } = spec;
  const out: InputTensors = { n, past: tf.tensor3d(x.past.subarray(from * T * P, to * T * P), [n, T, P]) };
  if (F > 0) out.future = tf.tensor3d(x.future.subarray(from * H * F, to * H * F), [n, H, F]);
  if (S > 0) out.statics = tf.tensor2d(x.statics.subarray(from * S, to * S), [n, S]);
  return out;
}

/** Target and mask as [rows, 1] tensors for windows [from, to). */
export function targetTensors(spec: NetworkSpec, b: Batch, from = 0, to = b.n): { target: tf.Tensor2D; mask: tf.Tensor2D } {
  const H = spec.horizon;
  const rows = (to - from) * H;
  return {
    target: tf.tensor2d(b.target.subarray(from * H, to * H), [rows, 1]),
    mask: tf.tensor2d(b.mask.subarray(from * H, to * H), [rows, 1]),
  };
}

export function maskCount(mask: Float32Array, from = 0, to = mask.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += mask[i];
  return s;
}
