/**
 * `stock backtest --replan`: the replanning loop (src/simulation/backtest/replan.ts), its inventory carried
 * across replans, no look-ahead, the frontier summary, and the options.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtestSpec, parseEvery } from '../../../src/commands/stock/backtest.options.js';
import { UsageError } from '../../../src/errors.js';
import { formatDay, parseDay } from '../../../src/core/calendar.js';
import { mulberry32 } from '../../../src/core/random.js';
import { makeSalesData } from '../../../src/sales-data.js';
import { runBacktest } from '../../../src/simulation/backtest/run.js';
import { skuLeadTimeSampler } from '../../../src/simulation/backtest/lead-time-draws.js';
import { type SimConfig, simulateSku, simulateSkuLevels } from '../../../src/simulation/montecarlo/engine.js';
import { replayExposure, undershootDays } from '../../../src/simulation/backtest/exposure.js';
import { type ReplanForecaster, runReplan } from '../../../src/simulation/backtest/replan.js';
import { historyBefore } from '../../../src/simulation/backtest/replan-data.js';
import { SkuReplayState, replaySku } from '../../../src/simulation/backtest/replay.js';
import { syntheticSales } from '../../fixtures/forecast/synthetic.js';
import { BIN, runBin, runCli } from '../../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'stockcast-replan-'));

/** Daily sales of a few SKUs: level + weekly pattern + noise, and a price column; SKU Z is intermittent. */
function salesCsv(days: number, seed = 1, change?: { from: string; factor: number }): string {
  const rand = mulberry32(seed);
  const start = parseDay('2024-01-01');
  const lines = ['date,sku,units,price'];
  const cutoff = change === undefined ? Number.POSITIVE_INFINITY : parseDay(change.from);
  for (let d = 0; d < days; d++) {
    for (const [sku, level, price] of [['A', 20, 2.5], ['B', 8, 4], ['Z', 0.4, 10]] as const) {
      const weekly = 1 + 0.3 * Math.sin((2 * Math.PI * d) / 7);
      let u = sku === 'Z' ? (rand() < 0.3 ? 1 + Math.floor(rand() * 3) : 0) : Math.max(0, Math.round(level * weekly + (rand() - 0.5) * level * 0.6));
      if (start + d >= cutoff) u = Math.round(u * change!.factor);
      lines.push(`${formatDay(start + d)},${sku},${u},${price}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function fixture(days = 150, change?: { from: string; factor: number }): string {
  const dir = tmp();
  writeFileSync(join(dir, 'sales.csv'), salesCsv(days, 1, change));
  writeFileSync(join(dir, 'lead_times.csv'), 'sku,lead_time_days,lead_time_sd_days\nA,3,\nB,4,1.5\nZ,5,\n');
  return dir;
}

const REPLAN = ['stock', 'backtest', '--data', 'sales.csv', '--lead-times', 'lead_times.csv', '--from', '2024-04-01', '--replan', '7d', '--paths', '500', '--forecaster', 'moving_average'];

describe('the replay state', () => {
  it('replaying a window in segments, state carried, is the one-piece replay', () => {
    const rand = mulberry32(3);
    const demand = Float64Array.from({ length: 60 }, () => Math.floor(rand() * 12));
    for (const unmet of ['lost', 'backorder'] as const) {
      const whole = replaySku({ demand, reorderPoint: 25, orderUpTo: 70, opening: { onHand: 30, onOrder: 10, backorders: 3 }, leadTime: skuLeadTimeSampler(7, 'X', { mean: 4, sd: 2 }), unmet, reviewPeriod: 3 });
      const state = new SkuReplayState({ onHand: 30, onOrder: 10, backorders: 3 }, unmet, skuLeadTimeSampler(7, 'X', { mean: 4, sd: 2 }), 3);
      for (const [a, b] of [[0, 7], [7, 8], [8, 30], [30, 60]]) for (let t = a!; t < b!; t++) state.step(demand[t]!, 25, 70);
      expect(state.metrics()).toEqual(whole.metrics);
      expect(state.day).toBe(60);
    }
  });

  it('the snapshot lists the pipeline with arrival days', () => {
    const state = new SkuReplayState({ onHand: 5 }, 'backorder', () => 4);
    state.step(3, 10, 30); // position 2 <= 10: order 28, arrives on day 4
    state.step(4, 10, 30); // 2 - 4: 2 served, 2 backordered; position 28 > 10
    expect(state.snapshot()).toEqual({ onHand: 0, backlog: 2, pipeline: [{ day: 4, qty: 28 }] });
  });
});

describe('the exposure of an order in the day-by-day replay', () => {
  const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0) / a.length;
  it('undershoot: half a day when every day sells the same, a full day when the daily cv is 1, half a day without sales', () => {
    const flat = undershootDays(new Float64Array(91).fill(10), mulberry32(1), 4000);
    expect(Math.min(...flat)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...flat)).toBeLessThan(1);
    expect(mean(flat)).toBeCloseTo(0.5, 1);
    // days of 0 and 20: mean 10, E[d^2] / (2 E[d] mean) = 200 / 200 = 1
    const lumpy = undershootDays(Float64Array.from({ length: 90 }, (_, i) => (i % 2 === 0 ? 0 : 20)), mulberry32(2), 4000);
    expect(mean(lumpy)).toBeCloseTo(1, 1);
    expect(mean(undershootDays([], mulberry32(3), 100))).toBeCloseTo(0.5, 5);
  });
  it('(s,Q): L - 1 + undershoot; (R,S): R + L - 1 is left to the policy, the lead part is L - 1', () => {
    const u = undershootDays(new Float64Array(91).fill(10), mulberry32(4), 256);
    const sq = replayExposure({ mean: 7, sd: 0 }, { kind: 'sQ' }, mulberry32(5), u);
    expect(sq.mean).toBeCloseTo(6 + mean(u), 10);
    expect(Math.min(...sq.samples!)).toBeGreaterThanOrEqual(6);
    const rs = replayExposure({ mean: 7, sd: 0 }, { kind: 'RS', review: 7 }, mulberry32(5), u);
    expect(new Set(rs.samples)).toEqual(new Set([6]));
    // a random lead time: whole days as the replay draws them, minus one
    const g = replayExposure({ mean: 7, sd: 3 }, { kind: 'RS', review: 7 }, mulberry32(6), new Float64Array(2000));
    expect(Array.from(g.samples!).every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    expect(g.mean).toBeGreaterThan(5.6);
    expect(g.mean).toBeLessThan(6.4);
  });
});

describe('simulateSkuLevels', () => {
  it('gives, for each target, what simulateSku gives at that target', () => {
    const mean = new Float64Array(30).fill(10);
    const sd = new Float64Array(30).fill(4);
    const input = { sku: 'S', demand: { mean, sd }, lead: { mean: 6, sd: 2 } };
    const cfg: SimConfig = { paths: 2000, seed: 5, serviceLevel: 0.9, serviceType: 'cycle', policy: { kind: 'sQ' }, demandDist: 'auto' };
    const levels = [0.8, 0.95, 0.99];
    const many = simulateSkuLevels(input, cfg, levels);
    levels.forEach((serviceLevel, k) => expect(many[k]).toEqual(simulateSku(input, { ...cfg, serviceLevel })));
    expect(many[0]!.reorderPoint).toBeLessThan(many[2]!.reorderPoint);
  });
});

describe('runReplan', () => {
  const start = parseDay('2024-01-01');
  const rand = mulberry32(11);
  const data = makeSalesData('D', [], [
    { sku: 'A', start, units: Array.from({ length: 90 }, () => 5 + Math.floor(rand() * 10)) },
    { sku: 'B', start, units: Array.from({ length: 90 }, () => Math.floor(rand() * 4)) },
  ]);
  const leadTimes = new Map([['A', { mean: 3, sd: 0 }], ['B', { mean: 5, sd: 2 }]]);
  const sim = { paths: 400, serviceType: 'cycle' as const, policy: { kind: 'sQ' as const }, demandDist: 'auto' as const };

  it('a forecast that never changes gives the policy of a static backtest, replayed byte for byte', async () => {
    // sd 0 and fixed forecasts: every replan makes the same policy (ROP = mean * L, Q = 25).
    const flat: ReplanForecaster = {
      name: 'flat',
      predict: async (history, _o, horizon) => new Map(history.series.map((s) => [s.sku, { mean: new Float64Array(horizon).fill(s.sku === 'A' ? 10 : 2), sd: new Float64Array(horizon) }])),
    };
    const from = start + 60;
    const to = start + 89;
    const fixedLead = new Map([['A', { mean: 3, sd: 0 }], ['B', { mean: 5, sd: 0 }]]);
    const replanned = await runReplan({ data, from, to, every: 7, forecaster: flat, horizon: 14, leadTimes: fixedLead, serviceLevels: [0.95], sim: { ...sim, orderQty: 25 }, seed: 9, unmet: 'lost', recordPlans: true, exposure: 'simulate' });
    const plans = replanned.plans!;
    expect(new Set(plans.map((p) => `${p.sku}:${p.reorderPoint}:${p.orderUpTo}`))).toEqual(new Set(['A:30:55', 'B:10:35']));
    const policies = [{ sku: 'A', reorderPoint: 30, orderUpTo: 55, leadTimeMean: 3, leadTimeSd: 0 }, { sku: 'B', reorderPoint: 10, orderUpTo: 35, leadTimeMean: 5, leadTimeSd: 0 }];
    const fixed = runBacktest({ data, policies: [{ name: 'p', policies }], leadTimes: fixedLead, from, to, unmet: 'lost', seed: 9 });
    expect(replanned.outcomes[0]!.perSku.map(({ avgValue: _, ...m }) => m)).toEqual(fixed.outcomes[0]!.perSku);
    expect(fixed.outcomes[0]!.totals.orders).toBeGreaterThan(8); // orders crossed replan dates
    expect(replanned.replans).toEqual([from, from + 7, from + 14, from + 21, from + 28]);
  });

  it('plans are made from the history strictly before each replan date', async () => {
    const seen: { origin: number; last: number }[] = [];
    const spy: ReplanForecaster = {
      name: 'spy',
      predict: async (history, origin, horizon) => {
        let last = -Infinity;
        for (const s of history.series) last = Math.max(last, s.start + s.units.length - 1);
        seen.push({ origin, last });
        return new Map(history.series.map((s) => [s.sku, { mean: new Float64Array(horizon).fill(3), sd: new Float64Array(horizon).fill(1) }]));
      },
    };
    const from = start + 50;
    await runReplan({ data, from, to: from + 20, every: 10, forecaster: spy, horizon: 7, leadTimes, serviceLevels: [0.9], sim, seed: 1, unmet: 'lost' });
    expect(seen).toEqual([0, 10, 20].map((k) => ({ origin: from + k - 1, last: from + k - 1 })));
    // weekly: the week dated D covers D .. D + 6, so it is history only from D + 7 on
    const weekly = makeSalesData('W', [], [{ sku: 'W', start, units: [1, 2, 3, 4] }]);
    expect(historyBefore(weekly, start + 20).series[0]!.units).toEqual(Float64Array.from([1, 2]));
    expect(historyBefore(weekly, start + 21).series[0]!.units).toEqual(Float64Array.from([1, 2, 3]));
  });

  it('same seed -> identical results; the classic policy sees the same lead-time draws', async () => {
    const fc = (): ReplanForecaster => ({
      name: 'm',
      predict: async (history, _o, horizon) => new Map(history.series.map((s) => {
        const recent = s.units.subarray(Math.max(0, s.units.length - 14));
        const m = recent.reduce((a, b) => a + b, 0) / recent.length;
        return [s.sku, { mean: new Float64Array(horizon).fill(m), sd: new Float64Array(horizon).fill(Math.sqrt(m + 1)) }];
      })),
    });
    const run = () => runReplan({ data, from: start + 40, to: start + 89, every: 7, forecaster: fc(), horizon: 14, leadTimes, serviceLevels: [0.8, 0.98], sim, seed: 3, unmet: 'lost', classic: {} });
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a.outcomes.map((o) => `${o.name}@${o.serviceLevel}`)).toEqual(['mc-m@0.8', 'mc-m@0.98', 'classic@0.8', 'classic@0.98']);
    // a higher target holds more stock, for both policies
    expect(a.outcomes[1]!.totals.avgOnHand).toBeGreaterThan(a.outcomes[0]!.totals.avgOnHand);
    expect(a.outcomes[3]!.totals.avgOnHand).toBeGreaterThan(a.outcomes[2]!.totals.avgOnHand);
  });
});

describe('spread calibration', () => {
  // 20 SKUs of i.i.d. normal daily demand, mean 50, sd 30 (truncated at 0); a forecaster with the right mean.
  const start = parseDay('2024-01-01');
  const rand = mulberry32(21);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const skus = Array.from({ length: 20 }, (_, i) => `S${String(i).padStart(2, '0')}`);
  const data = makeSalesData('D', [], skus.map((sku) => ({ sku, start, units: Array.from({ length: 200 }, () => Math.max(0, 50 + 30 * normal())) })));
  const leadTimes = new Map(skus.map((s) => [s, { mean: 5, sd: 0 }]));
  const sim = { paths: 400, serviceType: 'cycle' as const, policy: { kind: 'sQ' as const }, demandDist: 'normal' as const };
  const withSd = (sd: number): ReplanForecaster => ({ name: 'f', predict: async (h, _o, horizon) => new Map(h.series.map((s) => [s.sku, { mean: new Float64Array(horizon).fill(50), sd: new Float64Array(horizon).fill(sd) }])) });
  const run = (sd: number) => runReplan({ data, from: start + 120, to: start + 199, every: 7, forecaster: withSd(sd), horizon: 14, leadTimes, serviceLevels: [0.95], sim, seed: 1, unmet: 'lost', calibration: { warmup: 4, window: 13 } });

  it('a forecast sd 3x too narrow gets a factor near 3; a right one near 1; the first factor uses only the warm-up errors', async () => {
    for (const [sd, expected] of [[10, 3], [30, 1]] as const) {
      const r = await run(sd);
      expect(r.calibration.length).toBe(r.replans.length);
      // 20 SKUs x >= 3 closed origins: the RMS of >= 60 errors, relative se about 1/sqrt(120) = 9%
      for (const c of r.calibration) {
        expect(c.errors).toBeGreaterThanOrEqual(60);
        expect(c.factor).toBeGreaterThan(expected * 0.75);
        expect(c.factor).toBeLessThan(expected * 1.25);
      }
    }
  });

  it('the calibrated policy reaches its cycle service target where the narrow one falls short', async () => {
    const narrow = await runReplan({ data, from: start + 120, to: start + 199, every: 7, forecaster: withSd(10), horizon: 14, leadTimes, serviceLevels: [0.95], sim, seed: 1, unmet: 'lost' });
    const fixed = await run(10);
    expect(narrow.outcomes[0]!.totals.cycleServiceLevel).toBeLessThan(0.88);
    expect(fixed.outcomes[0]!.totals.cycleServiceLevel).toBeGreaterThan(0.92);
    expect(fixed.outcomes[0]!.totals.cycles).toBeGreaterThanOrEqual(40);
  });

  it("without calibration a model's error correlation widens the lead-time demand, as stock simulate does; calibrated, it is not counted twice", async () => {
    const base = { data, from: start + 120, to: start + 199, every: 7, horizon: 14, leadTimes, serviceLevels: [0.95], sim, seed: 1, unmet: 'lost' as const };
    const narrow = await runReplan({ ...base, forecaster: withSd(10) });
    // rho 1 over a 5-day lead time: every daily sd x sqrt(1 + 4), 10 -> 22.4.
    const corr = await runReplan({ ...base, forecaster: { ...withSd(10), errorCorr: 1 } });
    const wide = await runReplan({ ...base, forecaster: withSd(10 * Math.sqrt(5)) });
    expect(corr.outcomes[0]!.totals).toEqual(wide.outcomes[0]!.totals);
    expect(corr.outcomes[0]!.totals.cycleServiceLevel).toBeGreaterThan(narrow.outcomes[0]!.totals.cycleServiceLevel + 0.03);
    const calibrated = await runReplan({ ...base, forecaster: { ...withSd(10), errorCorr: 1 }, calibration: { warmup: 4, window: 13 } });
    expect(calibrated.outcomes[0]!.totals).toEqual((await run(10)).outcomes[0]!.totals);
  });
});

describe('stock backtest --replan (CLI)', () => {
  it('no look-ahead: changing the sales from date D on leaves every plan made before D byte-identical', async () => {
    const D = '2024-04-20';
    const plans = async (change?: { from: string; factor: number }) => {
      const dir = fixture(150, change);
      const out = join(dir, 'plans.csv');
      const r = await runCli([...REPLAN, '--forecaster', 'ets', '--baseline', 'classic', '--service-levels', '0.9,0.98', '--plans', out], { cwd: dir });
      expect(r.code).toBe(0);
      return readFileSync(out, 'utf8').trim().split('\n').slice(1);
    };
    const base = await plans();
    const changed = await plans({ from: D, factor: 3 });
    const before = (rows: string[]) => rows.filter((l) => l.slice(0, 10) < D);
    const after = (rows: string[]) => rows.filter((l) => l.slice(0, 10) >= D);
    expect(before(base).length).toBeGreaterThan(0);
    expect(before(changed)).toEqual(before(base));
    // ... and the test can fail: plans made after D do see the change
    expect(after(changed)).not.toEqual(after(base));
  }, 60_000);

  it('frontier summary: one row per policy and target, service_level_target and avg_inventory_value at the end', async () => {
    const dir = fixture();
    const perSku = join(dir, 'per-sku.csv');
    const r = await runCli([...REPLAN, '--baseline', 'classic', '--service-levels', '0.8,0.95', '--per-sku', perSku], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('policy,skus,demand,served,unmet,fill_rate,cycle_service_level,stockout_days,stockout_rate,avg_on_hand,orders,service_level_target,avg_inventory_value');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((x) => `${x[0]}@${x[11]}`)).toEqual(['mc-moving_average@0.8', 'mc-moving_average@0.95', 'classic@0.8', 'classic@0.95']);
    for (const x of rows) {
      expect(x[1]).toBe('3');
      expect(x.every((c) => c !== '' && c !== 'NaN')).toBe(true);
      expect(Number(x[12])).toBeGreaterThan(Number(x[9])); // every price is above 1
    }
    const skuLines = readFileSync(perSku, 'utf8').trim().split('\n');
    expect(skuLines[0]).toBe('sku,demand,served,unmet,fill_rate,cycle_service_level,stockout_days,avg_on_hand,orders,service_level_target,avg_inventory_value');
    expect(skuLines.slice(1).map((l) => l.split(',')[0] + '@' + l.split(',')[9])).toEqual(['A@0.8', 'B@0.8', 'Z@0.8', 'A@0.95', 'B@0.95', 'Z@0.95']);
    expect(r.stderr).toMatch(/replanned every 7 day\(s\) with moving_average/);
  }, 60_000);

  it('--replan 1w on daily data is every 7 days; a bare number is periods of the data', async () => {
    const dir = fixture(120);
    const a = await runCli([...REPLAN.slice(0, -2), '--forecaster', 'moving_average', '--replan', '1w'], { cwd: dir });
    const b = await runCli([...REPLAN.slice(0, -2), '--forecaster', 'moving_average', '--replan', '7'], { cwd: dir });
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toMatch(/5 replan\(s\) every 7 day\(s\)/);
  }, 60_000);

  it('the worker count does not change the result (built binary)', () => {
    if (!existsSync(join(BIN, '../../dist/src/simulation/montecarlo/pool-worker.js'))) return; // npm test builds first
    const dir = fixture(120);
    const args = [...REPLAN, '--baseline', 'classic', '--service-levels', '0.9,0.95'];
    const one = runBin([...args, '--workers', '1'], { cwd: dir });
    const two = runBin([...args, '--workers', '2'], { cwd: dir });
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toMatch(/2 worker thread/);
  }, 60_000);

  it('bad command lines exit 2 with a message', async () => {
    const dir = fixture(60);
    const cases: [string[], RegExp][] = [
      [['stock', 'backtest', '--data', 'sales.csv', '--lead-times', 'lead_times.csv', '--from', '2024-02-01'], /required option '--policy <file>'/],
      [['stock', 'backtest', '--data', 'sales.csv', '--policy', 'p.csv', '--from', '2024-02-01', '--forecaster', 'ets'], /--forecaster only apply with --replan/],
      [[...REPLAN, '--policy', 'p.csv'], /--policy cannot be used with --replan/],
      [[...REPLAN.slice(0, -2), '--replan', 'weekly'], /--replan: expected a number of days/],
      [[...REPLAN, '--service-levels', '0.9,1.2'], /--service-levels: expected a number < 1/],
      [[...REPLAN.slice(0, -2), '--model', 'm', '--retrain-every', '2'], /--retrain-every applies to --forecaster/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv, { cwd: dir });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});

describe('stock backtest --replan --model (a trained LSTM, loaded once)', () => {
  it('replans with the model and the actual plan covariates; plans before D ignore sales from D on', async () => {
    const dir = tmp();
    const data = syntheticSales({ freq: 'W', skus: 4, periods: 80, seed: 5 });
    const csv = (factor: number, fromDay: number) => {
      const lines = ['date,sku,units,price,promo,holiday'];
      for (const s of data.series) {
        for (let i = 0; i < s.units.length; i++) {
          const day = s.start + i * data.step;
          const u = Number.isNaN(s.units[i]!) ? '' : String(day >= fromDay ? Math.round(s.units[i]! * factor) : s.units[i]);
          lines.push([formatDay(day), s.sku, u, ...s.covariates.map((c) => String(c[i]))].join(','));
        }
      }
      return `${lines.join('\n')}\n`;
    };
    const first = data.series[0]!.start;
    const from = first + 66 * 7;
    const D = from + 5 * 7;
    writeFileSync(join(dir, 'sales.csv'), csv(1, D));
    writeFileSync(join(dir, 'changed.csv'), csv(2, D));
    writeFileSync(join(dir, 'train.csv'), csv(1, D).split('\n').filter((l, i) => i === 0 || (l !== '' && parseDay(l.slice(0, 10)) < from)).join('\n') + '\n');
    writeFileSync(join(dir, 'lead_times.csv'), `sku,lead_time_days,lead_time_sd_days\n${data.series.map((s) => `${s.sku},7,2`).join('\n')}\n`);
    const train = await runCli(['forecast', 'train', '--data', join(dir, 'train.csv'), '--model', join(dir, 'model'), '--horizon', '4', '--ensemble', '1', '--window', '8', '--units', '8', '--epochs', '2', '--samples-per-epoch', '256', '--batch-size', '64', '--backend', 'wasm', '--seed', '3'], { cwd: dir });
    expect(train.code, train.stderr).toBe(0);
    const plans = async (file: string) => {
      const out = join(dir, `plans-${file}`);
      const r = await runCli(['stock', 'backtest', '--data', file, '--lead-times', 'lead_times.csv', '--from', formatDay(from), '--replan', '1w', '--model', 'model', '--backend', 'wasm', '--baseline', 'classic', '--service-levels', '0.9,0.95', '--paths', '500', '--plans', out], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n').slice(1, 3).map((l) => l.split(',')[0])).toEqual(['mc-model', 'mc-model']);
      return readFileSync(out, 'utf8').trim().split('\n').slice(1);
    };
    const base = await plans('sales.csv');
    const changed = await plans('changed.csv');
    const cut = formatDay(D);
    expect(base.filter((l) => l.slice(0, 10) < cut).length).toBe(5 * 2 * 2 * 4); // 5 replans x 2 policies x 2 targets x 4 SKUs
    expect(changed.filter((l) => l.slice(0, 10) < cut)).toEqual(base.filter((l) => l.slice(0, 10) < cut));
    expect(changed.filter((l) => l.slice(0, 10) >= cut)).not.toEqual(base.filter((l) => l.slice(0, 10) >= cut));
  }, 120_000);
});

describe('--replan options', () => {
  it('parses EVERY', () => {
    expect(parseEvery('7d')).toEqual({ count: 7, unit: 'd' });
    expect(parseEvery('2w')).toEqual({ count: 2, unit: 'w' });
    expect(parseEvery('3')).toEqual({ count: 3, unit: 'p' });
    for (const bad of ['0', '-1', '1.5d', 'w', '7x']) expect(() => parseEvery(bad)).toThrow(UsageError);
  });
  it('defaults: ets, the single --service-level, 10000 paths', () => {
    const o = backtestSpec.parse({ data: 's.csv', from: '2024-02-01', replan: '7d', leadTimes: 'l.csv', serviceLevel: '0.9' });
    expect(o.replan).toMatchObject({ every: { count: 7, unit: 'd' }, forecaster: 'ets', serviceLevels: [0.9], paths: 10000, serviceType: 'cycle', demandDist: 'auto' });
    expect(backtestSpec.parse({ data: 's.csv', policy: 'p.csv', from: '2024-02-01' }).replan).toBeUndefined();
  });
});
