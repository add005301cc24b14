/** models/baselines/_yearly.ts: the smooth yearly profile of daily series with a long history. */
import { describe, expect, it } from 'vitest';
import { YEARLY_MIN_DAYS, yearlyFactors } from '../../../src/models/baselines/_yearly.js';

const YEAR = 365.25;
/** Units with a yearly wave of +-40% around 50 (peak at day 0 of the year cycle). */
const seasonal = (n: number, start = 0) => Float64Array.from({ length: n }, (_, i) => 50 * (1 + 0.4 * Math.cos((2 * Math.PI * (start + i)) / YEAR)));

describe('yearlyFactors', () => {
  it('needs YEARLY_MIN_DAYS of observations, missing ones not counted', () => {
    expect(yearlyFactors(seasonal(YEARLY_MIN_DAYS - 1), 0, 1, 7)).toBeUndefined();
    const gappy = seasonal(YEARLY_MIN_DAYS + 50);
    for (let i = 0; i < 60; i++) gappy[i] = Number.NaN;
    expect(yearlyFactors(gappy, 0, 1, 7)).toBeUndefined();
    expect(yearlyFactors(seasonal(YEARLY_MIN_DAYS + 1), 0, 1, 7)).toBeDefined();
  });

  it('factors follow the wave: high at the peak, low half a year later, geometric mean about 1', () => {
    const y = seasonal(3 * 365);
    const f = yearlyFactors(y, 0, 1, 30)!;
    expect(f.hist).toHaveLength(y.length);
    expect(f.future).toHaveLength(30);
    const peak = f.hist[365]!;
    const trough = f.hist[365 + 182]!;
    expect(peak).toBeGreaterThan(1.2);
    expect(trough).toBeLessThan(0.8);
    const logMean = f.hist.slice(0, 365).reduce((s, x) => s + Math.log(x), 0) / 365;
    expect(Math.abs(logMean)).toBeLessThan(0.05);
    // The future continues the profile: day 3 * 365 is about a year after day 365 - 1.
    expect(f.future[0]).toBeCloseTo(f.hist[2 * 365 - 1 + 1]!, 1);
  });

  it('a flat series gets factors of about 1; weekly steps place the days right', () => {
    const flat = yearlyFactors(new Float64Array(800).fill(20), 0, 1, 7)!;
    for (const x of flat.hist) expect(Math.abs(x - 1)).toBeLessThan(1e-6);
    const weekly = Float64Array.from({ length: 160 }, (_, i) => 50 * (1 + 0.4 * Math.cos((2 * Math.PI * 7 * i) / YEAR)));
    const w = yearlyFactors(weekly, 0, 7, 4)!;
    expect(w.hist[52]!).toBeGreaterThan(1.2);
    expect(w.hist[78]!).toBeLessThan(0.8);
  });
});
