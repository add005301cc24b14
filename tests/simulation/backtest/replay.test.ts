import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/random.js';
import { leadTimeSampler, skuLeadTimeSampler } from '../../../src/simulation/backtest/lead-time-draws.js';
import { replaySku, type ReplayInput } from '../../../src/simulation/backtest/replay.js';

const fixed = (days: number) => () => days;
const constant = (value: number, days: number) => new Array<number>(days).fill(value);

describe('replaySku: hand-computed replays', () => {
  it('no stockout when the reorder point covers the lead time (demand 10/day, s=20, S=50, L=2)', () => {
    const { metrics, trace } = replaySku({ demand: constant(10, 8), reorderPoint: 20, orderUpTo: 50, opening: { onHand: 50 }, leadTime: fixed(2), unmet: 'lost', trace: true });
    expect(trace!.map((d) => d.onHand)).toEqual([40, 30, 20, 10, 30, 20, 10, 30]);
    expect(trace!.map((d) => d.ordered)).toEqual([0, 0, 30, 0, 0, 30, 0, 0]);
    expect(trace!.map((d) => d.arrived)).toEqual([0, 0, 0, 0, 30, 0, 0, 30]);
    expect(trace![2]!.arrivesOn).toBe(4);
    expect(metrics).toMatchObject({ demand: 80, served: 80, unmet: 0, fillRate: 1, stockoutDays: 0, orders: 2, cycles: 2, failedCycles: 0, cycleServiceLevel: 1 });
    expect(metrics.avgOnHand).toBeCloseTo(190 / 8, 12);
  });

  // demand 10/day, s=10, S=30, L=3: the reorder point covers one day of a three-day lead time.
  const short: Omit<ReplayInput, 'unmet'> = { demand: constant(10, 8), reorderPoint: 10, orderUpTo: 30, opening: { onHand: 30 }, leadTime: fixed(3), trace: true };

  it('lost sales: stockouts on days 3 and 6, unmet demand disappears', () => {
    const { metrics, trace } = replaySku({ ...short, unmet: 'lost' });
    expect(trace!.map((d) => d.onHand)).toEqual([20, 10, 0, 0, 10, 0, 0, 10]);
    expect(trace!.map((d) => d.unmet)).toEqual([0, 0, 0, 10, 0, 0, 10, 0]);
    expect(trace!.map((d) => d.ordered)).toEqual([0, 20, 0, 0, 20, 0, 0, 20]);
    expect(trace!.map((d) => d.position)).toEqual([20, 10, 20, 20, 10, 20, 20, 10]);
    expect(trace!.every((d) => d.backlog === 0)).toBe(true);
    expect(metrics).toMatchObject({ demand: 80, served: 60, unmet: 20, stockoutDays: 2, orders: 3, orderedUnits: 60, endBacklog: 0 });
    // cycles closed by the arrivals of days 4 and 7, both with a stockout; the open one after day 7 has none yet
    expect(metrics).toMatchObject({ cycles: 2, failedCycles: 2, cycleServiceLevel: 0 });
    expect(metrics.fillRate).toBeCloseTo(0.75, 12);
    expect(metrics.avgOnHand).toBeCloseTo(50 / 8, 12);
  });

  it('backorders: unmet demand waits, lowers the position, and is filled first from arrivals', () => {
    const { metrics, trace } = replaySku({ ...short, unmet: 'backorder' });
    expect(trace!.map((d) => d.unmet)).toEqual([0, 0, 0, 10, 0, 10, 0, 10]);
    expect(trace!.map((d) => d.backlog)).toEqual([0, 0, 0, 10, 0, 10, 0, 10]);
    expect(trace!.map((d) => d.ordered)).toEqual([0, 20, 0, 20, 0, 20, 0, 20]);
    expect(trace!.map((d) => d.arrived)).toEqual([0, 0, 0, 0, 20, 0, 20, 0]);
    // day 4: 20 arrive, 10 fill the backlog, 10 serve the day's demand
    expect(trace![4]).toMatchObject({ served: 10, onHand: 0, backlog: 0, position: 20 });
    expect(metrics).toMatchObject({ demand: 80, served: 50, unmet: 30, stockoutDays: 3, orders: 4, endBacklog: 10 });
    // arrivals on days 4 and 6 close two failed cycles; the open cycle already failed on day 7
    expect(metrics).toMatchObject({ cycles: 3, failedCycles: 3 });
  });

  it('opening stock: on-order arrives after the first lead-time draw, backorders are kept only under backorders', () => {
    const input = { demand: constant(5, 4), reorderPoint: 0, orderUpTo: 20, leadTime: fixed(2), trace: true };
    const lost = replaySku({ ...input, opening: { onHand: 10, onOrder: 7, backorders: 4 }, unmet: 'lost' });
    expect(lost.trace!.map((d) => d.arrived)).toEqual([0, 7, 0, 0]);
    expect(lost.trace!.map((d) => d.onHand)).toEqual([5, 7, 2, 0]);
    const back = replaySku({ ...input, opening: { onHand: 10, onOrder: 7, backorders: 4 }, unmet: 'backorder' });
    expect(back.trace!.map((d) => d.onHand)).toEqual([5, 3, 0, 0]);
    expect(back.trace![0]!.position).toBe(8); // 5 + 7 - 4
  });

  it('pack size and MOQ apply to replayed orders', () => {
    const { trace } = replaySku({ demand: constant(10, 3), reorderPoint: 20, orderUpTo: 50, constraints: { packSize: 12 }, opening: { onHand: 30 }, leadTime: fixed(5), unmet: 'lost', trace: true });
    expect(trace!.map((d) => d.ordered)).toEqual([36, 0, 0]);
  });

  it('zero demand: no orders, fill rate and cycle service level undefined', () => {
    const { metrics } = replaySku({ demand: constant(0, 5), reorderPoint: 2, orderUpTo: 9, opening: { onHand: 9 }, leadTime: fixed(1), unmet: 'lost' });
    expect(metrics.orders).toBe(0);
    expect(metrics.fillRate).toBeNaN();
    expect(metrics.cycleServiceLevel).toBeNaN();
    expect(metrics.avgOnHand).toBe(9);
  });
});

describe('replaySku: invariants', () => {
  const scenario = fc.record({
    demand: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 60 }),
    rop: fc.integer({ min: 0, max: 60 }),
    extra: fc.integer({ min: 0, max: 80 }),
    onHand: fc.integer({ min: 0, max: 100 }),
    onOrder: fc.integer({ min: 0, max: 20 }),
    lt: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
    packSize: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
    unmet: fc.constantFrom('lost' as const, 'backorder' as const),
  });
  const cycle = (values: number[]) => {
    let i = 0;
    return () => values[i++ % values.length]!;
  };

  it('served + unmet = demand; stock never negative; on-hand balances arrivals and sales', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { metrics, trace } = replaySku({
          demand: s.demand,
          reorderPoint: s.rop,
          orderUpTo: s.rop + s.extra,
          constraints: { packSize: s.packSize },
          opening: { onHand: s.onHand, onOrder: s.onOrder },
          leadTime: cycle(s.lt),
          unmet: s.unmet,
          trace: true,
        });
        const total = s.demand.reduce((a, b) => a + b, 0);
        expect(metrics.served + metrics.unmet).toBe(total);
        expect(metrics.demand).toBe(total);
        let onHand = s.onHand;
        let backlog = 0;
        for (const d of trace!) {
          expect(d.onHand).toBeGreaterThanOrEqual(0);
          expect(d.backlog).toBeGreaterThanOrEqual(0);
          expect(d.served + d.unmet).toBe(d.demand);
          if (s.unmet === 'lost') expect(d.backlog).toBe(0);
          // units are conserved: what arrived either sits on hand, was sold, or filled backorders
          const filled = backlog + (s.unmet === 'backorder' ? d.unmet : 0) - d.backlog;
          expect(d.onHand).toBe(onHand + d.arrived - d.served - filled);
          onHand = d.onHand;
          backlog = d.backlog;
        }
        expect(metrics.orders).toBe(trace!.filter((d) => d.ordered > 0).length);
        expect(metrics.stockoutDays).toBe(trace!.filter((d) => d.unmet > 0).length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('lead-time draws', () => {
  it('fixed lead time: the mean, rounded, at least one day', () => {
    expect(leadTimeSampler({ mean: 7, sd: 0 }, mulberry32(1))()).toBe(7);
    expect(leadTimeSampler({ mean: 6.6, sd: 0 }, mulberry32(1))()).toBe(7);
    expect(leadTimeSampler({ mean: 0, sd: 0 }, mulberry32(1))()).toBe(1);
  });

  it('observed samples are resampled: only observed values come out, each about equally often', () => {
    const draw = leadTimeSampler({ mean: 6, sd: 2, samples: Float64Array.from([4, 6, 8]) }, mulberry32(7));
    const counts = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const v = draw();
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([4, 6, 8]);
    // binomial sd of each count: sqrt(3000 * 1/3 * 2/3) = 25.8; 5 sd
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(130);
  });

  it('random lead time: gamma with the given mean and sd, in whole days', () => {
    const draw = leadTimeSampler({ mean: 7, sd: 2 }, mulberry32(3));
    const n = 20000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const v = draw();
      expect(Number.isInteger(v) && v >= 1).toBe(true);
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sumSq / n - mean * mean);
    // standard error of the mean 2 / sqrt(20000) = 0.014; rounding to days adds variance 1/12
    expect(Math.abs(mean - 7)).toBeLessThan(0.08);
    expect(Math.abs(sd - Math.sqrt(4 + 1 / 12))).toBeLessThan(0.08);
  });

  it('per-SKU draws depend on the seed and the SKU only', () => {
    const seq = (seed: number, sku: string) => {
      const d = skuLeadTimeSampler(seed, sku, { mean: 10, sd: 4 });
      return Array.from({ length: 20 }, () => d());
    };
    expect(seq(42, 'A')).toEqual(seq(42, 'A'));
    expect(seq(42, 'A')).not.toEqual(seq(43, 'A'));
    expect(seq(42, 'A')).not.toEqual(seq(42, 'B'));
  });
});

describe('replaySku: periodic review', () => {
  it('(R,S) with R=3: orders only on days 0, 3, 6, up to S', () => {
    const { trace } = replaySku({ demand: constant(4, 8), reorderPoint: 30, orderUpTo: 30, opening: { onHand: 30 }, leadTime: fixed(1), unmet: 'lost', reviewPeriod: 3, trace: true });
    expect(trace!.map((d) => d.ordered)).toEqual([4, 0, 0, 12, 0, 0, 12, 0]);
    expect(trace!.map((d) => d.onHand)).toEqual([26, 26, 22, 18, 26, 22, 18, 26]);
  });
});
