/** Rolling-origin evaluation (src/models/rolling-origin.ts) and its scores (src/models/cv-scores.ts). */
import { describe, expect, it } from 'vitest';
import { BASELINES } from '../../src/models/baselines/index.js';
import { scoreRollingOrigin } from '../../src/models/cv-scores.js';
import type { SeriesForecast } from '../../src/models/forecaster.js';
import { splitHoldout } from '../../src/models/holdout.js';
import { intervalAt, winkler } from '../../src/models/intervals.js';
import { scoreForecasts } from '../../src/models/metrics.js';
import type { LstmForecaster } from '../../src/models/lstm-forecaster.js';
import { type CutoffRunner, RETRAINED_DEFAULT, baselineRunner, lstmRunner, periodsBeforeFirstCutoff, rollingCutoffs, rollingOrigin } from '../../src/models/rolling-origin.js';
import { mulberry32 } from '../../src/core/random.js';
import { dataEnd } from '../../src/sales-data.js';
import { syntheticSales } from '../fixtures/forecast/synthetic.js';

const data = syntheticSales({ freq: 'W', skus: 5, periods: 120, seed: 11, missing: 0.03 });

describe('cutoffs', () => {
  it('puts the last cutoff H periods before the end and the others S periods apart (statsforecast semantics)', () => {
    expect(rollingCutoffs(1000, 7, { windows: 3, step: 2, horizon: 4 })).toEqual([1000 - 28 - 28, 1000 - 28 - 14, 1000 - 28]);
    expect(rollingCutoffs(1000, 1, { windows: 1, step: 5, horizon: 5 })).toEqual([995]);
    expect(periodsBeforeFirstCutoff(data, { windows: 3, step: 10, horizon: 10 })).toBe(120 - 10 - 20);
  });
});

describe('rollingOrigin', () => {
  it('gives each cutoff only the history up to it, and the next H actuals with their covariates as the plan', async () => {
    const seen: { origin: number; lastDay: number }[] = [];
    const spy: CutoffRunner = async (split) => {
      seen.push({ origin: split.origin, lastDay: dataEnd(split.history) });
      return [];
    };
    const spec = { windows: 3, step: 5, horizon: 8 };
    const results = await rollingOrigin(data, spec, [spy]);
    const cutoffs = rollingCutoffs(dataEnd(data), data.step, spec);
    expect(results.map((r) => r.cutoff)).toEqual(cutoffs);
    expect(seen).toEqual(cutoffs.map((c) => ({ origin: c, lastDay: c })));
    for (const r of results) {
      for (const s of data.series) {
        const i0 = (r.cutoff - s.start) / data.step + 1;
        expect([...r.split.actual.get(s.sku)!]).toEqual([...s.units.slice(i0, i0 + 8)]);
        expect([...r.split.plan.get(s.sku)![0]!]).toEqual([...s.covariates[0]!.slice(i0, i0 + 8)]);
      }
    }
  });

  it('refits every baseline at every cutoff: identical to fitting it on each split by hand', async () => {
    const spec = { windows: 2, step: 6, horizon: 6 };
    const results = await rollingOrigin(data, spec, [baselineRunner(['ets', 'naive'])]);
    for (const r of results) {
      const ets = BASELINES.ets();
      await ets.fit(r.split.history);
      const byHand = await ets.predict(r.split.history, r.split.origin, 6, r.split.plan);
      expect(r.models.map((m) => m.name)).toEqual(['ets', 'naive']);
      for (const [sku, f] of byHand) expect([...r.models[0]!.forecasts.get(sku)!.mean]).toEqual([...f.mean]);
    }
  });

  it('with one window, the pooled scores equal the plain holdout scores', async () => {
    const results = await rollingOrigin(data, { windows: 1, step: 9, horizon: 9 }, [baselineRunner(['seasonal_naive', 'moving_average'])]);
    const report = scoreRollingOrigin(results, 52, [80, 95]);
    const split = splitHoldout(data, 9);
    const insample = new Map(split.history.series.map((s) => [s.sku, s.units]));
    for (const m of results[0]!.models) {
      const old = scoreForecasts(split.actual, m.forecasts, insample, 52).overall;
      const now = report.pooled.get(m.name)!;
      for (const k of ['n', 'wape', 'mae', 'rmse', 'mase', 'bias', 'coverage80'] as const) expect(now[k]).toBeCloseTo(old[k], 12);
    }
  });

  it('refuses, in words, cutoffs that name different models (a runner must keep its row names)', async () => {
    const results = await rollingOrigin(data, { windows: 2, step: 4, horizon: 6 }, [baselineRunner(['naive'])]);
    results[1]!.models[0] = { ...results[1]!.models[0]!, name: 'default:naive' };
    expect(() => scoreRollingOrigin(results, 52, [80])).toThrow(/cutoff \d{4}-\d{2}-\d{2} scored models default:naive, the first cutoff naive/);
  });

  it('pools points over cutoffs: per-cutoff and per-step counts add up to the pooled count', async () => {
    const results = await rollingOrigin(data, { windows: 3, step: 4, horizon: 6 }, [baselineRunner(['naive'])]);
    const report = scoreRollingOrigin(results, 52, [80]);
    const pooled = report.pooled.get('naive')!;
    expect(report.perCutoff.get('naive')!.reduce((a, s) => a + s.n, 0)).toBe(pooled.n);
    expect(report.perStep.get('naive')!.reduce((a, s) => a + s.n, 0)).toBe(pooled.n);
    expect(report.perStep.get('naive')!).toHaveLength(6);
    const absErr = report.perCutoff.get('naive')!.reduce((a, s) => a + s.mae * s.n, 0);
    expect(pooled.mae * pooled.n).toBeCloseTo(absErr, 6);
    expect(pooled.levels[0]!.coverage).toBeCloseTo(pooled.coverage80, 12);
  });
});

describe('intervals at other levels', () => {
  const fc = (mean: number[], p10: number[], p90: number[]): SeriesForecast => ({
    mean: Float64Array.from(mean),
    sd: new Float64Array(mean.length),
    p10: Float64Array.from(p10),
    p90: Float64Array.from(p90),
    model: 't',
  });

  it('gives p10/p90 at 80%, nests the levels and stays non-negative', () => {
    const f = fc([10, 0, 5], [6, 0, 5], [15, 3, 9]);
    const i80 = intervalAt(f, 80);
    expect([...i80.lo]).toEqual([6, 0, 5]);
    expect([...i80.hi]).toEqual([15, 3, 9]);
    const i50 = intervalAt(f, 50);
    const i95 = intervalAt(f, 95);
    for (let h = 0; h < 3; h++) {
      expect(i95.lo[h]!).toBeGreaterThanOrEqual(0);
      expect(i95.lo[h]!).toBeLessThanOrEqual(i80.lo[h]!);
      expect(i80.lo[h]!).toBeLessThanOrEqual(i50.lo[h]!);
      expect(i50.lo[h]!).toBeLessThanOrEqual(f.mean[h]!);
      expect(i50.hi[h]!).toBeGreaterThanOrEqual(f.mean[h]!);
      expect(i95.hi[h]!).toBeGreaterThanOrEqual(i80.hi[h]!);
    }
  });

  it('covers the nominal share when the demand is log-normal with that median and 80% interval', () => {
    const rng = mulberry32(7);
    const m = Math.log1p(40);
    const s = 0.4;
    const z90 = 1.2815515655446004;
    const f = fc([40], [Math.expm1(m - z90 * s)], [Math.expm1(m + z90 * s)]);
    const i95 = intervalAt(f, 95);
    const i50 = intervalAt(f, 50);
    let in95 = 0;
    let in50 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const g = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
      const y = Math.expm1(m + s * g);
      if (y >= i95.lo[0]! && y <= i95.hi[0]!) in95++;
      if (y >= i50.lo[0]! && y <= i50.hi[0]!) in50++;
    }
    const se = (p: number) => 4 * Math.sqrt((p * (1 - p)) / n);
    expect(Math.abs(in95 / n - 0.95)).toBeLessThan(se(0.95));
    expect(Math.abs(in50 / n - 0.5)).toBeLessThan(se(0.5));
  });

  it('scores an interval by its width plus 2/alpha times the miss', () => {
    expect(winkler(5, 4, 8, 80)).toBeCloseTo(4, 12);
    expect(winkler(2, 4, 8, 80)).toBeCloseTo(4 + 10 * 2, 12);
    expect(winkler(10, 4, 8, 95)).toBeCloseTo(4 + 40 * 2, 12);
  });
});

describe('lstmRunner with --retrain', () => {
  /** A stand-in for a trained LstmForecaster: each training ships other members (as each cutoff's own CV may choose). */
  function fakeTrainer(shipped: string[][]) {
    let trainings = 0;
    const train = async () => {
      const members = shipped[trainings++ % shipped.length]!;
      const forecast = (model: string): SeriesForecast => ({ mean: new Float64Array([1, 1]), sd: new Float64Array(2), p10: new Float64Array([1, 1]), p90: new Float64Array([1, 1]), model });
      return {
        trained: { combine: { members: members.map((model) => ({ model, weight: 1 / members.length })) } },
        predict: async (history: typeof data, _origin: number, _h: number, _plan: unknown, which: string) =>
          new Map(history.series.map((s) => [s.sku, forecast(which === 'lstm' ? 'lstm' : members.join('+'))])),
        dispose() {},
      } as unknown as LstmForecaster;
    };
    return { train, trainings: () => trainings };
  }

  it('scores one `default` row when the members differ between cutoffs (named by members without --retrain)', async () => {
    const spec = { windows: 3, step: 2, horizon: 2 };
    const retrained = fakeTrainer([['lstm', 'promo_regression', 'arimax'], ['lstm', 'arimax']]);
    const results = await rollingOrigin(data, spec, [lstmRunner(retrained.train, true)]);
    expect(retrained.trainings()).toBe(3);
    expect(results.map((r) => r.models.map((m) => m.name))).toEqual([0, 1, 2].map(() => ['lstm', RETRAINED_DEFAULT]));
    expect(results.map((r) => r.models[1]!.forecasts.get(data.series[0]!.sku)!.model)).toEqual(['lstm+promo_regression+arimax', 'lstm+arimax', 'lstm+promo_regression+arimax']);
    const report = scoreRollingOrigin(results, 52, [80]);
    expect(report.models).toEqual(['lstm', RETRAINED_DEFAULT]);
    expect(report.perCutoff.get(RETRAINED_DEFAULT)!.every((c) => c.n > 0)).toBe(true);

    const once = fakeTrainer([['lstm', 'arimax']]);
    const single = await rollingOrigin(data, spec, [lstmRunner(once.train, false)]);
    expect(once.trainings()).toBe(1);
    expect(single.map((r) => r.models.map((m) => m.name))).toEqual([0, 1, 2].map(() => ['lstm', 'default:lstm+arimax']));
  });
});
