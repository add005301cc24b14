/**
 * Direct kernel calls for the encoder's per-step loops: they skip the op wrappers (argument
 * conversion, checks, scopes), ~5-10 µs per call on wasm, which adds up over ~20 calls per step.
 * Inputs must already be float32 tensors with compatible (broadcastable) shapes.
 */
import * as tf from '@tensorflow/tfjs';

function run(name: string, inputs: tf.NamedTensorMap, attrs?: Record<string, boolean>): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;
}

export const matMul = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
export const mul = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => run('Multiply', { a, b });
export const add = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => run('Add', { a, b });
export const sub = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => run('Sub', { a, b });
export const sigmoid = (x: tf.Tensor): tf.Tensor => run('Sigmoid', { x });
