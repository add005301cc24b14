/**
 * Helpers of LstmForecaster.fit (lstm-forecaster.ts): the ensemble's training settings and seeds,
 * its summed training result, the members a combination setting starts from, and the screening of
 * the generic numeric covariates on the validation windows. Pure.
 */
import type { TrainResult } from './lstm/contract.js';
import { type CombineChoice, COMBINE_CANDIDATES, COMBINE_DEFAULT_MEMBERS } from './lstm-settings.js';
import { type LstmNetworks, QUANTILES } from './lstm-networks.js';
import type { WindowSet } from './windows.js';

/**
 * Default windows per epoch: 64 per SKU, between 4,096 and 8,192 (bounds training time; shorter
 * epochs give early stopping a finer grid, and the time saved pays for more ensemble members).
 */
export function autoSamplesPerEpoch(skus: number): number {
  return Math.max(4096, Math.min(8192, 64 * skus));
}

/** Seed of ensemble member m (member 0 uses the seed itself). */
export function memberSeed(seed: number, m: number): number {
  return m === 0 ? seed : (seed + 7919 * m) % 2147483647;
}

export function combineResults(results: TrainResult[]): TrainResult {
  const sum = (f: (r: TrainResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return {
    epochsRun: sum((r) => r.epochsRun),
    bestEpoch: results[0]!.bestEpoch,
    bestValLoss: sum((r) => r.bestValLoss) / results.length,
    history: results.flatMap((r) => r.history),
    samplesPerSecond: sum((r) => r.samplesPerSecond) / results.length,
    seconds: sum((r) => r.seconds),
  };
}

export function minObservedFor(window: number): number {
  return Math.max(2, Math.ceil(window / 4));
}

/** The members of the shipped combination for a training setting (before CV chooses among them). */
export function candidatesFor(choice: CombineChoice): { candidates: string[]; defaults: string[] } {
  if (choice === 'none') return { candidates: ['lstm'], defaults: ['lstm'] };
  if (choice === 'auto') return { candidates: [...COMBINE_CANDIDATES], defaults: [...COMBINE_DEFAULT_MEMBERS] };
  return { candidates: ['lstm', choice], defaults: ['lstm', choice] };
}

export function round6(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : x;
}

/** Weighted mean pinball loss of the three quantiles on the validation windows (z units). */
async function validationLoss(core: LstmNetworks, valid: WindowSet): Promise<number> {
  const H = valid.spec.horizon;
  const z = await core.predictZ(valid);
  const batch = valid.batch(Array.from({ length: valid.size }, (_, i) => i));
  let sum = 0;
  let n = 0;
  for (let b = 0; b < valid.size; b++) {
    const a = valid.anchor(b);
    for (let h = 0; h < H; h++) {
      if (batch.mask[b * H + h] === 0) continue;
      const y = batch.target[b * H + h]! + a;
      const w = batch.mask[b * H + h]!;
      QUANTILES.forEach((q, k) => {
        const d = y - z[(b * H + h) * 3 + k]!;
        sum += w * (d >= 0 ? q * d : (q - 1) * d);
      });
      n += 3 * w;
    }
  }
  return n > 0 ? sum / n : Number.NaN;
}

/**
 * Generic numeric covariates (not flags, not prices) can be spurious: recorded only in part of the
 * history, or confounded with the season (Walmart's markdowns). Each one is fed as neutral when
 * that lowers the validation loss of the trained network by more than 0.5%; greedy, in order.
 */
export async function screenCovariates(core: LstmNetworks, valid: WindowSet): Promise<string[]> {
  const dropped: string[] = [];
  if (valid.size === 0) return dropped;
  let best = await validationLoss(core, valid);
  for (const c of core.spec.covariates) {
    if (c.kind !== 'numeric') continue;
    c.neutral = true;
    const loss = await validationLoss(core, valid);
    if (loss < best * 0.995) {
      best = loss;
      dropped.push(c.name);
    } else delete c.neutral;
  }
  return dropped;
}
