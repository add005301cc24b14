/**
 * The classical forecasters: a registry for `forecast evaluate` and the fallback rule for SKUs too
 * short for the LSTM window.
 */
import type { Forecaster } from '../forecaster.js';
import { ArimaxForecaster } from './arimax.js';
import { EtsForecaster } from './ets.js';
import { MovingAverageForecaster } from './moving-average.js';
import { NaiveForecaster } from './naive.js';
import { PromoRegressionForecaster } from './promo-regression.js';
import { SeasonalNaiveForecaster } from './seasonal-naive.js';

export { ArimaxForecaster } from './arimax.js';
export { EtsForecaster } from './ets.js';
export { MovingAverageForecaster } from './moving-average.js';
export { NaiveForecaster } from './naive.js';
export { PromoRegressionForecaster, PROMO_REGRESSION_DEFAULTS, type PromoRegressionOptions } from './promo-regression.js';
export { SeasonalNaiveForecaster } from './seasonal-naive.js';
export { seasonLength } from './_common.js';

export type BaselineName = 'naive' | 'seasonal_naive' | 'moving_average' | 'ets' | 'promo_regression' | 'arimax';

/** Every baseline by name, with its defaults. */
export const BASELINES: Record<BaselineName, () => Forecaster> = {
  naive: () => new NaiveForecaster(),
  seasonal_naive: () => new SeasonalNaiveForecaster(),
  moving_average: () => new MovingAverageForecaster(),
  ets: () => new EtsForecaster(),
  promo_regression: () => new PromoRegressionForecaster(),
  arimax: () => new ArimaxForecaster(),
};

export const BASELINE_NAMES = Object.keys(BASELINES) as BaselineName[];

/** Observed periods from which a SKU gets `promo_regression` rather than `moving_average`. */
export const FALLBACK_MIN_REGRESSION = 8;

/**
 * The baseline for a SKU the LSTM cannot forecast (history shorter than its window), from the
 * number of observed (non-missing) periods up to the origin: promo_regression from
 * FALLBACK_MIN_REGRESSION on (it uses the plan and borrows seasonality and lifts from the global
 * fit, so fit it on all SKUs), moving_average below that, naive (all zeros) with no observation.
 */
export function fallbackModel(observed: number): BaselineName {
  if (observed >= FALLBACK_MIN_REGRESSION) return 'promo_regression';
  if (observed >= 1) return 'moving_average';
  return 'naive';
}
