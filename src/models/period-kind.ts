/**
 * Kinds of forecast periods for interval calibration (conformal.ts), pure. An *event* period has a
 * flag covariate on (promotion, feature ad, display, holiday: covariate-kind.ts) or a price at
 * least PRICE_CUT below the SKU's usual price (the median of its observed prices in the history);
 * every other period is *regular*. Numeric covariates (markdown amounts, temperatures) do not make
 * events: they are on in most periods where they are recorded at all.
 *
 * Forecast errors are larger on events than on regular periods: on the synthetic grocery panel
 * the shipped 80% interval, calibrated per step only, covered 0.75 of the deal weeks and 0.80 of
 * the regular ones. Calibrating each kind's width (conformal.ts `kinds`) evens that out.
 */
import type { FuturePlan, SalesData } from '../core/types.js';
import { positiveMedian } from './baselines/_features.js';
import { covariateKinds } from './covariate-kind.js';

/** Kind names, in the order of the calibration's `kinds.ratios` rows. */
export const PERIOD_KINDS = ['regular', 'event'] as const;
export const REGULAR = 0;
export const EVENT = 1;
/** A price this far below the usual price makes a period an event. */
export const PRICE_CUT = 0.05;

/** What makes an event in one data set: its flag and price columns and each SKU's usual prices. */
export interface EventRule {
  flags: number[];
  prices: number[];
  /** Per SKU, the usual price of each entry of `prices` (NaN: none observed). */
  usual: Map<string, Float64Array>;
}

/** The rule for `history`: its covariate kinds and every SKU's median observed prices. */
export function eventRule(history: SalesData): EventRule {
  const kinds = covariateKinds(history);
  const flags = kinds.flatMap((k, i) => (k === 'flag' ? [i] : []));
  const prices = kinds.flatMap((k, i) => (k === 'price' ? [i] : []));
  const usual = new Map<string, Float64Array>();
  if (prices.length > 0) {
    for (const s of history.series) {
      usual.set(
        s.sku,
        Float64Array.from(prices, (k) => positiveMedian(s.covariates[k]!.filter((_, i) => s.observed[i] !== 0))),
      );
    }
  }
  return { flags, prices, usual };
}

/** The kind (REGULAR / EVENT) of each of the `horizon` planned periods of `sku`. */
export function periodKinds(rule: EventRule, sku: string, plan: Float64Array[] | undefined, horizon: number): Uint8Array {
  const out = new Uint8Array(horizon);
  if (plan === undefined) return out;
  const usual = rule.usual.get(sku);
  for (let h = 0; h < horizon; h++) {
    let event = rule.flags.some((k) => plan[k]?.[h] === 1);
    if (!event && usual !== undefined) {
      event = rule.prices.some((k, j) => {
        const p = plan[k]?.[h];
        const u = usual[j]!;
        return p !== undefined && Number.isFinite(p) && p > 0 && u > 0 && p < (1 - PRICE_CUT) * u;
      });
    }
    out[h] = event ? EVENT : REGULAR;
  }
  return out;
}

/** The kinds of every SKU's planned periods. */
export function planKinds(history: SalesData, plan: FuturePlan, horizon: number): Map<string, Uint8Array> {
  const rule = eventRule(history);
  const out = new Map<string, Uint8Array>();
  for (const [sku, p] of plan) out.set(sku, periodKinds(rule, sku, p, horizon));
  return out;
}
