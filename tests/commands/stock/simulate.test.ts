/** `stock simulate` through the CLI: argv -> options, and in-process runs on small files. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli.js';
import type { SimulateOptions } from '../../../src/commands/stock/simulate.options.js';
import { runCli } from '../../helpers/cli.js';

const FIX = 'tests/fixtures/simulate';
// The contract columns (unchanged), then which policy it is (added at the end, CHANGELOG.md).
const HEADER = 'sku,lead_time_mean,lead_time_sd,demand_mean,demand_sd,safety_stock,reorder_point,order_up_to,service_level_target,cycle_service_level,fill_rate,paths,policy,review_period';

async function parse(args: string[]): Promise<SimulateOptions> {
  let got: unknown;
  const sink = { write: () => true };
  const program = buildProgram({ stdout: sink, stderr: sink, stdin: process.stdin, env: {}, cwd: '.' }, async (inv) => {
    got = inv.options;
  });
  await program.parseAsync(['stock', 'simulate', ...args], { from: 'user' });
  return got as SimulateOptions;
}

async function parseError(args: string[]): Promise<string> {
  try {
    await parse(args);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('argv -> options', () => {
  it('defaults', async () => {
    expect(await parse(['--forecast', 'f.csv', '--lead-time', '9'])).toEqual({
      forecast: 'f.csv',
      skuCol: 'sku',
      dateCol: 'date',
      forecastCol: 'forecast',
      intervalCols: undefined,
      intervalLevel: 80,
      point: 'auto',
      leadTimes: undefined,
      leadTime: 9,
      leadTimeSd: 0,
      serviceLevel: 0.95,
      serviceType: 'cycle',
      validDays: 'forecast',
      orderQty: undefined,
      orderCost: undefined,
      holdingCost: undefined,
      reviewPeriod: undefined,
      paths: 10_000,
      seed: 42,
      workers: undefined,
      shard: undefined,
      demandDist: 'auto',
      extendHorizon: undefined,
      delimiter: ',',
      decimal: '.',
      output: {},
      dateFormat: 'YYYY-MM-DD',
      freq: undefined,
      out: undefined,
      format: undefined,
      escapeFormulas: false,
    });
  });

  it('every option', async () => {
    const o = await parse([
      '--forecast', '-', '--lead-times', 'lt.csv', '--lead-time', '5', '--lead-time-sd', '1.5', '--service-level', '0.98',
      '--service-type', 'fill', '--order-cost', '8', '--holding-cost', '0.225', '--review-period', '7', '--paths', '2000',
      '--seed', '7', '--workers', '2', '--shard', '1/4', '--demand-dist', 'negbin', '--extend-horizon', 'repeat-last',
      '--delimiter', ';', '--date-format', 'DD.MM.YYYY', '--freq', 'w', '--out', 'p.csv', '--format', 'json',
    ]);
    expect(o).toMatchObject({
      forecast: '-', leadTimes: 'lt.csv', leadTime: 5, leadTimeSd: 1.5, serviceLevel: 0.98, serviceType: 'fill', orderCost: 8,
      holdingCost: 0.225, reviewPeriod: 7, paths: 2000, seed: 7, workers: 2, shard: { index: 1, count: 4 }, demandDist: 'negbin',
      extendHorizon: 'repeat-last', delimiter: ';', dateFormat: 'DD.MM.YYYY', freq: 'W', out: 'p.csv', format: 'json',
    });
  });

  it.each([
    [['--forecast', 'f'], /either --lead-times FILE or --lead-time DAYS/],
    [['--forecast', 'f', '--lead-times', 'l', '--lead-time-sd', '2'], /--lead-time-sd needs --lead-time/],
    [['--forecast', 'f', '--lead-time', '9', '--service-level', '95'], /--service-level: expected a number < 1/],
    [['--forecast', 'f', '--lead-time', '9', '--service-level', '1e-1'], /--service-level: expected a decimal number/],
    [['--forecast', 'f', '--lead-time', '9', '--service-type', 'beta'], /--service-type: expected one of cycle, fill/],
    [['--forecast', 'f', '--lead-time', '9', '--order-cost', '8'], /--order-cost and --holding-cost go together/],
    [['--forecast', 'f', '--lead-time', '9', '--review-period', '2.5'], /--review-period: expected a whole number/],
    [['--forecast', 'f', '--lead-time', '9', '--valid-days', '0'], /--valid-days/],
    [['--forecast', 'f', '--lead-time', '9', '--paths', '10'], /--paths: expected a number >= 100/],
    [['--forecast', 'f', '--lead-time', '9', '--workers', '0'], /--workers: expected a number >= 1/],
    [['--forecast', 'f', '--lead-time', '9', '--shard', '2/2'], /--shard: expected K\/N with 0 <= K < N/],
    [['--forecast', 'f', '--lead-time', '9', '--shard', '1'], /--shard: expected K\/N/],
    [['--forecast', 'f', '--lead-time', '9', '--demand-dist', 'poisson'], /--demand-dist: expected one of auto, normal, gamma, negbin/],
    [['--forecast', 'f', '--lead-time', '9', '--extend-horizon', 'zero'], /--extend-horizon: expected one of repeat-last/],
    [['--forecast', 'f', '--lead-time', '0', '--lead-time-sd', '1'], /random lead time needs --lead-time above 0/],
    [['--forecast', 'f', '--lead-time', '9', '--error-corr', '1.5'], /--error-corr/],
  ])('%j -> usage error', async (args, message) => {
    expect(await parseError(args)).toMatch(message);
  });
});

describe('stock simulate, in-process', () => {
  const base = ['stock', 'simulate', '--forecast', `${FIX}/normal.csv`, '--paths', '500', '--workers', '1'];

  it('writes the contract columns, sorted by sku, CSV when not on a terminal', async () => {
    const r = await runCli([...base, '--lead-time', '9']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['A', 'B', 'C', 'D']);
    // D: 50/day, sd 0, 9 days: exact; default Q = 30 days of demand.
    expect(lines[4]).toBe('D,9,0,450,0,0,450,1950,0.95,1,1,500,sQ,0');
    expect(r.stderr).toMatch(/simulated 4 SKU\(s\) x 500 paths .* on the main thread; demand: normal 2, negbin 1, gamma 1/);
  });

  it('a table on a terminal, JSON on request', async () => {
    const t = await runCli([...base, '--lead-time', '9'], { tty: true });
    expect(t.stdout).toMatch(/│ sku │ lead_time_mean │/);
    const j = await runCli([...base, '--lead-time', '9', '--format', 'json']);
    const rows = JSON.parse(j.stdout) as Record<string, unknown>[];
    expect(Object.keys(rows[0]!)).toEqual(HEADER.split(','));
    expect(rows[3]).toMatchObject({ sku: 'D', reorder_point: 450, order_up_to: 1950 });
  });

  it('lead-time file with order_qty and observed lead times; --lead-time is the default for the rest', async () => {
    const r = await runCli([...base, '--lead-times', `${FIX}/lead-times.csv`, '--lead-time', '2']);
    expect(r.code).toBe(0);
    const rows = new Map(r.stdout.trim().split('\n').slice(1).map((l) => [l.split(',')[0], l.split(',')]));
    expect(rows.get('A')!.slice(1, 3)).toEqual(['9', '2']);
    expect(Number(rows.get('A')![7]) - Number(rows.get('A')![6])).toBe(500); // order_qty column
    expect(rows.get('C')!.slice(1, 3)).toEqual(['6', '1.633']);
    expect(rows.get('D')!.slice(1, 8)).toEqual(['2', '0', '100', '0', '0', '100', '1600']);
  });

  it('(R,S): order_up_to = reorder_point = S over R + L', async () => {
    const r = await runCli([...base, '--lead-time', '9', '--review-period', '7']);
    expect(r.stdout.trim().split('\n')[4]).toBe('D,9,0,800,0,0,800,800,0.95,1,1,500,RS,7');
  });

  it('--valid-days: a policy in force longer needs a forecast that long, and never protects less', async () => {
    const one = await runCli([...base, '--lead-time', '9', '--valid-days', '1']);
    const week = await runCli([...base, '--lead-time', '9', '--valid-days', '7']);
    expect(week.code).toBe(0);
    const rop = (out: string) => out.trim().split('\n').slice(1).map((l) => Number(l.split(',')[3]));
    rop(week.stdout).forEach((r, i) => expect(r).toBeGreaterThanOrEqual(rop(one.stdout)[i]! * 0.97));
    const long = await runCli([...base, '--lead-time', '9', '--valid-days', '400']);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/the protection interval needs 408/);
    expect(long.stdout).toBe('');
  });

  it("correlated forecast errors (the file's error_corr, or --error-corr) widen the lead-time demand; --error-corr 0 turns it off", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulate-corr-'));
    const plain = readFileSync(`${FIX}/normal.csv`, 'utf8').trimEnd().split('\n');
    const withCorr = join(dir, 'forecast.csv');
    writeFileSync(withCorr, [`${plain[0]},error_corr`, ...plain.slice(1).map((l) => `${l},0.1`)].join('\n') + '\n');
    const sd = (out: string) => new Map(out.trim().split('\n').slice(1).map((l) => [l.split(',')[0], Number(l.split(',')[4])]));
    const independent = await runCli([...base, '--lead-time', '9']);
    const corr = await runCli(['stock', 'simulate', '--forecast', withCorr, '--paths', '500', '--workers', '1', '--lead-time', '9']);
    expect(corr.code).toBe(0);
    // A: 100/day, sd 20, 9 days: sd of the sum 60 independent, 60 * sqrt(1 + 8 * 0.1) correlated.
    expect(sd(independent.stdout).get('A')).toBeCloseTo(60, -1);
    expect(sd(corr.stdout).get('A')! / sd(independent.stdout).get('A')!).toBeCloseTo(Math.sqrt(1.8), 1);
    // D has sd 0: nothing to widen, and not counted; the other three are.
    expect(sd(corr.stdout).get('D')).toBe(0);
    expect(corr.stderr).toMatch(/forecast errors correlated between periods \(error_corr column 0\.100\): the lead-time demand of 3 SKU\(s\) widened x1\.342/);
    const off = await runCli(['stock', 'simulate', '--forecast', withCorr, '--paths', '500', '--workers', '1', '--lead-time', '9', '--error-corr', '0']);
    expect(off.stdout).toBe(independent.stdout);
    expect(off.stderr).not.toMatch(/correlated/);
    const forced = await runCli([...base, '--lead-time', '9', '--error-corr', '0.1']);
    expect(forced.stdout).toBe(corr.stdout);
    expect(forced.stderr).toMatch(/\(--error-corr 0\.100\)/);
  });

  it("--valid-days forecast (the default): each SKU's policy protects every day its forecast covers (the same bytes as that many days given)", async () => {
    // 28 forecast days, a 9-day lead time: intervals can start on days 0 .. 19.
    const auto = await runCli([...base, '--lead-time', '9', '--valid-days', 'forecast']);
    expect(auto.code).toBe(0);
    expect(auto.stdout).toBe((await runCli([...base, '--lead-time', '9', '--valid-days', '20'])).stdout);
    expect(auto.stderr).toMatch(/each policy protects orders leaving on any of the 20 day\(s\) its SKU's forecast covers \(--valid-days forecast; a policy replaced every night: --valid-days 1\)/);
    // The default.
    expect((await runCli([...base, '--lead-time', '9'])).stdout).toBe(auto.stdout);
    // A random lead time keeps three sds of room: 9 + 3 x 2 = 15 days, so 14 start days.
    const random = await runCli([...base, '--lead-time', '9', '--lead-time-sd', '2', '--valid-days', 'forecast']);
    expect(random.stdout).toBe((await runCli([...base, '--lead-time', '9', '--lead-time-sd', '2', '--valid-days', '14'])).stdout);
    const bad = await runCli([...base, '--lead-time', '9', '--valid-days', 'all']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--valid-days: expected a whole number, got "all", or forecast/);
  });

  it('SKUs without a lead time: exit 2, listed', async () => {
    const r = await runCli([...base, '--lead-times', `${FIX}/lead-times.csv`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/1 SKU\(s\) of .*normal\.csv have no lead time: D/);
    expect(r.stdout).toBe('');
  });

  it('a horizon shorter than the protection interval: exit 2 naming the SKUs, unless extended', async () => {
    const r = await runCli([...base, '--lead-time', '20', '--review-period', '14']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/4 SKU\(s\) have a forecast shorter than their protection interval/);
    expect(r.stderr).toMatch(/SKU A: the forecast covers 28 day\(s\), the protection interval needs 34/);
    expect(r.stderr).toMatch(/forecast at least \d+ days ahead \(retrain with a longer `forecast train --horizon`, then predict again\), or pass --extend-horizon repeat-last/);
    expect(r.stderr).toMatch(/--extend-horizon repeat-last/);
    const ok = await runCli([...base, '--lead-time', '20', '--review-period', '14', '--extend-horizon', 'repeat-last']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n')[4]).toBe('D,20,0,1700,0,0,1700,1700,0.95,1,1,500,RS,14');
  });

  it('random lead times may run past the forecast: a warning with the share of paths', async () => {
    const r = await runCli([...base, '--lead-time', '20', '--lead-time-sd', '6']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: 4 SKU\(s\) have lead-time draws longer than their forecast; those paths reuse the last forecast day \(worst: \w, \d+\.\d% of paths\).*; retrain with a longer `forecast train --horizon`.*or pass --extend-horizon repeat-last/);
    const quiet = await runCli([...base, '--lead-time', '20', '--lead-time-sd', '6', '--extend-horizon', 'repeat-last']);
    expect(quiet.stderr).not.toMatch(/warning/);
    expect(quiet.stdout).toBe(r.stdout);
  });

  it('a table fits the terminal on stdout; a table written to --out keeps every column', async () => {
    const narrow = await runCli([...base, '--lead-time', '9'], { tty: true, columns: 70 });
    expect(narrow.code).toBe(0);
    expect(narrow.stdout).toMatch(/column(s)? not shown at this width/);
    for (const line of narrow.stdout.split('\n').filter((l) => l.startsWith('│'))) expect(line.length).toBeLessThanOrEqual(70);
    const dir = mkdtempSync(join(tmpdir(), 'stockcast-width-'));
    const file = join(dir, 'policy.txt');
    const toFile = await runCli([...base, '--lead-time', '9', '--format', 'table', '--out', file], { tty: true, columns: 70 });
    expect(toFile.code).toBe(0);
    const written = readFileSync(file, 'utf8');
    expect(written).not.toMatch(/not shown at this width/);
    expect(written).toMatch(/service_level_target/);
  });

  it('a few tail draws past the forecast (under 1% of paths) are an info line, not a warning', async () => {
    const r = await runCli([...base, '--lead-time', '16', '--lead-time-sd', '4']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/SKU\(s\) have lead-time draws longer than their forecast; those paths reuse the last forecast day \(worst: \w, 0\.\d% of paths\)/);
    expect(r.stderr).not.toMatch(/^warning:/m);
  });

  it('weekly forecasts from stdin are spread to days', async () => {
    const csv = 'sku,date,forecast,sd\nW,2024-01-01,350,0\nW,2024-01-08,350,0\n';
    const r = await runCli(['stock', 'simulate', '--forecast', '-', '--lead-time', '10', '--paths', '100'], { stdin: csv });
    expect(r.stdout.trim().split('\n')[1]).toBe('W,10,0,500,0,0,500,2000,0.95,1,1,100,sQ,0');
  });

  it('malformed input: exit 2, file:line:column, the previous output untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
    const out = join(dir, 'policy.csv');
    writeFileSync(out, 'previous good output\n');
    const r = await runCli(['stock', 'simulate', '--forecast', `${FIX}/forecast-bad.csv`, '--lead-time', '3', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/forecast-bad\.csv:3:3: forecast: out of range/);
    expect(r.stderr).toMatch(/forecast-bad\.csv:4:4: sd: not a number/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readFileSync(out, 'utf8')).toBe('previous good output\n');
    const lt = await runCli(['stock', 'simulate', '--forecast', `${FIX}/normal.csv`, '--lead-times', `${FIX}/lead-times-bad.csv`, '--out', out]);
    expect(lt.code).toBe(2);
    expect(lt.stderr).toMatch(/lead-times-bad\.csv:2:2: lead_time_days: out of range/);
    expect(readFileSync(out, 'utf8')).toBe('previous good output\n');
  });

  it('--out writes the file and nothing to stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
    const out = join(dir, 'policy.csv');
    const r = await runCli([...base, '--lead-time', '9', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(HEADER);
  });
});
