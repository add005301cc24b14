/**
 * Helpers of LstmForecaster.fit (lstm-forecaster.ts) besides its steps (lstm-fit-data.ts,
 * lstm-ensemble.ts, lstm-validation.ts): the observed periods below which a SKU goes to the
 * fallback rule, and the screening of the generic numeric covariates on the validation windows.
 * Pure.
 */
import { type LstmNetworks, QUANTILES } from './lstm-networks.js';
import type { WindowSet } from './windows.js';

/** Fewer observed periods than this in a SKU's input window: the fallback rule forecasts it. */
export function minObservedFor(window: number): number {
  return Math.max(2, Math.ceil(window / 4));
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
    if (c.kind !== 'numeric' || c.neutral === true) continue;
    c.neutral = true;
    const loss = await validationLoss(core, valid);
    if (loss < best * 0.995) {
      best = loss;
      dropped.push(c.name);
    } else delete c.neutral;
  }
  return dropped;
}
