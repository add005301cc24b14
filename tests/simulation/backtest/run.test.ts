import { describe, expect, it } from 'vitest';
import { parseDay } from '../../../src/core/calendar.js';
import { makeSalesData } from '../../../src/sales-data.js';
import { dailyDemand, historyStats } from '../../../src/simulation/backtest/demand.js';
import { perSkuRows, summaryRows } from '../../../src/simulation/backtest/report.js';
import { runBacktest } from '../../../src/simulation/backtest/run.js';
import { classicPolicies, classicPolicy, normalQuantile } from '../../../src/simulation/backtest/classic.js';
import type { SkuPolicy } from '../../../src/simulation/ordering.js';

const day = (s: string) => parseDay(s);
const policy = (sku: string, reorderPoint: number, orderUpTo: number): SkuPolicy => ({ sku, reorderPoint, orderUpTo, leadTimeMean: Number.NaN, leadTimeSd: Number.NaN });

describe('dailyDemand', () => {
  it('spreads a weekly period evenly over the 7 days starting on its date, clipped to the window', () => {
    const data = makeSalesData('W', [], [{ sku: 'A', start: '2024-01-01', units: [70, 140, 7] }]);
    const { demand, missingDays } = dailyDemand(data.series[0]!, 7, day('2024-01-05'), day('2024-01-16'));
    expect(Array.from(demand)).toEqual([10, 10, 10, 20, 20, 20, 20, 20, 20, 20, 1, 1]);
    expect(missingDays).toBe(0);
  });
  it('missing periods and days outside the series are zero demand, counted as missing', () => {
    const data = makeSalesData('D', [], [{ sku: 'A', start: '2024-01-02', units: [1, Number.NaN, 3] }]);
    const { demand, missingDays } = dailyDemand(data.series[0]!, 1, day('2024-01-01'), day('2024-01-06'));
    expect(Array.from(demand)).toEqual([0, 1, 0, 3, 0, 0]);
    expect(missingDays).toBe(4);
  });
});

describe('historyStats', () => {
  it('uses only whole periods before the window', () => {
    const data = makeSalesData('D', [], [{ sku: 'A', start: '2024-01-01', units: [1, 2, Number.NaN, 3, 4, 100] }]);
    const st = historyStats(data.series[0]!, 1, day('2024-01-06'));
    expect(st.periods).toBe(4);
    expect(st.mean).toBeCloseTo(2.5, 12);
    expect(st.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(historyStats(data.series[0]!, 1, day('2024-01-06'), 2).periods).toBe(2);
  });
  it('weekly history: daily mean = weekly mean / 7, daily sd = weekly sd / sqrt(7)', () => {
    const data = makeSalesData('W', [], [{ sku: 'A', start: '2024-01-01', units: [70, 140, 999] }]);
    // the third week (starting 2024-01-15) ends on 2024-01-21, inside the window: not used
    const st = historyStats(data.series[0]!, 7, day('2024-01-20'));
    expect(st.periods).toBe(2);
    expect(st.mean).toBeCloseTo(15, 12);
    expect(st.sd).toBeCloseTo(Math.sqrt(2450) / Math.sqrt(7), 12);
  });
});

describe('classic policy', () => {
  it('inverse normal CDF', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263479, 6);
    expect(normalQuantile(0.999)).toBeCloseTo(3.0902323, 6);
  });
  it('textbook check values: mu=100, sigma=20, L=9, 95% -> SS 98.69, ROP 998.69 (rounded up to whole units)', () => {
    const p = classicPolicy({ sku: 'A', demandMean: 100, demandSd: 20, leadTimeMean: 9, orderQty: 500 }, 0.95);
    expect(p).toMatchObject({ reorderPoint: 999, orderUpTo: 1499, safetyStock: 99 });
  });
  it('from history: same Q as the compared policy by default, or days of mean demand', () => {
    const data = makeSalesData('D', [], [
      { sku: 'A', start: '2024-01-01', units: [8, 12, 8, 12, 50, 50] },
      { sku: 'B', start: '2024-01-01', units: [Number.NaN, Number.NaN, Number.NaN, 5, 5, 5] },
      { sku: 'C', start: '2024-01-01', units: [1, 1, 1, 1, 1, 1] },
    ]);
    const lt = new Map([
      ['A', { mean: 4, sd: 0 }],
      ['B', { mean: 4, sd: 0 }],
    ]);
    const before = day('2024-01-05');
    const matched = classicPolicies(data, before, lt, { serviceLevel: 0.95, matchQ: new Map([['A', policy('A', 50, 80)]]) });
    const sd = Math.sqrt(16 / 3);
    expect(matched.policies).toEqual([expect.objectContaining({ sku: 'A', reorderPoint: Math.ceil(40 + 1.6448536269514722 * sd * 2), demandMean: 10 })]);
    expect(matched.policies[0]!.orderUpTo - matched.policies[0]!.reorderPoint).toBe(30);
    expect(matched.excluded).toEqual([{ sku: 'B', reason: expect.stringContaining('found 1') }]);
    const days = classicPolicies(data, before, lt, { serviceLevel: 0.95, orderDays: 7 });
    expect(days.policies[0]!.orderUpTo - days.policies[0]!.reorderPoint).toBe(70);
  });
});

describe('runBacktest', () => {
  const data = makeSalesData('D', [], [
    { sku: 'A', start: '2024-01-01', units: new Array(40).fill(10) },
    { sku: 'B', start: '2024-01-01', units: Array.from({ length: 40 }, (_, i) => (i * 7) % 13) },
    { sku: 'C', start: '2024-01-01', units: new Array(40).fill(1) },
  ]);
  const leadTimes = new Map([
    ['A', { mean: 3, sd: 0 }],
    ['B', { mean: 4, sd: 2 }],
  ]);
  const base = {
    data,
    leadTimes,
    from: day('2024-01-11'),
    to: day('2024-02-09'),
    unmet: 'lost' as const,
    seed: 42,
  };
  const p1 = { name: 'mc', policies: [policy('A', 10, 30), policy('B', 20, 60), policy('Z', 1, 2)] };
  const p2 = { name: 'lean', policies: [policy('A', 5, 25), policy('B', 10, 50)] };

  it('replays SKUs in sales, every policy and the lead times; reports the others', () => {
    const r = runBacktest({ ...base, policies: [p1, p2] });
    expect(r.days).toBe(30);
    expect(r.skus).toEqual(['A', 'B']);
    expect(r.excluded.map((e) => e.sku)).toEqual(['C', 'Z']);
    expect(r.outcomes.map((o) => o.totals.skus)).toEqual([2, 2]);
    const a = r.outcomes[0]!.perSku[0]!;
    expect(a.demand).toBe(300);
    expect(a.served + a.unmet).toBe(300);
    const t = r.outcomes[0]!.totals;
    expect(t.demand).toBe(r.outcomes[0]!.perSku.reduce((s, m) => s + m.demand, 0));
    expect(t.stockoutRate).toBeCloseTo(t.stockoutDays / 60, 12);
  });

  it('same seed -> identical results; a policy compared with itself shows no difference', () => {
    const r1 = runBacktest({ ...base, policies: [p1, { ...p1, name: 'again' }] });
    const r2 = runBacktest({ ...base, policies: [p1] });
    expect(r1.outcomes[0]).toEqual(r2.outcomes[0]);
    expect(r1.outcomes[1]!.perSku).toEqual(r1.outcomes[0]!.perSku);
    const diff = summaryRows(r1)[2]!;
    expect(diff[0]).toBe('again - mc');
    expect(diff.slice(2).every((v) => v === 0 || Number.isNaN(v))).toBe(true);
  });

  it('the seed drives the lead-time draws', () => {
    const fillRates = [1, 2, 3, 4, 5].map((seed) => runBacktest({ ...base, seed, policies: [p2] }).outcomes[0]!.perSku[1]!.avgOnHand);
    expect(new Set(fillRates).size).toBeGreaterThan(1);
  });

  it('opening stock from the inventory replaces order_up_to', () => {
    const r = runBacktest({ ...base, policies: [p1], opening: new Map([['A', { onHand: 0 }]]) });
    expect(r.outcomes[0]!.perSku[0]!.unmet).toBeGreaterThan(0);
  });

  it('per-SKU rows follow the column contract', () => {
    const r = runBacktest({ ...base, policies: [p1] });
    const row = perSkuRows(r)[0]!;
    const m = r.outcomes[0]!.perSku[0]!;
    expect(row).toEqual(['A', m.demand, m.served, m.unmet, m.fillRate, m.cycleServiceLevel, m.stockoutDays, m.avgOnHand, m.orders]);
  });
});
