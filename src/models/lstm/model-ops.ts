/**
 * The whole network on "trainable arrays" (WR of encoder.ts, then the decoder weights): inference for a
 * range of windows, and the gradient of the masked pinball loss for one shard of a batch. Runs the
 * same in the main thread and in gradient workers.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch, Inputs, NetworkSpec } from './contract.js';
import { encoderBackward, encoderForward, packWR, prepareEncoder, stepInputs } from './encoder.js';
import { decode, pinballSum, type DecoderInputs, type Weights } from './forward.js';
import { paramShapes, type Param } from './params.js';

const DECODER = ['context/kernel', 'context/bias', 'decoder_hidden/kernel', 'decoder_hidden/bias', 'decoder_out/kernel', 'decoder_out/bias'];

export function trainableShapes(spec: NetworkSpec): number[][] {
  const shapes = new Map(paramShapes(spec).map((p) => [p.name, p.shape]));
  return [[spec.pastFeatures + 1 + spec.units, 4 * spec.units], ...DECODER.map((n) => shapes.get(n)!)];
}

/** Keras-layout parameters -> trainable arrays (copies). */
export function toTrainable(params: Param[]): Float32Array[] {
  const v = new Map(params.map((p) => [p.name, p.values]));
  const WR = packWR(v.get('encoder/kernel')!, v.get('encoder/bias')!, v.get('encoder/recurrent_kernel')!);
  return [WR, ...DECODER.map((n) => v.get(n)!.slice())];
}

/** Trainable arrays -> Keras-layout parameters (copies). */
export function fromTrainable(spec: NetworkSpec, arrays: Float32Array[]): Param[] {
  const WR = arrays[0]!;
  const k = spec.pastFeatures * 4 * spec.units;
  const b = 4 * spec.units;
  const values = new Map<string, Float32Array>([
    ['encoder/kernel', WR.slice(0, k)],
    ['encoder/bias', WR.slice(k, k + b)],
    ['encoder/recurrent_kernel', WR.slice(k + b)],
  ]);
  DECODER.forEach((n, i) => values.set(n, arrays[i + 1]!.slice()));
  return paramShapes(spec).map(({ name, shape }) => ({ name, shape, values: values.get(name)! }));
}

/** Tensors of the trainable arrays (caller disposes). */
export function trainableTensors(spec: NetworkSpec, arrays: Float32Array[]): tf.Tensor[] {
  const shapes = trainableShapes(spec);
  return arrays.map((a, i) => tf.tensor(a, shapes[i]));
}

function decoderWeights(t: tf.Tensor[]): Weights {
  return Object.fromEntries(DECODER.map((n, i) => [n, t[i + 1]!]));
}

function decoderInputs(spec: NetworkSpec, x: Inputs, from: number, to: number): DecoderInputs {
  const n = to - from;
  const { horizon: H, futureFeatures: F, staticFeatures: S } = spec;
  const out: DecoderInputs = { n };
  if (F > 0) out.future = tf.tensor3d(x.future.subarray(from * H * F, to * H * F), [n, H, F]);
  if (S > 0) out.statics = tf.tensor2d(x.statics.subarray(from * S, to * S), [n, S]);
  return out;
}

/** Quantiles [n * horizon, Q] for windows [from, to) of x (call inside tf.tidy). */
export function predictRange(spec: NetworkSpec, t: tf.Tensor[], x: Inputs, from: number, to: number): tf.Tensor2D {
  const enc = prepareEncoder(t[0] as tf.Tensor2D, spec.pastFeatures, spec.units);
  const { h } = encoderForward(enc, stepInputs(x.past, to - from, spec.window, spec.pastFeatures, from), to - from, false);
  return decode(spec, decoderWeights(t), h, decoderInputs(spec, x, from, to));
}

/** Sum over windows [from, to) of the masked pinball loss (summed over steps and quantiles). */
export function lossSum(spec: NetworkSpec, t: tf.Tensor[], b: Batch, from: number, to: number): number {
  const s = tf.tidy(() => {
    const H = spec.horizon;
    const rows = (to - from) * H;
    const target = tf.tensor2d(b.target.subarray(from * H, to * H), [rows, 1]);
    const mask = tf.tensor2d(b.mask.subarray(from * H, to * H), [rows, 1]);
    return pinballSum(predictRange(spec, t, b, from, to), target, mask, spec.quantiles);
  });
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

/**
 * Gradient of sum(mask * pinball) / denom over the windows of `shard`, with respect to every
 * trainable array; denom is the whole batch's (observed targets x quantiles), so shard gradients add up.
 */
export function shardGradient(spec: NetworkSpec, arrays: Float32Array[], shard: Batch, denom: number): { loss: number; grads: Float32Array[] } {
  const out = tf.tidy(() => {
    const t = trainableTensors(spec, arrays);
    const n = shard.n;
    const enc = prepareEncoder(t[0] as tf.Tensor2D, spec.pastFeatures, spec.units);
    const { h, cache } = encoderForward(enc, stepInputs(shard.past, n, spec.window, spec.pastFeatures), n, true);
    const x = decoderInputs(spec, shard, 0, n);
    const rows = n * spec.horizon;
    const target = tf.tensor2d(shard.target, [rows, 1]);
    const mask = tf.tensor2d(shard.mask, [rows, 1]);
    const dec = t.slice(1);
    const f = (hh: tf.Tensor, ...dw: tf.Tensor[]) =>
      tf.div(pinballSum(decode(spec, decoderWeights([t[0]!, ...dw]), hh as tf.Tensor2D, x), target, mask, spec.quantiles), denom) as tf.Scalar;
    const { value, grads } = tf.valueAndGrads(f)([h, ...dec]);
    const dWR = encoderBackward(enc, cache!, grads[0] as tf.Tensor2D);
    return [value, dWR, ...grads.slice(1)];
  });
  const loss = out[0]!.dataSync()[0]!;
  const grads = out.slice(1).map((g) => g.dataSync() as Float32Array);
  tf.dispose(out);
  return { loss, grads };
}
