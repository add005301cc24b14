/**
 * The mean and sd of demand implied by a median forecast and its 80% interval (pure).
 *
 * stockcast's shipped forecast gives the median of a right-skewed distribution and an asymmetric
 * 80% interval; the simulation needs the mean and the sd of demand. Drawing around the median
 * under-states both (measured: docs/reorder-backtest.md). Here log1p(units) is taken as a
 * two-piece normal with median u = log1p(median) and sds s_lo = (u - log1p(p10)) / z90 below and
 * s_hi = (log1p(p90) - u) / z90 above, and its moments in units are computed by quadrature over
 * QUADRATURE_POINTS equally likely points. A zero-width interval gives the median and sd 0.
 */
import { Z90, normInv } from '../../core/stats.js';

export const QUADRATURE_POINTS = 200;
const Z = Array.from({ length: QUADRATURE_POINTS }, (_, i) => normInv((i + 0.5) / QUADRATURE_POINTS));

export function momentsFromMedian(median: number, p10: number, p90: number): { mean: number; sd: number } {
  const m = Math.max(0, median);
  const u = Math.log1p(m);
  const lo = (u - Math.log1p(Math.max(0, Math.min(m, p10)))) / Z90;
  const hi = (Math.log1p(Math.max(m, p90)) - u) / Z90;
  if (!(lo > 0) && !(hi > 0)) return { mean: m, sd: 0 };
  let s1 = 0;
  let s2 = 0;
  for (const z of Z) {
    const y = Math.max(0, Math.expm1(u + z * (z < 0 ? lo : hi)));
    s1 += y;
    s2 += y * y;
  }
  const mean = s1 / QUADRATURE_POINTS;
  return { mean, sd: Math.sqrt(Math.max(0, s2 / QUADRATURE_POINTS - mean * mean)) };
}

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
