/**
 * Small seeded generators for the engine (no Math.random): mulberry32 streams, seeded per key with
 * core/random.ts's basisSeed.
 */
import { mulberry32, normalPairs } from '../../core/random.js';

/** Uniform [0, 1) generator (mulberry32). */
export const uniform = mulberry32;

/** Standard normal generator (Box-Muller over `uniform`, both values of each pair). */
export function normal(seed: number): () => number {
  return normalPairs(uniform(seed));
}

/** The first `m` entries of a seeded Fisher-Yates permutation of 0..size-1. */
export function sampleWithoutReplacement(size: number, m: number, seed: number): Int32Array {
  const perm = new Int32Array(size);
  for (let i = 0; i < size; i++) perm[i] = i;
  const u = uniform(seed);
  const take = Math.min(m, size);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(u() * (size - i));
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm.subarray(0, take);
}
