import { describe, expect, it } from 'vitest';
import { forecastMoments } from '../../../src/simulation/montecarlo/moments.js';
import { momentsFromMedian } from '../../../src/core/stats.js';
import { Z90 } from '../../../src/core/stats.js';

describe('moments implied by a median and its 80% interval', () => {
  it('log-normal: matches the closed form exp(mu + s^2/2), sd within quadrature error', () => {
    // log1p(Y) ~ N(u, s^2) with a symmetric interval on the log1p scale.
    const u = Math.log1p(100);
    const s = 0.3;
    const r = momentsFromMedian(100, Math.expm1(u - Z90 * s), Math.expm1(u + Z90 * s));
    const mean = Math.exp(u + (s * s) / 2) - 1;
    const sd = Math.sqrt((Math.exp(s * s) - 1) * Math.exp(2 * u + s * s));
    expect(Math.abs(r.mean - mean) / mean).toBeLessThan(0.002);
    expect(Math.abs(r.sd - sd) / sd).toBeLessThan(0.03);
    expect(r.mean).toBeGreaterThan(100); // right skew: the mean lies above the median
  });

  it('a zero-width interval is the median itself, with no spread', () => {
    expect(momentsFromMedian(7, 7, 7)).toEqual({ mean: 7, sd: 0 });
  });

  it('a wider upper half raises the mean; a forecast without p10/p90 is returned unchanged', () => {
    const narrow = momentsFromMedian(10, 6, 14);
    const wide = momentsFromMedian(10, 6, 30);
    expect(wide.mean).toBeGreaterThan(narrow.mean);
    expect(wide.sd).toBeGreaterThan(narrow.sd);
    const f = { mean: [1, 2], sd: [1, 1] };
    expect(forecastMoments(f)).toBe(f);
    const g = forecastMoments({ mean: [10, 0], sd: [3, 0], p10: [6, 0], p90: [14, 0] });
    expect(g.mean[0]).toBeCloseTo(narrow.mean, 12);
    expect(g.mean[1]).toBe(0);
    expect(g.sd[1]).toBe(0);
  });
});
