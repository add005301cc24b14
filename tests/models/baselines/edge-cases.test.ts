import { describe, expect, it } from 'vitest';
import { BASELINES, BASELINE_NAMES, FALLBACK_MIN_REGRESSION, fallbackModel } from '../../../src/models/baselines/index.js';
import { MovingAverageForecaster } from '../../../src/models/baselines/moving-average.js';
import type { SeriesForecast } from '../../../src/models/forecaster.js';
import { makeSalesData, type SeriesInput } from '../../../src/sales-data.js';
import type { Freq, SalesData } from '../../../src/core/types.js';

const NaN_ = Number.NaN;

async function forecast(name: string, data: SalesData, origin: number, h: number): Promise<Map<string, SeriesForecast>> {
  const m = BASELINES[name as keyof typeof BASELINES]();
  await m.fit(data);
  return m.predict(data, origin, h, new Map());
}

function weekly(series: SeriesInput[], freq: Freq = 'W'): SalesData {
  return makeSalesData(freq, [], series);
}

/** Day number of period i of a series starting 2021-01-04 (a Monday). */
const START = 18631;
const day = (i: number, step: number) => START + i * step;

describe('seasonal naive', () => {
  it('is exact on a purely periodic weekly series (52 weeks = 364 days) with zero spread', async () => {
    const pattern = Array.from({ length: 52 }, (_, i) => 10 + ((i * 7) % 13));
    const units = Array.from({ length: 156 }, (_, i) => pattern[i % 52]!);
    const data = weekly([{ sku: 'A', start: START, units }]);
    const f = (await forecast('seasonal_naive', data, day(155, 7), 60)).get('A')!;
    for (let h = 1; h <= 60; h++) expect(f.mean[h - 1]).toBe(pattern[(155 + h) % 52]);
    expect(Math.max(...f.sd)).toBe(0);
  });

  it('uses a 7-day season for daily data and falls back to the last value where last season is missing', async () => {
    const units = [1, 2, 3, 4, 5, 6, 7, 1, 2, 3, NaN_, 5, 6, 7];
    const data = weekly([{ sku: 'A', start: START, units }], 'D');
    const f = (await forecast('seasonal_naive', data, day(13, 1), 7)).get('A')!;
    expect([...f.mean]).toEqual([1, 2, 3, 7, 5, 6, 7]);
  });
});

describe('missing periods are skipped, not zeros', () => {
  const units = [10, 20, 30, 40, NaN_, 50, NaN_, NaN_];
  const data = weekly([{ sku: 'A', start: START, units }]);
  const origin = day(7, 7);

  it('naive repeats the last observed value', async () => {
    expect([...(await forecast('naive', data, origin, 3)).get('A')!.mean]).toEqual([50, 50, 50]);
  });

  it('moving average averages the last k observed values', async () => {
    const m = new MovingAverageForecaster(3);
    const f = (await m.predict(data, origin, 2, new Map())).get('A')!;
    expect([...f.mean]).toEqual([40, 40]);
  });

  it('series that end before the origin are forecast from their last observation', async () => {
    const two = weekly([
      { sku: 'A', start: START, units: [5, 6, 7, 8] },
      { sku: 'B', start: START, units: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
    ]);
    const f = await forecast('naive', two, day(9, 7), 2);
    expect([...f.get('A')!.mean]).toEqual([8, 8]);
    expect([...f.get('B')!.mean]).toEqual([1, 1]);
  });

  it('a level of 100 with every other week missing is forecast near 100 by every model', async () => {
    const u = Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? NaN_ : 100 + (i % 3)));
    const d = weekly([{ sku: 'A', start: START, units: u }]);
    for (const name of BASELINE_NAMES) {
      const f = (await forecast(name, d, day(119, 7), 4)).get('A')!;
      for (const v of f.mean) expect(Math.abs(v - 101)).toBeLessThan(5);
    }
  });
});

describe('odd series', () => {
  const data = weekly([
    { sku: 'empty', start: START, units: [NaN_, NaN_, NaN_] },
    { sku: 'falling', start: START, units: Array.from({ length: 80 }, (_, i) => Math.max(0, 200 - 4 * i + ((i * 37) % 11))) },
    { sku: 'late', start: day(70, 7), units: [3, 4] },
    { sku: 'one', start: START, units: [NaN_, 7] },
    { sku: 'zeros', start: START, units: new Array(60).fill(0) },
    { sku: 'spiky', start: START, units: Array.from({ length: 110 }, (_, i) => (i % 9 === 0 ? 500 : i % 4 === 0 ? 0 : 3)) },
  ]);
  const origin = day(109, 7);

  for (const name of BASELINE_NAMES) {
    it(`${name}: finite, non-negative forecasts with p10 <= mean <= p90 for every series`, async () => {
      const out = await forecast(name, data, origin, 12);
      expect([...out.keys()]).toEqual(['empty', 'falling', 'late', 'one', 'spiky', 'zeros']);
      for (const [sku, f] of out) {
        expect(f.model).toBe(name);
        for (const arr of [f.mean, f.sd, f.p10, f.p90]) {
          expect(arr.length).toBe(12);
          for (const v of arr) {
            expect(Number.isFinite(v), `${sku}`).toBe(true);
            expect(v).toBeGreaterThanOrEqual(0);
          }
        }
        for (let h = 0; h < 12; h++) {
          expect(f.p10[h]).toBeLessThanOrEqual(f.mean[h]!);
          expect(f.p90[h]).toBeGreaterThanOrEqual(f.mean[h]!);
        }
      }
      expect(Math.max(...out.get('zeros')!.mean)).toBe(0);
      expect(Math.max(...out.get('empty')!.mean)).toBe(0);
    });
  }

  it('ets tracks a linear trend', async () => {
    const units = Array.from({ length: 80 }, (_, i) => 100 + 2 * i + ((i * 7) % 5) - 2);
    const d = weekly([{ sku: 'A', start: START, units }]);
    const f = (await forecast('ets', d, day(79, 7), 10)).get('A')!;
    for (let h = 1; h <= 10; h++) expect(Math.abs(f.mean[h - 1]! - (100 + 2 * (79 + h))) / (100 + 2 * (79 + h))).toBeLessThan(0.03);
  });

  it('forecast spread grows with the horizon on a random walk', async () => {
    let x = 100;
    let s = 7;
    const units = Array.from({ length: 150 }, () => {
      s = (s * 16807) % 2147483647;
      x += (s / 2147483647 - 0.5) * 10;
      return x;
    });
    const f = (await forecast('naive', weekly([{ sku: 'A', start: START, units }]), day(149, 7), 20)).get('A')!;
    expect(f.sd[19]!).toBeGreaterThan(2 * f.sd[0]!);
  });
});

describe('fallbackModel', () => {
  it('picks the regression with enough history, a moving average with a little, naive with none', () => {
    expect(fallbackModel(0)).toBe('naive');
    expect(fallbackModel(1)).toBe('moving_average');
    expect(fallbackModel(FALLBACK_MIN_REGRESSION - 1)).toBe('moving_average');
    expect(fallbackModel(FALLBACK_MIN_REGRESSION)).toBe('promo_regression');
    for (const n of [0, 3, 100]) expect(BASELINE_NAMES).toContain(fallbackModel(n));
  });
});
