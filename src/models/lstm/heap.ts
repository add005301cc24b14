/** Zero-copy reads of tensor data for the engine's JavaScript loops. */
import * as tf from '@tensorflow/tfjs';

interface HeapBackend {
  typedArrayFromHeap?: (t: tf.TensorInfo) => Float32Array;
}

/**
 * The float32 data of a tensor: a view into the wasm heap on the wasm backend (no copy), else
 * dataSync() (the cpu backend returns its own array; native backends copy). A wasm view is only
 * valid until the next TF.js op (the heap may grow): read it, then run ops.
 */
export function readView(t: tf.Tensor): Float32Array {
  const backend = tf.backend() as unknown as HeapBackend;
  if (typeof backend.typedArrayFromHeap === 'function') return backend.typedArrayFromHeap(t);
  return t.dataSync() as Float32Array;
}
