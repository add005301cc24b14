/**
 * The mean and sd of demand a model's median forecasts imply (pure): core/stats.ts
 * `momentsFromMedian` for every period. stockcast's shipped forecast gives the median of a
 * right-skewed distribution; drawing around it under-states demand (docs/reorder-backtest.md).
 */
import { momentsFromMedian } from '../../core/stats.js';

/**
 * What the simulation gets from a model's forecasts: with a median point (`p50`) the implied mean
 * and sd of every SKU's forecast, with a mean point the forecasts as they are.
 */
export function simulationForecasts<F extends MomentSource>(forecasts: Map<string, F>, point: 'p50' | 'mean'): Map<string, F | { mean: Float64Array; sd: Float64Array }> {
  if (point !== 'p50') return forecasts;
  return new Map([...forecasts].map(([sku, f]) => [sku, forecastMoments(f)]));
}

interface MomentSource {
  mean: ArrayLike<number>;
  sd: ArrayLike<number>;
  p10?: ArrayLike<number>;
  p90?: ArrayLike<number>;
}

/** momentsFromMedian for every period of a forecast with p10/p90; a forecast without them is returned as it is. */
export function forecastMoments<F extends MomentSource>(f: F): { mean: Float64Array; sd: Float64Array } | F {
  if (f.p10 === undefined || f.p90 === undefined) return f;
  const n = f.mean.length;
  const mean = new Float64Array(n);
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = momentsFromMedian(f.mean[i]!, f.p10[i]!, f.p90[i]!);
    mean[i] = r.mean;
    sd[i] = r.sd;
  }
  return { mean, sd };
}
