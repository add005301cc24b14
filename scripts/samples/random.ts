/** Seeded random draws for the sample generators (seedrandom; never Math.random). */
import seedrandom from 'seedrandom';
import { gamma, normal } from '../../src/core/random.js';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(lo: number, hi: number): number;
  int(lo: number, hiInclusive: number): number;
  normal(mean?: number, sd?: number): number;
  /** Gamma(shape, scale = 1) (Marsaglia-Tsang). */
  gamma(shape: number): number;
  poisson(mean: number): number;
  /** Negative binomial as a gamma-Poisson mixture: mean `mean`, variance mean + mean^2 / size. */
  negBinomial(mean: number, size: number): number;
  pick<T>(xs: readonly T[]): T;
}

export function makeRng(seed: string): Rng {
  const u = seedrandom(seed);
  const positive = () => 1 - u();
  const standardNormal = () => normal(u);
  const rng: Rng = {
    next: () => u(),
    uniform: (lo, hi) => lo + (hi - lo) * u(),
    int: (lo, hi) => lo + Math.floor(u() * (hi - lo + 1)),
    normal: (mean = 0, sd = 1) => normal(u, mean, sd),
    gamma: (shape) => gamma(shape, positive, standardNormal),
    poisson(mean) {
      if (mean <= 0) return 0;
      if (mean > 50) return Math.max(0, Math.round(rng.normal(mean, Math.sqrt(mean))));
      const l = Math.exp(-mean);
      let k = 0;
      let p = 1;
      do {
        k++;
        p *= u();
      } while (p > l);
      return k - 1;
    },
    negBinomial(mean, size) {
      return mean <= 0 ? 0 : rng.poisson((mean * rng.gamma(size)) / size);
    },
    pick: (xs) => xs[Math.floor(u() * xs.length)]!,
  };
  return rng;
}
