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
