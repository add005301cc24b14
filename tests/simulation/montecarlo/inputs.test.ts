/** simulation/montecarlo/inputs.ts: forecasts and lead times -> the per-SKU inputs, and the problems to tell. */
import { describe, expect, it } from 'vitest';
import type { ForecastSeries } from '../../../src/core/contracts/forecast.js';
import { buildInputs, forecastValidDays, sumSpreadFactor } from '../../../src/simulation/montecarlo/inputs.js';
import { inShard } from '../../../src/simulation/montecarlo/shard.js';

const series = (periods: number, mean = 14, sd = 7): ForecastSeries => ({
  days: Int32Array.from({ length: periods }, (_, i) => i),
  mean: new Float64Array(periods).fill(mean),
  sd: new Float64Array(periods).fill(sd),
});

describe('buildInputs', () => {
  const forecasts = new Map([
    ['C', series(10)],
    ['A', series(10)],
    ['B', series(3)],
  ]);

  it('sorted by SKU, weekly periods spread to days, the SKU lead time or the default, order_qty kept', () => {
    const leads = new Map([['A', { mean: 4, sd: 1, orderQty: 50 }]]);
    const r = buildInputs(forecasts, 7, leads, { mean: 2, sd: 0 }, { kind: 'sQ' });
    expect(r.inputs.map((i) => i.sku)).toEqual(['A', 'B', 'C']);
    expect(r.inputs[0]!.demand.mean).toHaveLength(70);
    expect(r.inputs[0]!.demand.mean[0]).toBe(2);
    expect(r.inputs[0]!.demand.sd[0]).toBeCloseTo(7 / Math.sqrt(7), 12);
    expect(r.inputs[0]).toMatchObject({ lead: { mean: 4, sd: 1 }, orderQty: 50 });
    expect(r.inputs[1]).toMatchObject({ lead: { mean: 2, sd: 0 }, orderQty: undefined });
    expect(r).toMatchObject({ missingLeadTime: [], shortHorizon: [], unusedLeadTimes: [] });
  });

  it('lists SKUs without a lead time, forecasts shorter than the protection interval, unused lead times', () => {
    const leads = new Map([
      ['A', { mean: 4, sd: 0 }],
      ['B', { mean: 5, sd: 0 }],
      ['Z', { mean: 1, sd: 0 }],
    ]);
    const r = buildInputs(forecasts, 1, leads, undefined, { kind: 'RS', review: 2 });
    expect(r.missingLeadTime).toEqual(['C']);
    // B: 3 days of forecast, R + L = 7 needed.
    expect(r.shortHorizon).toEqual([{ sku: 'B', days: 3, needed: 7 }]);
    expect(r.unusedLeadTimes).toEqual(['Z']);
    expect(r.inputs.map((i) => i.sku)).toEqual(['A', 'B']);
  });

  it('a shard keeps only its SKUs but validates all of them', () => {
    const shard = { index: 1, count: 2 };
    const r = buildInputs(forecasts, 1, new Map(), undefined, { kind: 'sQ' }, shard);
    expect(r.missingLeadTime).toEqual(['A', 'B', 'C']);
    const all = buildInputs(forecasts, 1, new Map(), { mean: 1, sd: 0 }, { kind: 'sQ' }, shard);
    expect(all.inputs.map((i) => i.sku)).toEqual(['A', 'B', 'C'].filter((s) => inShard(s, shard)));
  });

  it('correlated forecast errors widen every daily sd so that the protection interval has the variance of the sum', () => {
    const leads = new Map([
      ['A', { mean: 7, sd: 0 }],
      ['B', { mean: 1, sd: 0 }],
      ['C', { mean: 0, sd: 0 }],
    ]);
    const daily = new Map([
      ['A', { ...series(30, 5, 2), errorCorr: 0.1 }],
      ['B', { ...series(30, 5, 2), errorCorr: 0.1 }],
      ['C', { ...series(30, 5, 2), errorCorr: 0.1 }],
    ]);
    const r = buildInputs(daily, 1, leads, undefined, { kind: 'sQ' });
    // 7 days: Var(sum) = 7 * 4 * (1 + 6 * 0.1); a lead time of one day or none has nothing to sum.
    expect(r.inputs[0]!.demand.sd[3]).toBeCloseTo(2 * Math.sqrt(1.6), 12);
    expect(r.inputs[0]!.demand.mean[3]).toBe(5);
    expect(r.inputs[1]!.demand.sd[3]).toBe(2);
    expect(r.inputs[2]!.demand.sd[3]).toBe(2);
    expect(r.widened).toEqual([{ sku: 'A', rho: 0.1, factor: Math.sqrt(1.6) }]);
    // Under (R,S) the review period is part of the interval: 7 + 7 days = 14 periods.
    const rs = buildInputs(daily, 1, leads, undefined, { kind: 'RS', review: 7 });
    expect(rs.inputs[0]!.demand.sd[0]).toBeCloseTo(2 * Math.sqrt(1 + 13 * 0.1), 12);
    // --error-corr overrides the file: 0 keeps the periods independent, for every SKU.
    const off = buildInputs(daily, 1, leads, undefined, { kind: 'sQ' }, undefined, 1, 0);
    expect(off.inputs[0]!.demand.sd[3]).toBe(2);
    expect(off.widened).toEqual([]);
    const forced = buildInputs(forecasts, 1, new Map(), { mean: 7, sd: 0 }, { kind: 'sQ' }, undefined, 1, 0.5);
    expect(forced.inputs.every((i) => i.demand.sd[0] === 7 * Math.sqrt(4))).toBe(true);
  });

  it('weekly forecasts: the correlation is between weeks, so a lead time of a week or less is not widened', () => {
    const weekly = new Map([['A', { ...series(4, 70, 14), errorCorr: 0.2 }]]);
    const week = buildInputs(weekly, 7, new Map(), { mean: 7, sd: 0 }, { kind: 'sQ' });
    expect(week.inputs[0]!.demand.sd[0]).toBeCloseTo(14 / Math.sqrt(7), 12);
    const three = buildInputs(weekly, 7, new Map(), { mean: 21, sd: 0 }, { kind: 'sQ' });
    expect(three.inputs[0]!.demand.sd[0]).toBeCloseTo((14 / Math.sqrt(7)) * Math.sqrt(1 + 2 * 0.2), 12);
  });
});

describe("--valid-days forecast", () => {
  it('each SKU gets the start days its own forecast covers, from its lead time plus three sds and the review period', () => {
    expect(forecastValidDays(28, { mean: 7, sd: 0 }, { kind: 'sQ' })).toBe(22);
    expect(forecastValidDays(28, { mean: 7, sd: 1.5 }, { kind: 'sQ' })).toBe(17);
    expect(forecastValidDays(28, { mean: 7, sd: 0 }, { kind: 'RS', review: 7 })).toBe(15);
    expect(forecastValidDays(5, { mean: 7, sd: 0 }, { kind: 'sQ' })).toBe(1);
    const leads = new Map([
      ['A', { mean: 4, sd: 0 }],
      ['C', { mean: 9, sd: 0 }],
    ]);
    const r = buildInputs(new Map([['A', series(10)], ['C', series(10)], ['B', series(3)]]), 1, leads, { mean: 2, sd: 0 }, { kind: 'sQ' }, undefined, 'forecast');
    expect(r.inputs.map((i) => [i.sku, i.validDays])).toEqual([['A', 7], ['B', 2], ['C', 2]]);
    expect(r.shortHorizon).toEqual([]);
    // A forecast shorter than the protection interval itself is still short.
    const short = buildInputs(new Map([['B', series(3)]]), 1, new Map(), { mean: 5, sd: 0 }, { kind: 'sQ' }, undefined, 'forecast');
    expect(short.shortHorizon).toEqual([{ sku: 'B', days: 3, needed: 5 }]);
    // A number keeps the shared value (SimConfig's), as before.
    expect(buildInputs(new Map([['A', series(10)]]), 1, leads, undefined, { kind: 'sQ' }, undefined, 3).inputs[0]!.validDays).toBeUndefined();
  });
});

describe('sumSpreadFactor', () => {
  it('is sqrt(1 + (m - 1) rho): 1 for independent periods or a single one, sqrt(m) when fully correlated', () => {
    expect(sumSpreadFactor(7, 0)).toBe(1);
    expect(sumSpreadFactor(1, 0.5)).toBe(1);
    expect(sumSpreadFactor(0.4, 0.5)).toBe(1);
    expect(sumSpreadFactor(9, 1)).toBeCloseTo(3, 12);
    expect(sumSpreadFactor(9, 2)).toBeCloseTo(3, 12);
    expect(sumSpreadFactor(1.5, 0.2)).toBeCloseTo(Math.sqrt(1.1), 12);
    expect(sumSpreadFactor(7, Number.NaN)).toBe(1);
  });
});
