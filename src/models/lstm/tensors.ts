/** Batch <-> tensor plumbing and input validation shared by training and prediction. */
import type { Batch, Inputs, NetworkSpec } from './contract.js';

/** Throws a RangeError when an array does not hold n windows of the spec's shape. */
export function checkInputs(spec: NetworkSpec, x: Inputs): void {
  const want: [string, ArrayLike<number>, number][] = [
    ['past', x.past, x.n * spec.window * spec.pastFeatures],
    ['future', x.future, x.n * spec.horizon * spec.futureFeatures],
    ['statics', x.statics, x.n * spec.staticFeatures],
  ];
  for (const [name, arr, len] of want) {
    if (arr.length !== len) throw new RangeError(`${name} holds ${arr.length} values; ${x.n} windows need ${len}`);
    checkFinite(name, arr);
  }
}

export function checkBatch(spec: NetworkSpec, b: Batch): void {
  checkInputs(spec, b);
  for (const [name, arr] of [['target', b.target], ['mask', b.mask]] as const) {
    if (arr.length !== b.n * spec.horizon) throw new RangeError(`${name} holds ${arr.length} values; ${b.n} windows need ${b.n * spec.horizon}`);
    checkFinite(name, arr);
  }
}

export function maskCount(mask: Float32Array, from = 0, to = mask.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += mask[i];
  return s;
}

/** NaN or infinity in an input is a pipeline bug (missing values must be masked or filled): say where. */
function checkFinite(name: string, arr: ArrayLike<number>): void {
  for (let i = 0; i < arr.length; i++) {
    if (!Number.isFinite(arr[i])) throw new RangeError(`${name}[${i}] is ${arr[i]}; the engine needs finite inputs (mask or fill missing values)`);
  }
}
