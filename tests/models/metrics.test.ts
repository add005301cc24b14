import { describe, expect, it } from 'vitest';
import type { SeriesForecast } from '../../src/models/forecaster.js';
import { holdoutActuals, pinball, scoreForecasts, seasonalNaiveScale } from '../../src/models/metrics.js';

function fc(mean: number[], p10?: number[], p90?: number[]): SeriesForecast {
  return {
    mean: Float64Array.from(mean),
    sd: new Float64Array(mean.length),
    p10: Float64Array.from(p10 ?? mean),
    p90: Float64Array.from(p90 ?? mean),
    model: 'test',
  };
}

describe('scoreForecasts', () => {
  // A: actual 10, 20, 30; forecast 12, 18, 30 -> abs errors 2, 2, 0; signed +2, -2, 0.
  // B: actual 5, NaN, 5;  forecast 10, 99, 0  -> abs errors 5, (skipped), 5; signed +5, -5.
  const actuals = new Map([
    ['A', Float64Array.from([10, 20, 30])],
    ['B', Float64Array.from([5, Number.NaN, 5])],
  ]);
  const forecasts = new Map([
    ['A', fc([12, 18, 30], [8, 15, 31], [14, 25, 40])],
    ['B', fc([10, 99, 0], [0, 0, 0], [20, 200, 1])],
  ]);
  // In-sample: A with season 2: |3-1|, |4-2|, |5-3| -> scale 2; B: |1-1|=0 pairs -> scale 0 (MASE NaN).
  const insample = new Map([
    ['A', Float64Array.from([1, 2, 3, 4, 5])],
    ['B', Float64Array.from([1, 7, 1, 7])],
  ]);
  const report = scoreForecasts(actuals, forecasts, insample, 2);

  it('computes per-SKU WAPE, bias, MAE, RMSE and MASE by hand', () => {
    const a = report.perSku.get('A')!;
    expect(a.n).toBe(3);
    expect(a.wape).toBeCloseTo(4 / 60, 12);
    expect(a.accuracy).toBeCloseTo(1 - 4 / 60, 12);
    expect(a.bias).toBeCloseTo(0, 12);
    expect(a.mae).toBeCloseTo(4 / 3, 12);
    expect(a.rmse).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(a.mase).toBeCloseTo(4 / 3 / 2, 12);
    // p10/p90 = (8,14), (15,25), (31,40): 30 is below 31 -> 2 of 3 covered.
    expect(a.coverage80).toBeCloseTo(2 / 3, 12);
    const b = report.perSku.get('B')!;
    expect(b.n).toBe(2);
    expect(b.wape).toBeCloseTo(1, 12);
    expect(b.bias).toBeCloseTo(0, 12);
    expect(b.mase).toBeNaN();
  });

  it('pools points overall (volume-weighted) and skips NaN actuals', () => {
    const o = report.overall;
    expect(o.n).toBe(5);
    expect(o.volume).toBe(70);
    expect(o.wape).toBeCloseTo(14 / 70, 12);
    expect(o.bias).toBeCloseTo(0, 12);
    expect(o.mae).toBeCloseTo(14 / 5, 12);
    expect(o.rmse).toBeCloseTo(Math.sqrt((4 + 4 + 0 + 25 + 25) / 5), 12);
    // MASE: mean over SKUs with a finite value (only A).
    expect(o.mase).toBeCloseTo(2 / 3, 12);
  });

  it('computes the weighted quantile losses', () => {
    // pinball 0.1: A: y10 vs 8 -> 0.2; 20 vs 15 -> 0.5; 30 vs 31 -> 0.9*1 = 0.9; B: 5 vs 0 -> 0.5; 5 vs 0 -> 0.5.
    expect(report.overall.wql10).toBeCloseTo((2 * (0.2 + 0.5 + 0.9 + 0.5 + 0.5)) / 70, 12);
    // pinball 0.9: A: 10 vs 14 -> 0.1*4 = 0.4; 20 vs 25 -> 0.5; 30 vs 40 -> 1; B: 5 vs 20 -> 1.5; 5 vs 1 -> 0.9*4 = 3.6.
    expect(report.overall.wql90).toBeCloseTo((2 * (0.4 + 0.5 + 1 + 1.5 + 3.6)) / 70, 12);
  });

  it('a perfect forecast scores zero error and full accuracy; a biased one shows its bias', () => {
    const y = new Map([['A', Float64Array.from([3, 4, 5])]]);
    const perfect = scoreForecasts(y, new Map([['A', fc([3, 4, 5])]]), y, 1).overall;
    expect(perfect.wape).toBe(0);
    expect(perfect.accuracy).toBe(1);
    expect(perfect.rmse).toBe(0);
    const over = scoreForecasts(y, new Map([['A', fc([3.6, 4.8, 6])]]), y, 1).overall;
    expect(over.bias).toBeCloseTo(0.2, 12);
    expect(over.wape).toBeCloseTo(0.2, 12);
  });

  it('skips SKUs without a forecast and reports NaN WAPE for zero volume', () => {
    const y = new Map([
      ['A', Float64Array.from([0, 0])],
      ['Z', Float64Array.from([5, 5])],
    ]);
    const r = scoreForecasts(y, new Map([['A', fc([1, 1])]]), new Map(), 52);
    expect([...r.perSku.keys()]).toEqual(['A']);
    expect(r.overall.wape).toBeNaN();
    expect(r.overall.mae).toBe(1);
    expect(r.overall.mase).toBeNaN();
  });
});

describe('helpers', () => {
  it('pinball loss is asymmetric', () => {
    expect(pinball(10, 8, 0.9)).toBeCloseTo(1.8, 12);
    expect(pinball(8, 10, 0.9)).toBeCloseTo(0.2, 12);
    expect(pinball(10, 8, 0.1)).toBeCloseTo(0.2, 12);
  });

  it('seasonal naive scale skips missing pairs and falls back to lag 1', () => {
    // lag-2 pairs: (2, 4) and (4, 6); the ones touching the NaN are skipped.
    expect(seasonalNaiveScale([1, 2, Number.NaN, 4, 5, 6], 2)).toBeCloseTo(2, 12);
    expect(seasonalNaiveScale([1, 3, 6], 7)).toBeCloseTo(2.5, 12);
    expect(seasonalNaiveScale([Number.NaN, 1], 1)).toBeNaN();
  });
});

describe('holdoutActuals', () => {
  it('splits each series at the origin, NaN beyond its end', () => {
    const data = {
      step: 7,
      series: [
        { sku: 'A', start: 0, units: Float64Array.from([1, 2, 3, 4, 5]) },
        { sku: 'B', start: 14, units: Float64Array.from([7, 8]) },
      ],
    };
    const { actuals, insample } = holdoutActuals(data, 14, 3);
    expect([...actuals.get('A')!]).toEqual([4, 5, Number.NaN]);
    expect([...insample.get('A')!]).toEqual([1, 2, 3]);
    expect([...actuals.get('B')!]).toEqual([8, Number.NaN, Number.NaN]);
    expect([...insample.get('B')!]).toEqual([7]);
  });
});
