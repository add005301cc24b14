/**
 * Seeded lead-time draws for the backtest replay. One generator per SKU, seeded from the master
 * seed and the SKU id by hashing, so a SKU's draws do not depend on which other SKUs are replayed.
 * The k-th order of a SKU always gets the k-th draw: two policies replayed with the same seed see
 * the same lead times (common random numbers), which is what makes `--compare` a fair comparison.
 */

import { type Uniform, gamma, keyedSeed, mulberry32, normal } from '../../core/random.js';
import type { LeadTime } from '../../core/types.js';

/** Whole days, at least 1: an order placed at the end of day t arrives at the start of day t + L. */
export function toWholeDays(x: number): number {
  return Math.max(1, Math.round(x));
}

/**
 * Lead-time sampler in whole days (>= 1, rounded). Observed samples: one drawn uniformly.
 * sd 0: the fixed mean. Otherwise gamma with that mean and sd, the distribution `stock simulate`
 * assumes (positive, right-skewed), so the replay tests the policy under its own assumptions.
 */
export function leadTimeSampler(dist: LeadTime, rand: Uniform): () => number {
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
  const positive = () => 1 - rand();
  const standardNormal = () => normal(rand);
  return () => toWholeDays(gamma(shape, positive, standardNormal) * scale);
}

/** The sampler a SKU gets in a replay with this master seed. */
export function skuLeadTimeSampler(seed: number, sku: string, dist: LeadTime): () => number {
  return leadTimeSampler(dist, mulberry32(keyedSeed(seed, sku)));
}
