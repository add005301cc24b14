/**
 * The per-day demand model of one SKU: a mean and a standard deviation for every day of the
 * forecast horizon, and the distribution daily demand is drawn from.
 *
 * Weekly forecasts are spread to days: a week with forecast F and sd S becomes 7 independent days
 * with mean F/7 and sd S/sqrt(7), which keeps the week's mean and variance.
 *
 * Demand over a stretch of time is a sum of independent pieces, one per day or part of a day; a
 * part w of day t (0 < w < 1, at the ends of a random lead time) has mean w*mean[t] and variance
 * w*sd[t]^2 under every distribution below (normal, gamma and negative binomial are infinitely
 * divisible), so the variance of demand grows linearly with time, as the textbook formulas assume.
 */
import type { Rng } from './rng.js';

export type DemandDist = 'normal' | 'gamma' | 'negbin';
export type DemandDistChoice = DemandDist | 'auto';

export interface DailyDemand {
  mean: Float64Array;
  sd: Float64Array;
}

/** Spread per-period forecasts to days (step 1: copied; step 7: mean/7, sd/sqrt(7)). */
export function spreadToDays(mean: ArrayLike<number>, sd: ArrayLike<number>, step: number): DailyDemand {
  const n = mean.length * step;
  const m = new Float64Array(n);
  const s = new Float64Array(n);
  const root = Math.sqrt(step);
  for (let i = 0; i < mean.length; i++) {
    for (let j = 0; j < step; j++) {
      m[i * step + j] = mean[i]! / step;
      s[i * step + j] = sd[i]! / root;
    }
  }
  return { mean: m, sd: s };
}

/** Thresholds of the `auto` rule (docs/simulate.md). */
export const AUTO_RULE = {
  /** Mean daily demand below this: a count distribution (negative binomial / Poisson). */
  countBelowDailyMean: 5,
  /** Share of zero-forecast days at or above this: intermittent, a count distribution. */
  countZeroShare: 0.25,
  /** Coefficient of variation of daily demand above this: gamma (a normal would often go negative). */
  gammaAboveCv: 0.5,
} as const;

/**
 * `auto`: negbin when the SKU is slow or intermittent over the first `days` days (mean daily
 * demand < 5, or >= 25% of those days forecast at zero); gamma when daily demand is skewed
 * (sd/mean > 0.5); normal otherwise.
 */
export function chooseDistribution(d: DailyDemand, days: number, choice: DemandDistChoice): DemandDist {
  if (choice !== 'auto') return choice;
  const n = Math.max(1, Math.min(days, d.mean.length));
  let sum = 0;
  let sumVar = 0;
  let zeros = 0;
  for (let t = 0; t < n; t++) {
    sum += d.mean[t]!;
    sumVar += d.sd[t]! * d.sd[t]!;
    if (d.mean[t] === 0) zeros++;
  }
  const mean = sum / n;
  const sd = Math.sqrt(sumVar / n);
  if (mean < AUTO_RULE.countBelowDailyMean || zeros / n >= AUTO_RULE.countZeroShare) return 'negbin';
  if (sd > AUTO_RULE.gammaAboveCv * mean) return 'gamma';
  return 'normal';
}

/**
 * One piece of demand: a share `w` (0 < w <= 1) of a day with mean `m` and sd `s`.
 * - normal: N(w m, w s^2), truncated at 0 (no negative demand);
 * - gamma: shape w m^2/s^2, scale s^2/m;
 * - negbin: gamma-Poisson mixture with size w m^2/(s^2 - m); Poisson(w m) when s^2 <= m (a count
 *   distribution cannot have less variance than its mean).
 * Zero sd means demand is known: exactly w m under every distribution. Zero mean gives 0 (the
 * normal gives the positive part of N(0, w s^2)).
 */
export function drawPiece(rng: Rng, dist: DemandDist, m: number, s: number, w: number): number {
  if (m <= 0) return dist === 'normal' && s > 0 ? Math.max(0, Math.sqrt(w) * s * rng.normal()) : 0;
  if (s <= 0) return w * m;
  switch (dist) {
    case 'normal': {
      const x = w * m + Math.sqrt(w) * s * rng.normal();
      return x > 0 ? x : 0;
    }
    case 'gamma': {
      if (s < 1e-9 * m) return w * m; // cv below 1e-9: deterministic (and s^2/m would underflow)
      const scale = (s * s) / m;
      return rng.gamma((w * m) / scale) * scale;
    }
    case 'negbin': {
      const v = s * s;
      if (v <= m) return rng.poisson(w * m);
      const r = (m * m) / (v - m);
      return rng.poisson(rng.gamma(w * r) * (m / r));
    }
  }
}
