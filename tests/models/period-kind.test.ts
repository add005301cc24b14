/** Kinds of forecast periods (models/period-kind.ts) and the conformal widths per kind (conformal.ts). */
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../../src/core/random.js';
import { normInv } from '../../src/core/stats.js';
import { CalibratedForecaster, applyConformal, conformityScore, factorsAt, fitConformal, neverNarrower } from '../../src/models/conformal.js';
import type { Forecaster, SeriesForecast } from '../../src/models/forecaster.js';
import { EVENT, REGULAR, eventRule, periodKinds, planKinds } from '../../src/models/period-kind.js';
import { makeSalesData } from '../../src/sales-data.js';

const Z90 = 1.2815515655446004;
const f64 = (a: number[]) => Float64Array.from(a);

const history = () =>
  makeSalesData('W', ['promo', 'price', 'markdown'], [
    { sku: 'A', start: '2026-01-05', units: [5, 6, 7, 8, 9, 10], covariates: [[0, 1, 0, 0, 0, 0], [2, 2, 2, 1.5, 2, 2], [0, 100, 250, 0, 10, 3]] },
    { sku: 'B', start: '2026-01-05', units: [5, 6, 7, 8, 9, 10], covariates: [[0, 0, 0, 0, 0, 0], [10, 10, 10, 10, 9, 10], [0, 0, 0, 0, 0, 0]] },
  ]);

describe('period kinds', () => {
  test('a flag on or a price 5% or more under the usual price is an event; numeric covariates are not', () => {
    const rule = eventRule(history());
    expect(rule.flags).toEqual([0]);
    expect(rule.prices).toEqual([1]);
    expect(rule.usual.get('A')![0]).toBe(2);
    // steps: regular, promo flag, price cut 10%, price cut 4%, markdown only, NaN everywhere
    const plan = [f64([0, 1, 0, 0, 0, Number.NaN]), f64([2, 2, 1.8, 1.92, 2, Number.NaN]), f64([0, 0, 0, 0, 500, Number.NaN])];
    expect([...periodKinds(rule, 'A', plan, 6)]).toEqual([REGULAR, EVENT, EVENT, REGULAR, REGULAR, REGULAR]);
    // each SKU against its own usual price: 9.4 is a 6% cut for B, a rise for A
    expect([...periodKinds(rule, 'B', [f64([0]), f64([9.4]), f64([0])], 1)]).toEqual([EVENT]);
    expect([...periodKinds(rule, 'A', [f64([0]), f64([9.4]), f64([0])], 1)]).toEqual([REGULAR]);
    expect([...periodKinds(rule, 'Z', undefined, 2)]).toEqual([REGULAR, REGULAR]);
    expect([...planKinds(history(), new Map([['A', plan]]), 6).get('A')!]).toEqual([0, 1, 1, 0, 0, 0]);
  });
});

describe('conformal widths per kind of period', () => {
  // Regular periods: log errors N(0, 0.2); events: N(0, 0.5). The model claims sd 0.25 for all.
  const rng = mulberry32(3);
  const gauss = () => normInv(Math.min(1 - 1e-12, Math.max(1e-12, rng())));
  const H = 4;
  const draw = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const kind = rng() < 0.25 ? EVENT : REGULAR;
      const m = 100;
      const u = Math.log1p(m);
      const half = 0.25 * Z90;
      return { h: i % H, kind, m, lo: Math.expm1(u - half), hi: Math.expm1(u + half), y: Math.expm1(u + (kind === EVENT ? 0.5 : 0.2) * gauss()) };
    });
  const fit = (pts: ReturnType<typeof draw>, dates: number) => {
    const byStep = Array.from({ length: H }, (_, h) => pts.filter((p) => p.h === h).map((p) => conformityScore(p.y, p.m, p.lo, p.hi)));
    const byKind = [REGULAR, EVENT].map((k) => ({ scores: pts.filter((p) => p.kind === k).map((p) => conformityScore(p.y, p.m, p.lo, p.hi)), dates }));
    return { perStep: fitConformal(byStep)!, perKind: fitConformal(byStep, undefined, { byKind })! };
  };
  const coverage = (cal: ReturnType<typeof fitConformal>, pts: ReturnType<typeof draw>, kind: number) => {
    const of = pts.filter((p) => p.kind === kind);
    let inside = 0;
    for (const p of of) {
      const kinds = new Uint8Array(H).fill(kind);
      const f = applyConformal({ mean: f64(Array(H).fill(p.m)), p10: f64(Array(H).fill(p.lo)), p90: f64(Array(H).fill(p.hi)), sd: new Float64Array(H), model: 'm' }, cal!, kinds);
      if (p.y >= f.p10[p.h]! && p.y <= f.p90[p.h]!) inside++;
    }
    return inside / of.length;
  };

  test('each kind gets its own width: both cover about 80% on fresh errors, where one width under-covers events', () => {
    const { perStep, perKind } = fit(draw(8000), 60);
    expect(perKind.kinds!.scores[EVENT]).toBeGreaterThan(1500);
    expect(perKind.kinds!.ratios[EVENT]![1]).toBeGreaterThan(1.3);
    expect(perKind.kinds!.ratios[REGULAR]![1]).toBeLessThan(0.95);
    const fresh = draw(8000);
    expect(coverage(perStep, fresh, EVENT)).toBeLessThan(0.7);
    expect(coverage(perStep, fresh, REGULAR)).toBeGreaterThan(0.85);
    for (const k of [REGULAR, EVENT]) {
      expect(coverage(perKind, fresh, k)).toBeGreaterThan(0.76);
      expect(coverage(perKind, fresh, k)).toBeLessThan(0.84);
    }
  });

  test('events are never given a narrower interval than regular periods', () => {
    const cal = fitConformal([[0.5, 1, 1.5, 2, 2.5, 3]], undefined, { byKind: [{ scores: [2, 2.5, 3, 3.5, 4], dates: 50 }, { scores: [0.1, 0.2, 0.3, 0.4, 0.5], dates: 50 }] })!;
    for (const r of cal.kinds!.ratios) expect(r.every((x) => x === 1)).toBe(true);
  });

  test('a kind seen on few dates leans towards one width for all', () => {
    const pts = draw(8000);
    const many = fit(pts, 60).perKind.kinds!.ratios[EVENT]![1]!;
    const few = fit(pts, 2).perKind.kinds!.ratios[EVENT]![1]!;
    expect(few).toBeGreaterThan(1);
    expect(few - 1).toBeLessThan((many - 1) / 2);
  });

  test('without events there are no kinds; with them, neverNarrower floors the step factor and the kinds share it out', () => {
    const byStep = [[0.5, 1, 1.5, 2]];
    expect(fitConformal(byStep, undefined, { byKind: [{ scores: byStep[0]!, dates: 4 }, { scores: [], dates: 0 }] })!.kinds).toBeUndefined();
    const cal = fitConformal(byStep, undefined, { byKind: [{ scores: [0.1, 0.2, 0.3], dates: 50 }, { scores: [3, 4, 5], dates: 50 }] })!;
    const n = neverNarrower(cal);
    n.levels.forEach((L, l) => {
      const own = normInv((1 + L / 100) / 2) / Z90;
      expect(n.factors[l]![0]).toBeGreaterThanOrEqual(own - 1e-12);
      expect(factorsAt(n, 0, REGULAR)[l]).toBeCloseTo(n.factors[l]![0]! * n.kinds!.ratios[REGULAR]![l]!, 12);
      expect(factorsAt(n, 0, EVENT)[l]).toBeGreaterThan(factorsAt(n, 0, REGULAR)[l]!);
    });
    for (const k of [REGULAR, EVENT]) {
      const f = factorsAt(n, 0, k);
      for (let l = 1; l < f.length; l++) expect(f[l]).toBeGreaterThanOrEqual(f[l - 1]!);
    }
  });

  test('a calibrated forecaster widens the planned event periods only', async () => {
    const inner: Forecaster = {
      name: 'm',
      async fit() {},
      async predict() {
        return new Map<string, SeriesForecast>([['A', { mean: f64([10, 10]), p10: f64([9, 9]), p90: f64([11, 11]), sd: f64([1, 1]), model: 'm' }]]);
      },
    };
    const cal = { levels: [80], factors: [[1, 1]], scores: [10, 10], kinds: { ratios: [[0.8], [1.5]], scores: [10, 10], dates: [5, 5] } };
    const plan = new Map([['A', [f64([0, 1]), f64([2, 2]), f64([0, 0])]]]);
    const out = (await new CalibratedForecaster(inner, cal).predict(history(), 0, 2, plan)).get('A')!;
    const u = Math.log1p(10);
    expect(out.p90[0]).toBeCloseTo(Math.expm1(u + 0.8 * (Math.log1p(11) - u)), 9);
    expect(out.p90[1]).toBeCloseTo(Math.expm1(u + 1.5 * (Math.log1p(11) - u)), 9);
  });
});
