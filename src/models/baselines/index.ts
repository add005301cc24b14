/**
 * The classical forecasters: a registry for `forecast evaluate` and the fallback rule for SKUs too
 * short for the LSTM window.
 */
import type { Forecaster } from '../forecaster.js';
import { ArimaxForecaster } from './arimax.js';
import { CrostonForecaster } from './croston.js';
import { EtsForecaster } from './ets.js';
import { MovingAverageForecaster } from './moving-average.js';
import { NaiveForecaster } from './naive.js';
import { PromoRegressionForecaster } from './promo-regression.js';
import { SeasonalNaiveForecaster } from './seasonal-naive.js';

export { ArimaxForecaster } from './arimax.js';
export { CrostonForecaster } from './croston.js';
export { EtsForecaster } from './ets.js';
export { MovingAverageForecaster } from './moving-average.js';
export { NaiveForecaster } from './naive.js';
export { PromoRegressionForecaster, PROMO_REGRESSION_DEFAULTS, type PromoRegressionOptions } from './promo-regression.js';
export { SeasonalNaiveForecaster } from './seasonal-naive.js';

export type BaselineName = 'naive' | 'seasonal_naive' | 'moving_average' | 'ets' | 'promo_regression' | 'arimax' | 'croston';

/** Every baseline by name, with its defaults. */
export const BASELINES: Record<BaselineName, () => Forecaster> = {
  naive: () => new NaiveForecaster(),
  seasonal_naive: () => new SeasonalNaiveForecaster(),
  moving_average: () => new MovingAverageForecaster(),
  ets: () => new EtsForecaster(),
  promo_regression: () => new PromoRegressionForecaster(),
  arimax: () => new ArimaxForecaster(),
  croston: () => new CrostonForecaster(),
};

export const BASELINE_NAMES = Object.keys(BASELINES) as BaselineName[];

/** Observed periods from which a SKU gets `promo_regression` rather than `moving_average`. */
export const FALLBACK_MIN_REGRESSION = 8;

/**
 * Average inter-demand interval (observed periods per period with demand) from which a SKU counts
 * as intermittent and goes to croston. The Syntetos-Boylan-Croston (2005) cut-off is 1.32; under
 * 3-window rolling-origin CV croston won from 2 on, on Walmart (41 SKUs: WAPE 1.163 vs 1.189 for
 * moving_average, 1.309 promo_regression) and on the samples (4 SKUs: 1.422 vs 1.433 / 1.434),
 * but not between 1.32 and 2 on Walmart (docs/baselines-metrics.md).
 */
export const INTERMITTENT_ADI = 2;

/** Observed periods and periods with demand (> 0) among the first `end` of `units`. */
export function demandCounts(units: ArrayLike<number>, end = units.length): { observed: number; demands: number } {
  let observed = 0;
  let demands = 0;
  for (let i = 0; i < Math.min(end, units.length); i++) {
    const v = units[i]!;
    if (!Number.isFinite(v)) continue;
    observed++;
    if (v > 0) demands++;
  }
  return { observed, demands };
}

/**
 * The baseline for a SKU the LSTM cannot forecast (history shorter than its window), from the
 * number of observed (non-missing) periods up to the origin and how many of them had demand:
 * croston when the SKU is intermittent (at least 2 demands, observed / demands >= INTERMITTENT_ADI),
 * else promo_regression from FALLBACK_MIN_REGRESSION observed periods on (it uses the plan and
 * borrows seasonality and lifts from the global fit, so fit it on all SKUs), moving_average below
 * that, naive (all zeros) with no observation. `demands` defaults to `observed` (not intermittent).
 */
export function fallbackModel(observed: number, demands = observed): BaselineName {
  if (demands >= 2 && observed >= INTERMITTENT_ADI * demands) return 'croston';
  if (observed >= FALLBACK_MIN_REGRESSION) return 'promo_regression';
  if (observed >= 1) return 'moving_average';
  return 'naive';
}
