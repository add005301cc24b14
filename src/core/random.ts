/**
 * Seeded randomness shared by every layer (no Math.random anywhere in stockcast): the small
 * generators, the string hashes that derive seeds, and the samplers. A sampler takes its uniform
 * (and normal) source as an argument, so each caller keeps its own stream and its outputs stay the
 * same: the simulation draws from xoshiro128** (simulation/montecarlo/rng.ts), the backtest and
 * the LSTM from mulberry32, the sample generator from seedrandom.
 */

/** A source of uniform draws. Which interval it covers is said where it is asked for. */
export type Uniform = () => number;

/** mulberry32: a small, fast 32-bit generator. Returns uniform draws in [0, 1). */
export function mulberry32(seed: number): Uniform {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// Hashes

/** 128-bit hash of a string (cyrb128): the seed material of a xoshiro128** generator. */
export function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 | 0, h2 | 0, h3 | 0, h4 | 0];
}

/** The FNV-1a offset basis. */
export const FNV1A_BASIS = 0x811c9dc5;

/** 32-bit FNV-1a of a string (unsigned), from `basis`: cheap and stable (shard assignment, seeds). */
export function fnv1a(text: string, basis: number = FNV1A_BASIS): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** MurmurHash3's 32-bit finaliser (fmix32): spreads every input bit over the output (unsigned). */
export function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The seed of the stream `key` under a master seed: FNV-1a of `seed NUL key`, finalised by fmix32
 * (the backtest's lead-time draws, the replan's exposure draws and simulations).
 */
export function keyedSeed(seed: number, key: string): number {
  return fmix32(fnv1a(`${seed}\u0000${key}`));
}

/**
 * The seed of the stream `key` under a master seed, as the LSTM engine derives it: FNV-1a of the
 * key, from the offset basis mixed with the seed's two 32-bit halves (saved models depend on it).
 */
export function basisSeed(seed: number, key: string): number {
  return fnv1a(key, (FNV1A_BASIS ^ (seed >>> 0) ^ Math.floor(seed / 2 ** 32)) >>> 0);
}

// ---------------------------------------------------------------------------------------------
// Samplers

/**
 * Normal with the given mean and sd by Box-Muller (the cosine of the pair), from two draws of a
 * uniform in [0, 1); 1 - u keeps the logarithm finite.
 */
export function normal(uniform: Uniform, mean = 0, sd = 1): number {
  const a = 1 - uniform();
  const b = uniform();
  return mean + sd * Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * b);
}

/**
 * A stream of standard normals by Box-Muller using both of each pair: the cosine (the value of
 * `normal`) first, then the sine, from a uniform in [0, 1).
 */
export function normalPairs(uniform: Uniform): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const b = uniform();
    spare = r * Math.sin(2 * Math.PI * b);
    return r * Math.cos(2 * Math.PI * b);
  };
}

/**
 * Gamma with the given shape and scale 1 (Marsaglia & Tsang 2000, with their squeeze); 0 when the
 * shape is 0 or less; a shape below 1 by the U^(1/shape) boost. `uniform` must lie in (0, 1]
 * (never 0: its logarithm is taken), `standardNormal` is any standard normal source.
 */
export function gamma(shape: number, uniform: Uniform, standardNormal: () => number): number {
  if (shape <= 0) return 0;
  if (shape < 1) return gamma(shape + 1, uniform, standardNormal) * Math.pow(uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniform();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}
