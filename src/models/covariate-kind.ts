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
import type { SalesData } from '../core/types.js';

export type CovariateKind = 'flag' | 'price' | 'numeric';

/** The kind of covariate `k` of `data`. */
export function covariateKind(data: SalesData, k: number): CovariateKind {
  let binary = true;
  let positive = true;
  for (const s of data.series) {
    const c = s.covariates[k]!;
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (!Number.isFinite(v)) continue;
      if (v !== 0 && v !== 1) binary = false;
      if (v <= 0) positive = false;
    }
  }
  if (binary) return 'flag';
  return /price/i.test(data.covariates[k]!) && positive ? 'price' : 'numeric';
}
