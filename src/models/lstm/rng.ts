/** Small seeded generators for the engine (no Math.random): mulberry32 streams keyed by a string. */
import { mulberry32 } from '../../core/random.js';

/** 32-bit FNV-1a of a string, mixed with a numeric seed. */
export function hashSeed(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0) ^ Math.floor(seed / 2 ** 32)) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Uniform [0, 1) generator (mulberry32). */
export const uniform = mulberry32;

/** Standard normal generator (Box-Muller over `uniform`). */
export function normal(seed: number): () => number {
  const u = uniform(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u1 = 1 - u();
    const u2 = u();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
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
