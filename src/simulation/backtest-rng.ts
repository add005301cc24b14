/**
 * Seeded lead-time draws for the backtest replay. One generator per SKU, seeded from the master
 * seed and the SKU id by hashing, so a SKU's draws do not depend on which other SKUs are replayed.
 * The k-th order of a SKU always gets the k-th draw: two policies replayed with the same seed see
 * the same lead times (common random numbers), which is what makes `--compare` a fair comparison.
 */

import { mulberry32 } from '../core/random.js';

/** A lead-time distribution in days: mean and sd, or observed samples (resampled when present). */
export interface LeadTimeDist {
  mean: number;
  sd: number;
  samples?: ArrayLike<number>;
}

/** 32-bit FNV-1a of the master seed and the key, with a murmur3 finaliser. */
export function hashSeed(seed: number, key: string): number {
  let h = 0x811c9dc5;
  const text = `${seed}\u0000${key}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for a few draws per order. Uniform in [0, 1). */
export { mulberry32 };

function standardNormal(rand: () => number): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Whole days, at least 1: an order placed at the end of day t arrives at the start of day t + L. */
export function toWholeDays(x: number): number {
  return Math.max(1, Math.round(x));
}

/** Gamma(shape, 1) by Marsaglia and Tsang; shape < 1 via the U^(1/shape) boost. */
export function gammaDraw(shape: number, rand: () => number): number {
  if (shape < 1) return gammaDraw(shape + 1, rand) * Math.pow(1 - rand(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rand);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rand();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Lead-time sampler in whole days (>= 1, rounded). Observed samples: one drawn uniformly.
 * sd 0: the fixed mean. Otherwise gamma with that mean and sd, the distribution `stock simulate`
 * assumes (positive, right-skewed), so the replay tests the policy under its own assumptions.
 */
export function leadTimeSampler(dist: LeadTimeDist, rand: () => number): () => number {
  const samples = dist.samples;
  if (samples !== undefined && samples.length > 0) {
    const n = samples.length;
    return () => toWholeDays(samples[Math.min(n - 1, Math.floor(rand() * n))]!);
  }
  if (!(dist.sd > 0) || !(dist.mean > 0)) {
    const fixed = toWholeDays(dist.mean);
    return () => fixed;
  }
  const shape = (dist.mean * dist.mean) / (dist.sd * dist.sd);
  const scale = (dist.sd * dist.sd) / dist.mean;
  return () => toWholeDays(gammaDraw(shape, rand) * scale);
}

/** The sampler a SKU gets in a replay with this master seed. */
export function skuLeadTimeSampler(seed: number, sku: string, dist: LeadTimeDist): () => number {
  return leadTimeSampler(dist, mulberry32(hashSeed(seed, sku)));
}
