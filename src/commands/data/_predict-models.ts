/**
 * Which model `forecast predict` will use for each SKU of a sales table, so that `data inspect`'s
 * `too_short` flag says what predict does. The rule is predict's (models/lstm-forecaster.ts):
 * a SKU gets the model's shipped forecast (`shipped`: the LSTM combined with the classical members
 * chosen at training, named in predict's model column, e.g. `lstm+promo_regression+arimax`) when
 * its last `window` periods before its forecast origin hold at least `minObservedFor(window)`
 * observed periods; otherwise it gets the fallback baseline that `fallbackModel` picks from its
 * whole history. Pure.
 */
import type { Freq, SalesData } from '../../core/types.js';
import { demandCounts, fallbackModel } from '../../models/baselines/index.js';
import { minObservedFor } from '../../models/lstm-forecaster.js';
import { FREQ_DEFAULTS } from '../../models/lstm-settings.js';
import type { Origins } from '../../models/origins.js';

/**
 * What `predict_model` says for SKUs that get the shipped forecast: its members are chosen at
 * training (models/combination-cv.ts), so only the model knows their names.
 */
export const LSTM_SHIPPED = 'shipped';

export interface PredictRule {
  /** The model's --window (forecast train's default for the frequency unless given). */
  window: number;
  /** Observed periods the LSTM needs in that window. */
  minObserved: number;
}

export function predictRule(freq: Freq, window?: number): PredictRule {
  const w = window ?? FREQ_DEFAULTS[freq].window;
  return { window: w, minObserved: minObservedFor(w) };
}

/** Per SKU: the model predict will write in its model column, and whether that is a fallback. */
export function predictModels(data: SalesData, origins: Origins, rule: PredictRule): Map<string, { model: string; fallback: boolean }> {
  const out = new Map<string, { model: string; fallback: boolean }>();
  for (const s of data.series) {
    const origin = origins.originOf.get(s.sku)!;
    const oi = Math.floor((origin - s.start) / data.step);
    let observed = 0;
    for (let i = Math.max(0, oi - rule.window + 1); i <= Math.min(oi, s.units.length - 1); i++) if (Number.isFinite(s.units[i]!)) observed++;
    if (oi >= 0 && observed >= rule.minObserved) {
      out.set(s.sku, { model: LSTM_SHIPPED, fallback: false });
    } else {
      const { observed: all, demands } = demandCounts(s.units, oi + 1);
      out.set(s.sku, { model: fallbackModel(all, demands), fallback: true });
    }
  }
  return out;
}
