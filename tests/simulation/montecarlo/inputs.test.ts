/** simulation/montecarlo/inputs.ts: forecasts and lead times -> the per-SKU inputs, and the problems to tell. */
import { describe, expect, it } from 'vitest';
import type { ForecastSeries } from '../../../src/core/contracts/forecast.js';
import { buildInputs } from '../../../src/simulation/montecarlo/inputs.js';
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
});
