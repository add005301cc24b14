/** croston: Croston / SBA / TSB for intermittent demand (src/models/baselines/croston.ts), and its place in the fallback rule. */
import { describe, expect, it } from 'vitest';
import { BASELINES, fallbackModel, demandCounts } from '../../../src/models/baselines/index.js';
import { chooseIntermittent, intermittentLevel } from '../../../src/models/baselines/croston.js';
import { mulberry32 } from '../../../src/core/random.js';
import { makeSalesData } from '../../../src/sales-data.js';

/** Demand with probability `p` per period, size uniform on [lo, hi], seeded. */
function intermittent(n: number, p: number, lo: number, hi: number, seed: number): number[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => (rng() < p ? Math.round(lo + (hi - lo) * rng()) : 0));
}

describe('Croston, SBA and TSB rules', () => {
  it('match hand computations', () => {
    const y = [0, 4, 0, 0, 6];
    // Croston a = 0.5: first demand at t=1 (q = 2): z = 4, p = 2; at t=4 (q = 3): z = 5, p = 2.5 -> 2.
    expect(intermittentLevel(y, 5, { method: 'croston', alpha: 0.5, beta: 0 })).toBeCloseTo(2, 12);
    expect(intermittentLevel(y, 5, { method: 'sba', alpha: 0.5, beta: 0 })).toBeCloseTo(2 * 0.75, 12);
    // TSB a = 0.5, b = 0.5: pr starts at 1/2 (t=1), then 0.25, 0.125, then 0.5625; z = 5 -> 2.8125.
    expect(intermittentLevel(y, 5, { method: 'tsb', alpha: 0.5, beta: 0.5 })).toBeCloseTo(0.5625 * 5, 12);
    // Missing periods are skipped: neither an update nor a period of the interval.
    expect(intermittentLevel([0, 4, Number.NaN, 0, 0, 6], 6, { method: 'croston', alpha: 0.5, beta: 0 })).toBeCloseTo(2, 12);
    expect(Number.isNaN(intermittentLevel([0, 0, 0], 3, { method: 'sba', alpha: 0.1, beta: 0 }))).toBe(true);
  });

  it('forecasts the mean demand per period of a stationary intermittent series (SBA/TSB unbiased, within 15%)', async () => {
    const units = intermittent(400, 0.25, 2, 10, 3);
    const data = makeSalesData('W', [], [{ sku: 'A', start: '2020-01-06', units }]);
    const m = BASELINES.croston();
    await m.fit(data);
    const f = (await m.predict(data, data.series[0]!.start + 399 * 7, 8, new Map())).get('A')!;
    const truth = 0.25 * 6;
    expect(Math.abs(f.mean[0]! - truth) / truth).toBeLessThan(0.15);
    expect(f.p10[0]!).toBe(0);
    expect(f.p90[0]!).toBeGreaterThan(f.mean[0]!);
    expect(new Set(f.mean).size).toBe(1);
  });

  it('chooses TSB for a SKU whose demand dies out, and decays towards zero', () => {
    const units = [...intermittent(150, 0.4, 5, 15, 4), ...new Array(40).fill(0)];
    const params = chooseIntermittent(Float64Array.from(units));
    expect(params.method).toBe('tsb');
    const level = intermittentLevel(units, units.length, params);
    expect(level).toBeLessThan(0.3 * intermittentLevel(units, 150, params));
  });
});

describe('fallback rule with intermittent SKUs', () => {
  it('sends intermittent SKUs (>= 2 demands, ADI >= 2) to croston, the others as before', () => {
    expect(fallbackModel(10, 3)).toBe('croston');
    expect(fallbackModel(5, 2)).toBe('croston');
    expect(fallbackModel(5, 4)).toBe('moving_average');
    expect(fallbackModel(7, 4)).toBe('moving_average');
    expect(fallbackModel(8, 4)).toBe('croston');
    expect(fallbackModel(10, 1)).toBe('promo_regression');
    expect(fallbackModel(10, 10)).toBe('promo_regression');
    expect(fallbackModel(0, 0)).toBe('naive');
    expect(demandCounts([0, Number.NaN, 3, 0, 2], 4)).toEqual({ observed: 3, demands: 1 });
  });
});
