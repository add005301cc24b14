/**
 * Prediction intervals at any level from a forecast's point, p10 and p90 (pure).
 *
 * Every stockcast forecaster emits a point forecast and an 80% interval (p10, p90). An interval at
 * another level L is read off the two-piece normal on the log1p scale that has that point as its
 * median and that p10/p90 as its 10% and 90% quantiles:
 *
 *   u = log1p(point), s_lo = (u - log1p(p10)) / z_0.9, s_hi = (log1p(p90) - u) / z_0.9,
 *   lo_L = expm1(u - z_q s_lo), hi_L = expm1(u + z_q s_hi), q = (1 + L/100) / 2.
 *
 * So lo-80/hi-80 are exactly p10/p90, wider levels widen each side in proportion (right-skewed in
 * units, as demand is; the upper side's growth beyond p90 is capped by upperWidth), and the
 * calibration of the 80% interval carries over to the shape. A forecast that carries its own
 * bounds for a level (`SeriesForecast.intervals`, e.g. calibrated out of sample) uses those
 * instead.
 */
import { Z90, normInv } from '../core/stats.js';
import type { SeriesForecast } from './forecaster.js';

/**
 * Above the 80% upper bound, each unit of factor (calibrated, conformal.ts, or the ratio of normal
 * quantiles here) adds at most this much to the upper half-width (log1p scale). Without it, a
 * forecast whose own 80% interval is already very wide on the log scale (a point near 0 with p90
 * in the thousands: a seasonal SKU that may or may not sell) had its upper bound raised to a
 * power: on Walmart (LSTM retrained at 2012-04-27) the calibrated 95% bound of department 18,
 * point 0 and calibrated p90 13,800 units, came out at 94 million units. The cap leaves every
 * forecast whose 80% upper half-width is at most 1.5 (p90 + 1 within e^1.5 = 4.5 times point + 1)
 * as it was.
 */
export const MAX_EXTRA_WIDTH = 1.5;

/** Upper half-width (log1p scale) at factor `c` of a forecast whose 80% upper half-width is `s`. */
export function upperWidth(s: number, c: number): number {
  return c <= 1 ? c * s : s + (c - 1) * Math.min(s, MAX_EXTRA_WIDTH);
}

/** The inverse of upperWidth: the factor whose upper half-width is `d` (s > 0). */
export function upperFactor(s: number, d: number): number {
  return d <= s ? d / s : 1 + (d - s) / Math.min(s, MAX_EXTRA_WIDTH);
}

export interface Interval {
  lo: Float64Array;
  hi: Float64Array;
}

/** The lower and upper quantile probabilities of a central interval at `level` percent. */
export function levelQuantiles(level: number): [number, number] {
  const a = (1 - level / 100) / 2;
  return [a, 1 - a];
}

/** Bounds of the central `level`% interval (0 < level < 100) of each step of `fc`. */
export function intervalAt(fc: SeriesForecast, level: number): Interval {
  const own = fc.intervals?.get(level);
  if (own !== undefined) return own;
  const H = fc.mean.length;
  if (level === 80) return { lo: Float64Array.from(fc.p10), hi: Float64Array.from(fc.p90) };
  if (fc.intervals !== undefined && fc.intervals.size > 0) return interpolated(fc, level);
  const zq = normInv((1 + level / 100) / 2) / Z90;
  const lo = new Float64Array(H);
  const hi = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    const f = fc.mean[h]!;
    if (!Number.isFinite(f)) {
      lo[h] = Number.NaN;
      hi[h] = Number.NaN;
      continue;
    }
    const p10 = Number.isFinite(fc.p10[h]!) ? Math.min(f, fc.p10[h]!) : f;
    const p90 = Number.isFinite(fc.p90[h]!) ? Math.max(f, fc.p90[h]!) : f;
    const u = Math.log1p(Math.max(0, f));
    const sLo = u - Math.log1p(Math.max(0, p10));
    const sHi = Math.log1p(Math.max(0, p90)) - u;
    lo[h] = Math.min(f, Math.max(0, Math.expm1(u - zq * sLo)));
    hi[h] = Math.max(f, Math.expm1(u + upperWidth(sHi, zq)));
  }
  return { lo, hi };
}

/**
 * A level between or beyond the levels a forecast carries (its own `intervals` plus 80 = p10/p90):
 * on the log1p scale, bounds are interpolated linearly in the normal quantile z of the level
 * between the two nearest levels; beyond the outermost ones, the nearest level's half-widths are
 * scaled by the ratio of z (as the two-piece normal does).
 */
function interpolated(fc: SeriesForecast, level: number): Interval {
  const H = fc.mean.length;
  const known = new Map(fc.intervals!);
  known.set(80, { lo: fc.p10, hi: fc.p90 });
  const levels = [...known.keys()].sort((a, b) => a - b);
  const z = (L: number) => normInv((1 + L / 100) / 2);
  const below = levels.filter((L) => L < level).pop();
  const above = levels.find((L) => L > level);
  const lo = new Float64Array(H);
  const hi = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    const f = Math.max(0, fc.mean[h]!);
    const u = Math.log1p(f);
    const half = (L: number) => {
      const b = known.get(L)!;
      return [u - Math.log1p(Math.max(0, Math.min(f, b.lo[h]!))), Math.log1p(Math.max(f, b.hi[h]!)) - u] as const;
    };
    let sLo: number;
    let sHi: number;
    if (below !== undefined && above !== undefined) {
      const t = (z(level) - z(below)) / (z(above) - z(below));
      const [a0, a1] = half(below);
      const [b0, b1] = half(above);
      sLo = (1 - t) * a0 + t * b0;
      sHi = (1 - t) * a1 + t * b1;
    } else {
      const near = (below ?? above)!;
      const [a0, a1] = half(near);
      const k = z(level) / z(near);
      sLo = k * a0;
      sHi = upperWidth(a1, k);
    }
    lo[h] = Math.min(f, Math.max(0, Math.expm1(u - sLo)));
    hi[h] = Math.max(f, Math.expm1(u + sHi));
  }
  return { lo, hi };
}

/** Interval (Winkler) score of one point: width plus 2/alpha times the miss, alpha = 1 - level/100. */
export function winkler(y: number, lo: number, hi: number, level: number): number {
  const alpha = 1 - level / 100;
  let s = hi - lo;
  if (y < lo) s += (2 / alpha) * (lo - y);
  else if (y > hi) s += (2 / alpha) * (y - hi);
  return s;
}
