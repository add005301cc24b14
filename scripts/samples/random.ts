/** Seeded random draws for the sample generators (seedrandom; never Math.random). */
import seedrandom from 'seedrandom';

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
  const rng: Rng = {
    next: () => u(),
    uniform: (lo, hi) => lo + (hi - lo) * u(),
    int: (lo, hi) => lo + Math.floor(u() * (hi - lo + 1)),
    normal(mean = 0, sd = 1) {
      const a = 1 - u();
      const b = u();
      return mean + sd * Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * b);
    },
    gamma(shape) {
      if (shape < 1) return rng.gamma(shape + 1) * u() ** (1 / shape);
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        let x: number;
        let v: number;
        do {
          x = rng.normal();
          v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        const w = 1 - u();
        if (Math.log(w) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
      }
    },
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
