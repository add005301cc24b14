/**
 * Forecasts from other tools into `stock simulate`: column options, the sd derived from an interval
 * (statsforecast's `<model>-lo-N`/`-hi-N`, p10/p90, --interval-cols), and midnight timestamps as
 * dates in every reader (forecast, lead times through readTable; sales through the sales reader).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { momentsFromMedian, normInv } from '../../src/core/stats.js';
import { runCli } from '../helpers/cli.js';

const STATSFORECAST = 'tests/fixtures/interop/statsforecast-autoets.csv';
const SIM = ['stock', 'simulate', '--lead-time', '7', '--paths', '500', '--workers', '1'];

function tmp(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stockcast-interop-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The rows of a CSV as objects (the fixture is plain: no quotes). */
function rows(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
}

/** The same forecasts in stockcast's own format, with sd = (hi - lo) / (2 z) worked out here. */
function ownFormat(list: { sku: string; date: string; forecast: string; lo: string; hi: string }[], level: number): string {
  const z = normInv((1 + level / 100) / 2);
  const body = list.map((r) => `${r.sku},${r.date},${r.forecast},${(Number(r.hi) - Number(r.lo)) / (2 * z)}`);
  return ['sku,date,forecast,sd', ...body].join('\n') + '\n';
}

describe('stock simulate reads forecasts from other tools', () => {
  it('a statsforecast output feeds simulate with just the column flags; same policy as the same forecasts in stockcast format', async () => {
    const r = await runCli([...SIM, '--forecast', STATSFORECAST, '--sku-col', 'unique_id', '--date-col', 'ds', '--forecast-col', 'AutoETS']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/forecast columns: sku unique_id, date ds, forecast AutoETS read as the mean; sd derived from the 80% interval AutoETS-lo-80\.\.AutoETS-hi-80 as \(hi - lo\) \/ \(2 x 1\.2816\)/);
    const own = tmp(
      'own.csv',
      ownFormat(rows(STATSFORECAST).map((x) => ({ sku: x.unique_id!, date: x.ds!.slice(0, 10), forecast: x.AutoETS!, lo: x['AutoETS-lo-80']!, hi: x['AutoETS-hi-80']! })), 80),
    );
    const mine = await runCli([...SIM, '--forecast', own]);
    expect(mine.code).toBe(0);
    expect(r.stdout).toBe(mine.stdout);
    expect(r.stdout.trim().split('\n').map((l) => l.split(',')[0])).toEqual(['sku', 'A-100', 'B-200']);
    // Stockcast's own file needs no log line about columns.
    expect(mine.stderr).not.toMatch(/forecast columns/);
  });

  it('any level in the name: lo-95/hi-95 is a 95% interval (and 80 wins when several are there)', async () => {
    const text = [
      'unique_id,ds,Naive,Naive-lo-95,Naive-hi-95',
      'X,2026-11-02,10,4,16',
      'X,2026-11-03,10,3,17',
      'X,2026-11-04,10,2,18',
    ].join('\n');
    const r = await runCli([...SIM, '--forecast', tmp('f95.csv', text), '--sku-col', 'unique_id', '--date-col', 'ds', '--forecast-col', 'Naive', '--lead-time', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sd derived from the 95% interval Naive-lo-95\.\.Naive-hi-95 as \(hi - lo\) \/ \(2 x 1\.9600\)/);
    const own = ownFormat(
      [
        { sku: 'X', date: '2026-11-02', forecast: '10', lo: '4', hi: '16' },
        { sku: 'X', date: '2026-11-03', forecast: '10', lo: '3', hi: '17' },
        { sku: 'X', date: '2026-11-04', forecast: '10', lo: '2', hi: '18' },
      ],
      95,
    );
    const mine = await runCli([...SIM, '--forecast', tmp('own95.csv', own), '--lead-time', '2']);
    expect(r.stdout).toBe(mine.stdout);

    const both = [
      'unique_id,ds,M,M-lo-95,M-lo-80,M-hi-80,M-hi-95',
      'X,2026-11-02,10,4,6,14,16',
      'X,2026-11-03,10,4,6,14,16',
    ].join('\n');
    const b = await runCli([...SIM, '--forecast', tmp('both.csv', both), '--sku-col', 'unique_id', '--date-col', 'ds', '--forecast-col', 'M', '--lead-time', '1']);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/80% interval M-lo-80\.\.M-hi-80/);
  });

  it('p10/p90 without sd read as a mean (--point mean), and any pair named with --interval-cols and --interval-level', async () => {
    const p = tmp('p.csv', 'sku,date,forecast,p10,p90\nA,2026-11-02,5,2,8\nA,2026-11-03,5,2,8\n');
    const r = await runCli([...SIM, '--forecast', p, '--lead-time', '1', '--point', 'mean']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/read as the mean; sd derived from the 80% interval p10\.\.p90/);
    const mine = await runCli([...SIM, '--forecast', tmp('own.csv', ownFormat([{ sku: 'A', date: '2026-11-02', forecast: '5', lo: '2', hi: '8' }, { sku: 'A', date: '2026-11-03', forecast: '5', lo: '2', hi: '8' }], 80)), '--lead-time', '1']);
    expect(r.stdout).toBe(mine.stdout);

    const q = tmp('q.csv', 'item;day;yhat;q05;q95\nA;2026-11-02;5;1;9\nA;2026-11-03;5;1;9\n');
    const named = await runCli([...SIM, '--forecast', q, '--delimiter', ';', '--sku-col', 'item', '--date-col', 'day', '--forecast-col', 'yhat', '--interval-cols', 'q05,q95', '--interval-level', '90', '--lead-time', '1']);
    expect(named.code).toBe(0);
    expect(named.stderr).toMatch(/forecast columns: sku item, date day, forecast yhat read as the mean; sd derived from the 90% interval q05\.\.q95 as \(hi - lo\) \/ \(2 x 1\.6449\)/);
    const mine90 = await runCli([...SIM, '--forecast', tmp('own90.csv', ownFormat([{ sku: 'A', date: '2026-11-02', forecast: '5', lo: '1', hi: '9' }, { sku: 'A', date: '2026-11-03', forecast: '5', lo: '1', hi: '9' }], 90)), '--lead-time', '1']);
    expect(named.stdout).toBe(mine90.stdout);
  });

  it('a stockcast file (sd, p10, p90) is read as a median by default; --point mean reads forecast and sd as they are', async () => {
    const f = tmp('sd.csv', 'sku,date,forecast,sd,p10,p90\nA,2026-11-02,5,1,2,12\nA,2026-11-03,5,1,2,12\n');
    const g = tmp('sd-only.csv', 'sku,date,forecast,sd\nA,2026-11-02,5,1\nA,2026-11-03,5,1\n');
    const a = await runCli([...SIM, '--forecast', f, '--lead-time', '1']);
    const b = await runCli([...SIM, '--forecast', g, '--lead-time', '1']);
    const c = await runCli([...SIM, '--forecast', f, '--lead-time', '1', '--point', 'mean']);
    expect(a.code).toBe(0);
    expect(a.stderr).not.toMatch(/forecast columns/);
    expect(c.stdout).toBe(b.stdout);
    // demand_mean (column 4, simulated over 500 paths) of a 1-day lead time: the implied mean of median 5 with p10 2, p90 12.
    const col = (out: string, i: number) => Number(out.trim().split('\n')[1]!.split(',')[i]);
    const implied = momentsFromMedian(5, 2, 12);
    expect(Math.abs(col(a.stdout, 3) - implied.mean)).toBeLessThan((4 * implied.sd) / Math.sqrt(500));
    expect(col(a.stdout, 3)).toBeGreaterThan(col(b.stdout, 3));
    expect(col(a.stdout, 4)).toBeGreaterThan(col(b.stdout, 4));
  });

  it('--point median on a statsforecast file: the median and its 95% interval give the mean and sd', async () => {
    const text = 'unique_id,ds,M,M-lo-95,M-hi-95\nX,2026-11-02,10,4,30\nX,2026-11-03,10,4,30\n';
    const p = tmp('m95.csv', text);
    const r = await runCli([...SIM, '--forecast', p, '--sku-col', 'unique_id', '--date-col', 'ds', '--forecast-col', 'M', '--lead-time', '1', '--point', 'median']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/forecast M read as the median; demand mean and sd implied by it and the 95% interval M-lo-95\.\.M-hi-95/);
    const mean = Number(r.stdout.trim().split('\n')[1]!.split(',')[3]);
    const implied = momentsFromMedian(10, 4, 30, normInv(0.975));
    // 500 simulated 1-day demands: within 4 standard errors of the implied mean, and above the median.
    expect(Math.abs(mean - implied.mean)).toBeLessThan((4 * implied.sd) / Math.sqrt(500));
    expect(mean).toBeGreaterThan(10.5);
    const none = await runCli([...SIM, '--forecast', tmp('plain.csv', 'sku,date,forecast,sd\nX,2026-11-02,10,2\n'), '--freq', 'D', '--lead-time', '1', '--point', 'median']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--point median needs an interval around the forecast/);
    expect(none.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('negative or inverted intervals: exit 2 at file:line:column', async () => {
    const neg = tmp('neg.csv', 'unique_id,ds,M,M-lo-80,M-hi-80\nA,2026-11-02,0,-3,1\nA,2026-11-03,0,-3,-1\n');
    const n = await runCli([...SIM, '--forecast', neg, '--sku-col', 'unique_id', '--date-col', 'ds', '--forecast-col', 'M']);
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/neg\.csv:3:5: M-hi-80: negative interval: demand cannot be below 0 \(expected an upper bound >= 0, got "-1"\)/);
    expect(n.stderr).not.toMatch(/neg\.csv:2:/); // a lower bound below 0 alone is fine (normal intervals around small forecasts)
    expect(n.stdout).toBe('');

    const inv = tmp('inv.csv', 'sku,date,forecast,p10,p90\nA,2026-11-02,5,2,8\nA,2026-11-03,5,8,2\n');
    const i = await runCli([...SIM, '--forecast', inv]);
    expect(i.code).toBe(2);
    expect(i.stderr).toMatch(/inv\.csv:3:5: p90: inverted interval: p90 is below p10 \(8, column 4\)/);
    expect(i.stdout).toBe('');
  });

  it('no sd and no interval: exit 2 saying what would do', async () => {
    const f = tmp('bare.csv', 'unique_id,ds,AutoARIMA\nA,2026-11-02,5\n');
    const r = await runCli([...SIM, '--forecast', f, '--sku-col', 'unique_id', '--date-col', 'ds', '--forecast-col', 'AutoARIMA']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bare\.csv: no sd column and no interval to derive it from/);
    expect(r.stderr).toMatch(/bare\.csv:1: missing column sd/);
    expect(r.stderr).toMatch(/AutoARIMA-lo-80,AutoARIMA-hi-80 \(statsforecast\) or p10,p90, or name them with --interval-cols LO,HI/);
  });

  it('column names that are not there: exit 2, missing required columns named', async () => {
    const r = await runCli([...SIM, '--forecast', STATSFORECAST, '--sku-col', 'unique_id', '--date-col', 'date', '--forecast-col', 'AutoETS']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required column date/);
    const cols = await runCli([...SIM, '--forecast', STATSFORECAST, '--sku-col', 'unique_id', '--date-col', 'ds', '--forecast-col', 'AutoETS', '--interval-cols', 'lo,hi']);
    expect(cols.code).toBe(2);
    expect(cols.stderr).toMatch(/missing required columns lo, hi/);
  });

  it.each([
    [['--interval-cols', 'p10'], /--interval-cols: expected two column names LO,HI/],
    [['--interval-cols', 'p10,p10'], /--interval-cols: expected two column names LO,HI/],
    [['--interval-level', '100'], /--interval-level: expected a number < 100/],
    [['--interval-level', '0'], /--interval-level: expected a number > 0/],
    [['--sku-col', 'date'], /must name different columns, got date, date, forecast/],
    [['--forecast-col', ' '], /--forecast-col: expected a column name/],
  ])('%j -> usage error, exit 2', async (args, message) => {
    const r = await runCli([...SIM, '--forecast', STATSFORECAST, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('timestamps at midnight are dates in every reader', () => {
  const stamps = ['2026-10-30 00:00:00', '2026-10-30T00:00:00', '2026-10-30T00:00:00Z', '2026-10-30T00:00:00.000Z'];

  it.each(stamps)('forecast file (readTable): %s reads as 2026-10-30', async (stamp) => {
    const next = stamp.replace('10-30', '10-31');
    const plain = await runCli([...SIM, '--forecast', tmp('p.csv', 'sku,date,forecast,sd\nA,2026-10-30,5,1\nA,2026-10-31,5,1\n'), '--lead-time', '1']);
    const stamped = await runCli([...SIM, '--forecast', tmp('s.csv', `sku,date,forecast,sd\nA,${stamp},5,1\nA,${next},5,1\n`), '--lead-time', '1']);
    expect(stamped.code).toBe(0);
    expect(stamped.stdout).toBe(plain.stdout);
  });

  it('sales reader: midnight timestamps give the same inspection as dates', async () => {
    const plain = 'date,sku,units\n2026-10-26,A,3\n2026-10-27,A,4\n2026-10-28,A,5\n';
    const stamped = 'date,sku,units\n2026-10-26T00:00:00Z,A,3\n2026-10-27 00:00:00,A,4\n2026-10-28T00:00:00.000Z,A,5\n';
    const pa = tmp('sales.csv', plain);
    const pb = tmp('sales.csv', stamped);
    const a = await runCli(['data', 'inspect', '--data', pa, '--format', 'json']);
    const b = await runCli(['data', 'inspect', '--data', pb, '--format', 'json']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toContain('"last_date": "2026-10-28"');
    expect(b.stdout.split(pb).join(pa)).toBe(a.stdout);
  });

  it('another time of day: exit 2 at file:line:column, in the sales reader and in readTable', async () => {
    const sales = tmp('sales.csv', 'date,sku,units\n2026-10-26,A,3\n2026-10-27 13:45:00,A,4\n');
    const s = await runCli(['data', 'inspect', '--data', sales]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/sales\.csv:3:1: date: expected a date; got a time of day 13:45 — stockcast works on whole days \(got "2026-10-27 13:45:00"\)/);

    const f = tmp('sf.csv', 'unique_id,ds,AutoETS,AutoETS-lo-80,AutoETS-hi-80\nA,2026-10-30 00:00:00,5,3,7\nA,2026-10-31T06:30:00Z,5,3,7\n');
    const r = await runCli([...SIM, '--forecast', f, '--sku-col', 'unique_id', '--date-col', 'ds', '--forecast-col', 'AutoETS']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sf\.csv:3:2: ds: expected a date; got a time of day 06:30 — stockcast works on whole days/);
    expect(r.stdout).toBe('');
  });
});
