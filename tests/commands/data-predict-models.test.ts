/** predictModels: the model forecast predict uses per SKU, as data inspect reports it (commands/data/_predict-models.ts). */
import { describe, expect, it } from 'vitest';
import { predictModels, predictRule } from '../../src/commands/data/_predict-models.js';
import { forecastOrigins } from '../../src/models/origins.js';
import { makeSalesData } from '../../src/sales-data.js';

const N = Number.NaN;

describe('predictModels', () => {
  it("the rule is forecast train's window and predict's minimum: max(2, ceil(window / 4))", () => {
    expect(predictRule('D')).toEqual({ window: 56, minObserved: 14 });
    expect(predictRule('W')).toEqual({ window: 26, minObserved: 7 });
    expect(predictRule('W', 8)).toEqual({ window: 8, minObserved: 2 });
    expect(predictRule('W', 3)).toEqual({ window: 3, minObserved: 2 });
  });

  it('LSTM with enough observed periods in the last window before the origin, else the fallback of the whole history', () => {
    const data = makeSalesData('W', [], [
      { sku: 'LONG', start: '2024-01-01', units: [3, 4, 5, 6, 7, 8, 9, 10] },
      // two observed in the last 4 periods: just enough
      { sku: 'EDGE', start: '2024-01-01', units: [1, 1, 1, 1, N, 2, N, 3] },
      // one observed in the window: 7 observed before it do not help (moving average of the history)
      { sku: 'GAPPY', start: '2024-01-01', units: [1, 2, 3, 4, N, N, N, 5] },
      // ends 4 weeks before the others: its window before the common origin is empty
      { sku: 'ENDED', start: '2024-01-01', units: [5, 5, 5, 5] },
      // intermittent: 2 demands in 8 observed periods -> croston once too short
      { sku: 'LUMPY', start: '2024-01-01', units: [0, 0, 4, 0, N, N, N, 3] },
    ]);
    const m = predictModels(data, forecastOrigins(data), predictRule('W', 4));
    expect(Object.fromEntries([...m].map(([k, v]) => [k, v.model]))).toEqual({
      LONG: 'shipped',
      EDGE: 'shipped',
      GAPPY: 'moving_average',
      ENDED: 'moving_average',
      LUMPY: 'croston',
    });
    expect([...m].filter(([, v]) => v.fallback).map(([k]) => k)).toEqual(['ENDED', 'GAPPY', 'LUMPY']);
  });
});
