/**
 * Combination, fallback and conformal calibration as forecasters of their own (models/combination.ts,
 * fallback.ts, conformal.ts, combination-cv.ts), on hand-made forecasts and seeded data.
 */
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../../src/core/random.js';
import { normInv } from '../../src/core/stats.js';
import type { SalesData } from '../../src/core/types.js';
import { CombinationForecaster, RefitForecaster, combineMany } from '../../src/models/combination.js';
import { type CvForecasts, candidateLabel, chooseCombination, combinedAtPoints, subsets, validationOrigins, weightings } from '../../src/models/combination-cv.js';
import {
  CONFORMAL_LEVELS,
  CalibratedForecaster,
  type ConformalCalibration,
  MAX_BOUND_MULTIPLE,
  applyConformal,
  boundsAt,
  capBounds,
  conformalQuantile,
  conformityScore,
  fitConformal,
  largestSold,
  logHalfWidths,
  neverNarrower,
  signedScore,
} from '../../src/models/conformal.js';
import { FallbackForecaster } from '../../src/models/fallback.js';
import type { Forecaster, FuturePlan, SeriesForecast } from '../../src/models/forecaster.js';
import { MAX_EXTRA_WIDTH, intervalAt, upperWidth } from '../../src/models/intervals.js';
import { BASELINES } from '../../src/models/baselines/index.js';
import { makeSalesData } from '../../src/sales-data.js';

const Z90 = 1.2815515655446004;

function fc(mean: number[], p10: number[], p90: number[], model = 'm'): SeriesForecast {
  return { mean: Float64Array.from(mean), p10: Float64Array.from(p10), p90: Float64Array.from(p90), sd: Float64Array.from(mean.map((_, i) => (p90[i]! - p10[i]!) / (2 * Z90))), model };
}

/** A forecaster returning fixed forecasts for some SKUs. */
function fixed(name: string, out: Record<string, SeriesForecast>): Forecaster & { calls: number } {
  const f = {
    name,
    calls: 0,
    async fit() {},
    async predict() {
      f.calls++;
      return new Map(Object.entries(out));
    },
  };
  return f;
}

const data = (): SalesData =>
  makeSalesData('D', [], [
    { sku: 'A', start: '2026-01-01', units: Array.from({ length: 60 }, (_, i) => 10 + (i % 7)) },
    { sku: 'B', start: '2026-01-01', units: Array.from({ length: 60 }, (_, i) => 20 + (i % 5)) },
    // intermittent: demand on 1 day in 3 of the observed ones
    { sku: 'C', start: '2026-01-01', units: Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 4 : 0)) },
  ]);

describe('combineMany / CombinationForecaster', () => {
  test('weighted quantile average; sd from the combined 80% interval; only SKUs every member forecast', async () => {
    const a = fixed('a', { A: fc([10, 20], [8, 15], [12, 25]), B: fc([5, 5], [4, 4], [6, 6]) });
    const b = fixed('b', { A: fc([20, 30], [10, 20], [30, 40]) });
    const c = new CombinationForecaster([
      { forecaster: a, weight: 0.25 },
      { forecaster: b, weight: 0.75 },
    ]);
    expect(c.name).toBe('a+b');
    const out = await c.predict(data(), 0, 2, new Map());
    expect([...out.keys()]).toEqual(['A']);
    const f = out.get('A')!;
    expect(Array.from(f.mean)).toEqual([17.5, 27.5]);
    expect(Array.from(f.p10)).toEqual([9.5, 18.75]);
    expect(Array.from(f.p90)).toEqual([25.5, 36.25]);
    expect(f.sd[0]).toBeCloseTo((25.5 - 9.5) / (2 * Z90), 12);
    expect(f.model).toBe('a+b');
  });

  test('weights must sum to 1', () => {
    expect(() => new CombinationForecaster([{ forecaster: fixed('a', {}), weight: 0.4 }])).toThrow(/sum to 0.4/);
  });

  test('levels every member carries are averaged too', () => {
    const x = fc([10], [8], [12]);
    x.intervals = new Map([[95, { lo: Float64Array.of(6), hi: Float64Array.of(15) }]]);
    const y = fc([20], [16], [24]);
    y.intervals = new Map([[95, { lo: Float64Array.of(12), hi: Float64Array.of(30) }]]);
    const f = combineMany([x, y], [0.5, 0.5], 'x+y');
    expect(f.intervals!.get(95)!.lo[0]).toBe(9);
    expect(f.intervals!.get(95)!.hi[0]).toBe(22.5);
  });
});

describe('FallbackForecaster', () => {
  test('SKUs the primary leaves out get the fallback rule: croston for intermittent, promo_regression otherwise', async () => {
    const primary = fixed('p', { A: fc([1, 1], [1, 1], [1, 1], 'p') });
    const f = new FallbackForecaster(primary);
    const d = data();
    const out = await f.predict(d, d.series[0]!.start + 59, 2, new Map());
    expect(out.get('A')!.model).toBe('p');
    expect(out.get('B')!.model).toBe('promo_regression');
    expect(out.get('C')!.model).toBe('croston');
  });

  test('a shared promo_regression is fitted once for the combination and the fallback at one origin', async () => {
    const d = data();
    const origin = d.series[0]!.start + 59;
    let fits = 0;
    const pr = new RefitForecaster('promo_regression', () => {
      fits++;
      return BASELINES.promo_regression();
    });
    const only = fixed('lstm', { A: fc([1, 1], [1, 1], [1, 1]) });
    const combo = new CombinationForecaster([
      { forecaster: only, weight: 0.5 },
      { forecaster: pr, weight: 0.5 },
    ]);
    const plan: FuturePlan = new Map();
    const out = await new FallbackForecaster(combo, new Map([['promo_regression', pr]])).predict(d, origin, 2, plan);
    expect(fits).toBe(1);
    expect(out.get('A')!.model).toBe('lstm+promo_regression');
    expect(out.get('B')!.model).toBe('promo_regression');
  });
});

describe('conformal calibration', () => {
  test('the score is the distance from the point in 80% half-widths, on the log1p scale', () => {
    const lo = Math.expm1(Math.log1p(10) - 0.5);
    const hi = Math.expm1(Math.log1p(10) + 0.25);
    expect(conformityScore(10, 10, lo, hi)).toBe(0);
    expect(conformityScore(Math.expm1(Math.log1p(10) + 0.5), 10, lo, hi)).toBeCloseTo(2, 9);
    expect(conformityScore(Math.expm1(Math.log1p(10) - 0.25), 10, lo, hi)).toBeCloseTo(0.5, 9);
  });

  test('conformal quantile uses rank ceil(q (n + 1))', () => {
    const s = Array.from({ length: 9 }, (_, i) => i + 1);
    expect(conformalQuantile(s, 0.8)).toBe(8);
    expect(conformalQuantile(s, 0.95)).toBe(9);
  });

  test('intervals calibrated on one sample cover the nominal share of a fresh sample from the same errors', () => {
    // A model whose 80% interval is half as wide as it should be: actuals = point * exp(N(0, 0.4)).
    const rng = mulberry32(11);
    const gauss = () => normInv(Math.min(1 - 1e-12, Math.max(1e-12, rng())));
    const H = 3;
    const draw = (n: number) =>
      Array.from({ length: n }, () => {
        const m = 50 + 100 * rng();
        const half = 0.2 * Z90; // claims sd 0.2 on the log scale
        const u = Math.log1p(m);
        return { m, lo: Math.expm1(u - half), hi: Math.expm1(u + half), y: Math.expm1(u + 0.4 * gauss()) };
      });
    const cal = draw(3000);
    const byStep = Array.from({ length: H }, (_, h) => cal.filter((_, i) => i % H === h).map((p) => conformityScore(p.y, p.m, p.lo, p.hi)));
    const c = fitConformal(byStep)!;
    expect(c.levels).toEqual([50, 80, 90, 95, 98]);
    // factors come out near the truth: 2 at 80%, 1.96 * 2 / 1.2816 at 95%
    expect(c.factors[1]![0]).toBeGreaterThan(1.8);
    expect(c.factors[1]![0]).toBeLessThan(2.2);
    const fresh = draw(4000);
    for (const [L, l] of [[80, 1], [95, 3]] as const) {
      let inside = 0;
      for (const p of fresh) {
        const f = applyConformal(fc([p.m, p.m, p.m], [p.lo, p.lo, p.lo], [p.hi, p.hi, p.hi]), c);
        const b = L === 80 ? { lo: f.p10, hi: f.p90 } : f.intervals!.get(L)!;
        if (p.y >= b.lo[l % H]! && p.y <= b.hi[l % H]!) inside++;
        expect(f.mean[0]).toBe(p.m);
        expect(f.sd[0]).toBeCloseTo((f.p90[0]! - f.p10[0]!) / (2 * Z90), 9);
      }
      expect(inside / fresh.length).toBeGreaterThan(L / 100 - 0.025);
      expect(inside / fresh.length).toBeLessThan(L / 100 + 0.025);
    }
  });

  test('calibrated per side, each tail of a lopsided error gets its share; one factor for both sides does not', () => {
    // A model with symmetric 80% intervals (sd 0.3 on the log scale) whose errors are lopsided:
    // half the actuals below the point (sd 0.1), half above (sd 0.6), as with a mass of zeros below.
    const rng = mulberry32(23);
    const gauss = () => normInv(Math.min(1 - 1e-12, Math.max(1e-12, rng())));
    const draw = (n: number) =>
      Array.from({ length: n }, () => {
        const m = 50 + 100 * rng();
        const u = Math.log1p(m);
        const half = 0.3 * Z90;
        const e = Math.abs(gauss());
        return { m, lo: Math.expm1(u - half), hi: Math.expm1(u + half), y: Math.expm1(rng() < 0.5 ? u - 0.1 * e : u + 0.6 * e) };
      });
    const calPts = draw(4000);
    const signed = [calPts.map((p) => signedScore(p.y, p.m, p.lo, p.hi))];
    expect(signed[0]!.map(Math.abs)).toEqual(calPts.map((p) => conformityScore(p.y, p.m, p.lo, p.hi)));
    const sides = fitConformal(signed, CONFORMAL_LEVELS, { perSide: true })!;
    const one = fitConformal([signed[0]!.map(Math.abs)])!;
    expect(one.upper).toBeUndefined();
    // Without perSide, signed scores are read as |score|: one factor for both sides, never a negative one.
    expect(fitConformal(signed)).toEqual(one);
    expect(one.factors.flat().every((c) => c > 0)).toBe(true);
    expect(sides.upper![3]![0]).toBeGreaterThan(sides.factors[3]![0]! * 3);
    const fresh = draw(6000);
    const tails = (c: ConformalCalibration, L: number) => {
      let above = 0;
      let below = 0;
      for (const p of fresh) {
        const b = applyConformal(fc([p.m], [p.lo], [p.hi]), c).intervals!.get(L)!;
        if (p.y > b.hi[0]!) above++;
        if (p.y < b.lo[0]!) below++;
      }
      return [above / fresh.length, below / fresh.length];
    };
    for (const L of [80, 95]) {
      const want = (1 - L / 100) / 2;
      for (const share of tails(sides, L)) {
        expect(share).toBeGreaterThan(want * 0.7);
        expect(share).toBeLessThan(want * 1.3);
      }
      // One factor reaches the level overall by leaving the upper side short and the lower side empty.
      const [above, below] = tails(one, L);
      expect(above).toBeGreaterThan(want * 1.6);
      expect(below).toBeLessThan(want * 0.4);
    }
    // neverNarrower floors both sides.
    const floored = neverNarrower(sides);
    floored.levels.forEach((L, l) => expect(floored.factors[l]![0]).toBeGreaterThanOrEqual(normInv((1 + L / 100) / 2) / Z90 - 1e-12));
    expect(floored.upper![3]![0]).toBe(sides.upper![3]![0]);
  });

  test('factors never decrease with the level; neverNarrower keeps at least the two-piece normal width', () => {
    const c = fitConformal([[0.1, 0.2, 0.3, 0.4, 0.5]])!;
    for (let l = 1; l < c.levels.length; l++) expect(c.factors[l]![0]).toBeGreaterThanOrEqual(c.factors[l - 1]![0]!);
    const n = neverNarrower(c);
    c.levels.forEach((L, l) => expect(n.factors[l]![0]).toBeCloseTo(Math.max(c.factors[l]![0]!, normInv((1 + L / 100) / 2) / Z90), 12));
    expect(fitConformal([[], []])).toBeUndefined();
  });

  test('a step seen on few target dates leans on the factor pooled over steps', () => {
    const byStep = [Array.from({ length: 200 }, (_, i) => 1 + i / 200), Array.from({ length: 200 }, (_, i) => 3 + i / 200)];
    const pooled = conformalQuantile(byStep.flat(), 0.8);
    const own = conformalQuantile(byStep[1]!, 0.8);
    const byScores = fitConformal(byStep, [80])!.factors[0]![1]!;
    const byDates = fitConformal(byStep, [80], { stepDates: [4, 4] })!.factors[0]![1]!;
    expect(byScores).toBeCloseTo((200 * own + 30 * pooled) / 230, 12);
    expect(byDates).toBeCloseTo(0.5 * own + 0.5 * pooled, 12);
    expect(fitConformal(byStep, [80], { stepDates: [400, 400] })!.factors[0]![1]).toBeCloseTo(byScores, 12);
  });

  test('a calibrated forecaster recalibrates every forecast of its inner one', async () => {
    const inner = fixed('m', { A: fc([10], [9], [11]) });
    const cal = { levels: [80], factors: [[2]], scores: [1] };
    const out = await new CalibratedForecaster(inner, cal).predict(data(), 0, 1, new Map());
    const u = Math.log1p(10);
    expect(out.get('A')!.p90[0]).toBeCloseTo(Math.expm1(u + 2 * (Math.log1p(11) - u)), 9);
  });

  test('no calibrated upper bound beyond MAX_BOUND_MULTIPLE x the most the SKU sold (a model whose own intervals say nothing)', async () => {
    // Factors at the score cap, as a network trained for one epoch produced (80% intervals covering 7%).
    const inner = fixed('m', { A: fc([10, 0.5], [8, 0], [14, 3]) });
    const cal = { levels: [80, 95], factors: [[300, 300], [1000, 1000]], scores: [10, 10] };
    const out = (await new CalibratedForecaster(inner, cal).predict(data(), data().series[0]!.start + 59, 2, new Map())).get('A')!;
    const most = largestSold(data(), data().series[0]!.start + 59).get('A')!;
    expect(most).toBe(16);
    for (let h = 0; h < 2; h++) {
      expect(out.p90[h]).toBe(MAX_BOUND_MULTIPLE * 16);
      expect(out.intervals!.get(95)!.hi[h]).toBe(MAX_BOUND_MULTIPLE * 16);
      expect(out.sd[h]).toBeCloseTo((out.p90[h]! - out.p10[h]!) / (2 * Z90), 9);
      expect(Number.isFinite(out.sd[h])).toBe(true);
    }
    // Only periods up to the origin count; a point above the history raises the cap with it; bounds under it are untouched.
    expect(largestSold(data(), data().series[0]!.start + 3).get('A')).toBe(13);
    const big = capBounds(fc([500], [400], [6000]), 16);
    expect(big.p90[0]).toBe(MAX_BOUND_MULTIPLE * 500);
    const fine = fc([10], [8], [14]);
    expect(capBounds(fine, 16)).toBe(fine);
    expect(capBounds(fc([0], [0], [50]), 0).p90[0]).toBe(MAX_BOUND_MULTIPLE);
  });

  test('a forecast already very wide on the log scale is widened linearly in the factor, not to a power', () => {
    // Shaped like Walmart department 18 at 2012-04-27 (point 0, calibrated p90 13,800 units, 95% bound 94 million before the cap).
    const w = logHalfWidths(0, 0, 13_800);
    const [, hi] = boundsAt(w, 1.9);
    expect(hi).toBeCloseTo(Math.expm1(w.sHi + 0.9 * MAX_EXTRA_WIDTH), 6);
    expect(hi).toBeLessThan(13_800 * 4);
    expect(hi).toBeGreaterThan(13_800);
    // Forecasts within the cap keep the plain log-scale widening, and factors <= 1 always do.
    const narrow = logHalfWidths(100, 80, 300);
    expect(narrow.sHi).toBeLessThan(MAX_EXTRA_WIDTH);
    expect(boundsAt(narrow, 1.9)[1]).toBeCloseTo(Math.expm1(narrow.u + 1.9 * narrow.sHi), 9);
    expect(boundsAt(w, 0.7)[1]).toBeCloseTo(Math.expm1(0.7 * w.sHi), 6);
    // The score is the inverse of the bound: the factor whose upper bound reaches y, so coverage stays exact.
    for (const y of [5_000, 13_800, 20_000, 60_000, 1e6]) {
      const r = conformityScore(y, 0, 0, 13_800);
      expect(boundsAt(w, r)[1]).toBeCloseTo(y, 3);
    }
    for (const c of [0.5, 1, 1.3, 2.5]) expect(conformityScore(boundsAt(w, c)[1], 0, 0, 13_800)).toBeCloseTo(c, 9);
    expect(upperWidth(2, 1)).toBe(2);
    // The uncalibrated two-piece normal levels get the same cap.
    const raw = intervalAt(fc([0], [0], [13_800]), 95);
    expect(raw.hi[0]).toBeCloseTo(Math.expm1(w.sHi + (normInv(0.975) / Z90 - 1) * MAX_EXTRA_WIDTH), 6);
    expect(intervalAt(fc([100], [80], [300]), 95).hi[0]).toBeCloseTo(Math.expm1(narrow.u + (normInv(0.975) / Z90) * narrow.sHi), 9);
  });

  test('intervalAt interpolates between calibrated levels and is monotone in the level', () => {
    const f = applyConformal(fc([100], [80], [125]), { levels: [50, 80, 95], factors: [[0.6], [1.1], [1.9]], scores: [1] });
    expect(intervalAt(f, 95)).toBe(f.intervals!.get(95));
    let prev = { lo: Number.POSITIVE_INFINITY, hi: 0 };
    for (const L of [30, 50, 60, 80, 90, 95, 99]) {
      const b = intervalAt(f, L);
      expect(b.lo[0]).toBeLessThanOrEqual(prev.lo);
      expect(b.hi[0]).toBeGreaterThanOrEqual(prev.hi);
      prev = { lo: b.lo[0]!, hi: b.hi[0]! };
    }
  });
});

describe('the combination chosen on rolling origins', () => {
  const names = ['lstm', 'promo_regression', 'arimax'];

  /** CV points on `dates` target dates, 20 SKUs each; member errors scaled by `noise`. */
  function cv(noise: Record<string, number>, dates = 30): CvForecasts {
    const rng = mulberry32(5);
    const points: CvForecasts['points'] = [];
    const cols = new Map(Object.keys(noise).map((n) => [n, [] as number[]]));
    for (let t = 0; t < dates; t++) {
      for (let s = 0; s < 20; s++) {
        const y = 100;
        points.push({ origin: 0, step: t % 5, target: t, actual: y, kind: 0, series: 0 });
        for (const [n, k] of Object.entries(noise)) {
          const m = y * (1 + k * (rng() - 0.5));
          cols.get(n)!.push(m, 0.8 * m, 1.2 * m);
        }
      }
    }
    return { points, byMember: new Map([...cols].map(([n, v]) => [n, Float64Array.from(v)])) };
  }

  test('every non-empty subset is a candidate', () => {
    expect(subsets(names).map((s) => s.join('+'))).toEqual([
      'lstm',
      'promo_regression',
      'arimax',
      'lstm+promo_regression',
      'lstm+arimax',
      'promo_regression+arimax',
      'lstm+promo_regression+arimax',
    ]);
  });

  test('each subset with the LSTM is also weighted with the LSTM at 0.25, 0.5 and 0.75; equal weights first', () => {
    expect(weightings(['promo_regression', 'arimax'])).toEqual([[0.5, 0.5]]);
    expect(weightings(['lstm'])).toEqual([[1]]);
    expect(weightings(['lstm', 'arimax'])).toEqual([[0.5, 0.5], [0.25, 0.75], [0.75, 0.25]]);
    const w3 = weightings(['promo_regression', 'lstm', 'arimax']);
    expect(w3).toHaveLength(4);
    expect(w3.slice(1).map((w) => w[1])).toEqual([0.25, 0.5, 0.75]);
    expect(w3[2]).toEqual([0.25, 0.5, 0.25]);
    for (const w of w3) expect(w.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 12);
    expect(candidateLabel({ members: ['lstm', 'arimax'], weights: [0.5, 0.5] })).toBe('lstm+arimax');
    expect(candidateLabel({ members: ['lstm', 'arimax'], weights: [0.75, 0.25] })).toBe('lstm 0.75+arimax 0.25');
  });

  test('the weighted combination at the CV points is the weighted quantile average', () => {
    const c = cv({ lstm: 0.2, arimax: 0.4 }, 2);
    const f = combinedAtPoints(c, ['lstm', 'arimax'], [0.75, 0.25]);
    const a = c.byMember.get('lstm')!;
    const b = c.byMember.get('arimax')!;
    for (let j = 0; j < f.length; j++) expect(f[j]).toBeCloseTo(0.75 * a[j]! + 0.25 * b[j]!, 12);
    expect(Array.from(combinedAtPoints(c, ['lstm', 'arimax']))).toEqual(Array.from(combinedAtPoints(c, ['lstm', 'arimax'], [0.5, 0.5])));
  });

  test('the default set ships with equal weights when no candidate is clearly better', () => {
    const c = chooseCombination(cv({ lstm: 0.2, promo_regression: 0.2, arimax: 0.2 }), names, names, [1]);
    expect(c.members).toEqual(names);
    expect(c.weights).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(c.chosenBy).toBe('default');
    // 7 subsets; lstm+promo_regression and lstm+arimax weighted twice more, the three of them three times more
    expect(c.candidates).toHaveLength(14);
  });

  test('a clearly better combination ships, with equal weights when they are best', () => {
    const c = chooseCombination(cv({ lstm: 0.05, promo_regression: 0.05, arimax: 1.5 }), names, names, [1]);
    expect(c.members).toEqual(['lstm', 'promo_regression']);
    expect(c.weights).toEqual([0.5, 0.5]);
    expect(c.chosenBy).toBe('cv');
  });

  test('unequal weights ship when they are clearly ahead of the same members with equal weights', () => {
    // The LSTM's errors a third of promo_regression's: the best weight on it is 0.9, so 0.75 beats 0.5 clearly.
    const c = chooseCombination(cv({ lstm: 0.03, promo_regression: 0.09, arimax: 1.5 }, 60), names, names, [1]);
    expect(c.members).toEqual(['lstm', 'promo_regression']);
    expect(c.weights).toEqual([0.75, 0.25]);
    expect(c.chosenBy).toBe('cv');
  });

  test('unequal weights that score best but are not clearly ahead of equal weights fall back to equal weights', () => {
    // promo_regression's errors 1.4 times the LSTM's: 0.75 on the LSTM scores best by 0.6%, within the noise.
    const data = cv({ lstm: 0.05, promo_regression: 0.07, arimax: 1.5 });
    const c = chooseCombination(data, names, names, [1]);
    const best = [...c.candidates].filter((x) => x.members.length > 1).sort((a, b) => a.wape - b.wape)[0]!;
    expect(best.weights).toEqual([0.75, 0.25]);
    expect(c.members).toEqual(['lstm', 'promo_regression']);
    expect(c.weights).toEqual([0.5, 0.5]);
  });

  test('a single model never replaces the combination, however much better it scored', () => {
    const c = chooseCombination(cv({ lstm: 0.05, promo_regression: 1.5, arimax: 1.5 }), names, names, [1]);
    // The LSTM alone has the lowest WAPE of all candidates ...
    const best = [...c.candidates].sort((a, b) => a.wape - b.wape)[0]!;
    expect(best.members).toEqual(['lstm']);
    // ... but it does not ship: a combination of two or more does (the default set, or one clearly ahead of it).
    expect(c.members.length).toBeGreaterThanOrEqual(2);
    expect(c.members).toContain('lstm');
  });

  test('validation origins split the span evenly', () => {
    expect(validationOrigins(100, 13, 7, 4)).toEqual([100, 100 + 3 * 7, 100 + 6 * 7, 100 + 9 * 7]);
    expect(validationOrigins(0, 2, 1, 4)).toEqual([0, 1]);
  });
});
