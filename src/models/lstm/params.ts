/**
 * The network's weights as plain arrays, in the standard Keras/TF.js layout (LSTM gates i, f, c, o;
 * kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u]) so they load into a tf.LayersModel unchanged.
 */
import { basisSeed } from '../../core/random.js';
import type { NetworkSpec } from './contract.js';
import { normal, uniform } from './rng.js';

export interface Param {
  /** Weight name as in the LayersModel, e.g. 'encoder/kernel'. */
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Units of the horizon-specific context (MQ-RNN's global MLP) when the spec does not say. */
export const DEFAULT_CONTEXT_UNITS = 8;

export function contextUnits(spec: NetworkSpec): number {
  return spec.contextUnits ?? DEFAULT_CONTEXT_UNITS;
}

/** Width of the per-step decoder input: encoding, step context, future features, static features. */
export function decoderInputWidth(spec: NetworkSpec): number {
  return spec.units + contextUnits(spec) + spec.futureFeatures + spec.staticFeatures;
}

/** Names and shapes of every weight, in LayersModel order. */
export function paramShapes(spec: NetworkSpec): { name: string; shape: number[] }[] {
  const u = spec.units;
  const c = contextUnits(spec);
  return [
    { name: 'encoder/kernel', shape: [spec.pastFeatures, 4 * u] },
    { name: 'encoder/recurrent_kernel', shape: [u, 4 * u] },
    { name: 'encoder/bias', shape: [4 * u] },
    { name: 'context/kernel', shape: [u, spec.horizon * c] },
    { name: 'context/bias', shape: [spec.horizon * c] },
    { name: 'decoder_hidden/kernel', shape: [decoderInputWidth(spec), spec.decoderUnits] },
    { name: 'decoder_hidden/bias', shape: [spec.decoderUnits] },
    { name: 'decoder_out/kernel', shape: [spec.decoderUnits, spec.quantiles.length] },
    { name: 'decoder_out/bias', shape: [spec.quantiles.length] },
  ];
}

/** Checks a spec; throws a RangeError naming the bad member. */
export function validateSpec(spec: NetworkSpec): void {
  const positive = ['window', 'horizon', 'pastFeatures', 'units', 'decoderUnits'] as const;
  for (const k of positive) {
    if (!Number.isInteger(spec[k]) || spec[k] < 1) throw new RangeError(`NetworkSpec.${k} must be a positive integer, got ${spec[k]}`);
  }
  for (const k of ['futureFeatures', 'staticFeatures'] as const) {
    if (!Number.isInteger(spec[k]) || spec[k] < 0) throw new RangeError(`NetworkSpec.${k} must be an integer >= 0, got ${spec[k]}`);
  }
  const c = contextUnits(spec);
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`NetworkSpec.contextUnits must be a positive integer, got ${c}`);
  const q = spec.quantiles;
  if (q.length < 1 || q.some((v, i) => !(v > 0 && v < 1) || (i > 0 && v <= q[i - 1]!))) {
    throw new RangeError(`NetworkSpec.quantiles must be ascending levels in (0, 1), got [${q.join(', ')}]`);
  }
}

/** Index of the quantile the monotone head anchors on (the one nearest 0.5). */
export function medianIndex(quantiles: number[]): number {
  let best = 0;
  for (let i = 1; i < quantiles.length; i++) {
    if (Math.abs(quantiles[i]! - 0.5) < Math.abs(quantiles[best]! - 0.5)) best = i;
  }
  return best;
}

/**
 * Seeded initial weights: Glorot-uniform kernels, an orthogonal recurrent kernel, zero biases except
 * the LSTM forget gate (1, "unit forget bias").
 */
export function initParams(spec: NetworkSpec, seed: number): Param[] {
  return paramShapes(spec).map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    const s = basisSeed(seed, name);
    if (name === 'encoder/recurrent_kernel') {
      orthogonalRows(values, shape[0]!, shape[1]!, s);
    } else if (name.endsWith('/kernel')) {
      const limit = Math.sqrt(6 / (shape[0]! + shape[1]!));
      const u = uniform(s);
      for (let i = 0; i < size; i++) values[i] = (2 * u() - 1) * limit;
    } else if (name === 'encoder/bias') {
      values.fill(1, spec.units, 2 * spec.units);
    }
    return { name, shape, values };
  });
}

/** Fills a rows x cols matrix (rows <= cols) with orthonormal rows (Gram-Schmidt on Gaussian rows). */
function orthogonalRows(out: Float32Array, rows: number, cols: number, seed: number): void {
  const g = normal(seed);
  const m: Float64Array[] = [];
  for (let r = 0; r < rows; r++) {
    const v = new Float64Array(cols);
    for (let c = 0; c < cols; c++) v[c] = g();
    for (const w of m) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += v[c]! * w[c]!;
      for (let c = 0; c < cols; c++) v[c] -= dot * w[c]!;
    }
    let norm = 0;
    for (let c = 0; c < cols; c++) norm += v[c]! * v[c]!;
    norm = Math.sqrt(norm);
    for (let c = 0; c < cols; c++) v[c] /= norm;
    m.push(v);
    for (let c = 0; c < cols; c++) out[r * cols + c] = v[c]!;
  }
}

export function cloneParams(params: Param[]): Param[] {
  return params.map((p) => ({ name: p.name, shape: [...p.shape], values: p.values.slice() }));
}
