/**
 * The rolling origins of `train` (models/lstm-validation.ts): which SKUs they score (cvSample) and
 * the classical refits started before the networks train (refitsInAdvance).
 */
import { describe, expect, test } from 'vitest';
import type { BaselineName } from '../../src/models/baselines/index.js';
import type { RefitAll } from '../../src/models/combination-cv.js';
import { validationOrigins } from '../../src/models/combination-cv.js';
import type { PredictCall } from '../../src/models/forecaster.js';
import { CV_MAX_SKUS, CV_ORIGINS } from '../../src/models/lstm-settings.js';
import { type StartRefit, cvSample, refitsInAdvance } from '../../src/models/lstm-validation.js';
import { syntheticSales } from '../fixtures/forecast/synthetic.js';

const data = syntheticSales({ freq: 'W', skus: 10, periods: 80, seed: 3 });
const span = { cut: data.series[0]!.start + 60 * data.step, validation: 12, horizon: 6 };

describe('cvSample', () => {
  test('keeps every SKU up to the cap, the same object', () => {
    expect(cvSample(data, 10)).toBe(data);
    expect(cvSample(data)).toBe(data);
    expect(CV_MAX_SKUS).toBeGreaterThanOrEqual(500);
  });

  test('above the cap: that many SKUs, spread evenly over the data order, first one kept, the rest of the data as is', () => {
    const s = cvSample(data, 4);
    expect(s.series.map((x) => x.sku)).toEqual([0, 2, 5, 7].map((i) => data.series[i]!.sku));
    expect(s.series[0]).toBe(data.series[0]);
    expect(s.covariates).toEqual(data.covariates);
    expect(s.step).toBe(data.step);
    expect(data.series).toHaveLength(10);
    expect(cvSample(data, 4).series.map((x) => x.sku)).toEqual(s.series.map((x) => x.sku));
  });
});

describe('refitsInAdvance', () => {
  type Asked = { models: (BaselineName | undefined)[]; calls: PredictCall[] };
  const answer = (tag: string, models: readonly (BaselineName | undefined)[], calls: readonly PredictCall[]) => calls.map(() => new Map([[models[0]!, new Map([[tag, undefined as never]])]]));
  const recorder = (tag: string, log: string[], asked: Asked[]): RefitAll => async (models, calls) => {
    log.push(tag);
    asked.push({ models: [...models], calls: [...calls] });
    return answer(tag, models, calls);
  };
  const starter = (log: string[], asked: Asked[]): StartRefit => (models, calls) => {
    log.push('start');
    asked.push({ models: [...models], calls: [...calls] });
    return {
      finish: async () => {
        log.push('finish');
        return answer('early', models, calls);
      },
    };
  };

  test('starts the classical candidates at the rolling origins at once, and hands that run to the same request', async () => {
    const log: string[] = [];
    const asked: Asked[] = [];
    const refit = refitsInAdvance(data, span, 'auto', starter(log, asked), recorder('late', log, []));
    expect(log).toEqual(['start']);
    const { models, calls } = asked[0]!;
    expect(models).toEqual(['promo_regression', 'arimax', 'ets']);
    expect(calls.map((c) => c.origin)).toEqual(validationOrigins(span.cut, span.validation, data.step, CV_ORIGINS));
    expect(calls.every((c) => c.horizon === span.horizon && c.history.series.length === data.series.length)).toBe(true);
    // chooseShipped asks for the same models at the same origins: the early run, not a new one.
    const got = await refit(models, calls);
    expect(log).toEqual(['start', 'finish']);
    expect(got[0]!.get('promo_regression')!.has('early')).toBe(true);
    // Anything else is a new request.
    await refit(['ets'], calls);
    await refit(models, calls.slice(1));
    expect(log).toEqual(['start', 'finish', 'late', 'late']);
  });

  test('with no classical candidate (--combine none) nothing starts early', () => {
    const log: string[] = [];
    const late = recorder('late', log, []);
    expect(refitsInAdvance(data, span, 'none', starter(log, []), late)).toBe(late);
    expect(log).toEqual([]);
  });

  test('a failure of the early run reaches whoever asks for it', async () => {
    const failing: RefitAll = () => Promise.reject(new Error('no memory'));
    const refit = refitsInAdvance(data, span, 'arimax', () => ({ finish: () => Promise.reject(new Error('no memory')) }), failing);
    await new Promise((r) => setTimeout(r, 20));
    const calls = validationOrigins(span.cut, span.validation, data.step, CV_ORIGINS).map((origin) => ({ origin, horizon: span.horizon, history: data, plan: new Map() }));
    await expect(refit(['arimax'], calls)).rejects.toThrow('no memory');
  });
});
