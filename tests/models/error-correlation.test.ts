/** models/error-correlation.ts and combination-cv.ts errorCorrelationAt: the correlation of errors within a window. */
import { describe, expect, it } from 'vitest';
import { mulberry32, normal } from '../../src/core/random.js';
import { momentsFromMedian } from '../../src/core/stats.js';
import { type CvForecasts, type CvPoint, errorCorrelationAt } from '../../src/models/combination-cv.js';
import { Z_CAP, equicorrelation, standardizedError } from '../../src/models/error-correlation.js';

/** `count` windows of `n` errors with correlation `rho` between any two (a shared level plus noise), each at its own scale. */
function equicorrelated(rho: number, count: number, n: number, seed: number): Float64Array[] {
  const u = mulberry32(seed);
  return Array.from({ length: count }, (_, w) => {
    const scale = 1 + (w % 7);
    const level = normal(u) * Math.sqrt(rho);
    return Float64Array.from({ length: n }, () => scale * (level + normal(u) * Math.sqrt(1 - rho)));
  });
}

describe('equicorrelation', () => {
  it('recovers the correlation of errors that share a level, whatever the scale of each window', () => {
    for (const rho of [0.05, 0.3, 0.7]) {
      const est = equicorrelation(equicorrelated(rho, 4000, 10, 7))!;
      expect(est.windows).toBe(4000);
      expect(Math.abs(est.rho - rho)).toBeLessThan(0.03);
    }
  });

  it('independent errors give about 0; errors that alternate in sign are clamped to 0, not negative', () => {
    expect(equicorrelation(equicorrelated(0, 4000, 10, 11))!.rho).toBeLessThan(0.02);
    const alternating = Array.from({ length: 50 }, () => Float64Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? 1 : -1)));
    expect(equicorrelation(alternating)!.rho).toBe(0);
    const same = Array.from({ length: 5 }, () => [2, 2, 2]);
    expect(equicorrelation(same)!.rho).toBeCloseTo(1, 12);
  });

  it('windows with fewer than two errors do not count; none left: undefined', () => {
    expect(equicorrelation([[1], []])).toBeUndefined();
    expect(equicorrelation([[1], [1, 1]])).toEqual({ rho: 1, windows: 1 });
    expect(equicorrelation([[0, 0]])).toBeUndefined();
  });
});

describe('standardizedError', () => {
  it('standardises with the mean and sd stock simulate derives from the median and 80% interval, capped', () => {
    const { mean, sd } = momentsFromMedian(10, 6, 15);
    expect(standardizedError(20, 10, 6, 15)).toBeCloseTo((20 - mean) / sd, 12);
    expect(standardizedError(1e9, 10, 6, 15)).toBe(Z_CAP);
    expect(standardizedError(0, 0, 0, 0)).toBeUndefined();
  });
});

describe('errorCorrelationAt', () => {
  /** Points of `skus` SKUs from `origins` origins, 8 steps each; `actual(series, origin, step)`. */
  function cvOf(skus: number, origins: number, actual: (s: number, o: number, h: number) => number): CvForecasts {
    const points: CvPoint[] = [];
    const triples: number[] = [];
    for (let o = 0; o < origins; o++) {
      for (let s = 0; s < skus; s++) {
        for (let h = 0; h < 8; h++) {
          points.push({ origin: o, step: h, target: o * 7 + h, actual: actual(s, o, h), kind: 0, series: s });
          triples.push(20, 14, 27);
        }
      }
    }
    return { points, byMember: new Map([['m', Float64Array.from(triples)]]) };
  }

  it('a level missed for a whole window is a high correlation; errors that change sign within each window are none', () => {
    const u = mulberry32(3);
    // Each SKU from each origin is off by its own level for all 8 steps, plus a little noise.
    const levels = Array.from({ length: 40 }, () => normal(u) * 5);
    const shifted = cvOf(20, 2, (s, o, h) => Math.max(0, 20 + levels[o * 20 + s]! + (h % 2 === 0 ? 0.5 : -0.5)));
    expect(errorCorrelationAt(shifted, shifted.byMember.get('m')!)!.rho).toBeGreaterThan(0.8);
    // Every window alternates high and low from one step to the next (half the SKUs start low).
    const flip = cvOf(20, 2, (s, o, h) => 20 + (h % 2 === 0 ? 6 : -6) * (s % 2 === 0 ? 1 : -1));
    expect(errorCorrelationAt(flip, flip.byMember.get('m')!)!.rho).toBe(0);
  });

  it('pairs errors of one SKU from one origin only: two SKUs missed in opposite directions are not averaged away', () => {
    const cv = cvOf(2, 1, (s) => (s === 0 ? 30 : 10));
    expect(errorCorrelationAt(cv, cv.byMember.get('m')!)!.rho).toBeCloseTo(1, 12);
  });
});
