/**
 * How a covariate enters a model, decided once from its values over all series; the LSTM
 * (scaling.ts) and the regressions (baselines/_features.ts: promo_regression, arimax) share it:
 * - `flag`: every observed value is 0 or 1 (promotion, feature, display, holiday), or none is
 *   observed. A 0/1 column is a flag whatever its name: as a price, log(price / usual price) would
 *   turn both its values into the neutral 0 and lose it.
 * - `price`: the name contains "price" and every observed value is positive, so log(price / the
 *   SKU's usual price) is defined everywhere.
 * - `numeric`: anything else (amounts, temperatures, and a "price" with values <= 0).
 */
import { type CovariateRange, covariateRanges } from '../core/covariate-ranges.js';
import type { SalesData } from '../core/types.js';

export type CovariateKind = 'flag' | 'price' | 'numeric';

/** The kind of a covariate from its range over the data (core/covariate-ranges.ts). */
export function kindOfRange(r: CovariateRange): CovariateKind {
  if (r.binary) return 'flag';
  return /price/i.test(r.name) && r.positive ? 'price' : 'numeric';
}

/** The kind of every covariate of `data`, in column order. */
export function covariateKinds(data: SalesData): CovariateKind[] {
  return covariateRanges(data).map(kindOfRange);
}

/** The kind of covariate `k` of `data`. */
export function covariateKind(data: SalesData, k: number): CovariateKind {
  return covariateKinds(data)[k]!;
}

/** A yearly cycle in days: how long a covariate must have varied for its effect to be told apart from the season's. */
export const SEASON_CYCLE_DAYS = 364;

/**
 * Generic numeric covariates (kind `numeric`) that only started to vary shortly before `end`: their
 * first change, over all SKUs (a value other than the SKU's first observed one), came less than a
 * yearly cycle and less than half the history before `end`. A column recorded from some date on,
 * 0 or empty before (Walmart's markdowns start in November 2011), has then met part of one season
 * only, so a model cannot tell its effect from the season's and learns the holiday peak as its
 * effect. The LSTM and the regressions feed such a covariate as neutral (docs/forecasting.md).
 * Flags and prices are left to the models: their effects are estimated against the local level.
 * Periods after `end` (a day number) are not looked at. Indices in column order.
 */
export function shortLivedCovariates(data: SalesData, end: number, kinds: readonly CovariateKind[] = covariateKinds(data)): number[] {
  let first = Number.POSITIVE_INFINITY;
  for (const s of data.series) first = Math.min(first, s.start);
  const minSpan = Math.min(SEASON_CYCLE_DAYS, (end - first) / 2);
  return kinds.flatMap((kind, k) => {
    if (kind !== 'numeric') return [];
    let change = Number.POSITIVE_INFINITY;
    for (const s of data.series) {
      const c = s.covariates[k]!;
      let ref = Number.NaN;
      for (let i = 0; i < c.length; i++) {
        const day = s.start + i * data.step;
        if (day > end || day >= change) break;
        const v = c[i]!;
        if (!Number.isFinite(v)) continue;
        if (Number.isNaN(ref)) ref = v;
        else if (v !== ref) {
          change = day;
          break;
        }
      }
    }
    return Number.isFinite(change) && end - change < minSpan ? [k] : [];
  });
}
