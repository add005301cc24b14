/**
 * stock backtest replays a policy as the policy file says it is (its `policy` and `review_period`
 * columns): an (R,S) file with periodic review, never as continuous review; a contradicting
 * --review-period or two files stating different policies exit 2 with the fix.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../../helpers/cli.js';

const FIX = resolve(REPO_ROOT, 'tests/fixtures/stock');
const dir = mkdtempSync(join(tmpdir(), 'backtest-review-'));
const OLD = 'sku,lead_time_mean,lead_time_sd,demand_mean,demand_sd,safety_stock,reorder_point,order_up_to,service_level_target,cycle_service_level,fill_rate,paths';
const RS_ROWS = ['A,2,0,20,0,0,60,60,0.95,1,1,1000', 'B,3,1,30,8,10,120,120,0.95,0.95,0.99,1000'];
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const rsOld = write('rs-old.csv', `${OLD}\n${RS_ROWS.join('\n')}\n`);
const rs7 = write('rs7.csv', `${OLD},policy,review_period\n${RS_ROWS.map((r) => `${r},RS,7`).join('\n')}\n`);
const sq = write('sq.csv', `${OLD},policy,review_period\nA,2,0,20,0,0,20,50,0.95,1,1,1000,sQ,0\nB,3,1,30,8,10,40,100,0.95,0.95,0.99,1000,sQ,0\n`);

const backtest = (args: string[]) =>
  runCli(['stock', 'backtest', '--data', 'sales.csv', '--lead-times', 'lead_times.csv', '--from', '2024-02-01', '--format', 'json', ...args], { cwd: FIX });
const orders = (stdout: string) => (JSON.parse(stdout) as { orders: number }[])[0]!.orders;

describe('stock backtest: the review the policy file states', () => {
  it('an (R,S) file is replayed with its review period, as --review-period on an older file would', async () => {
    const stated = await backtest(['--policy', rs7]);
    expect(stated.code).toBe(0);
    expect(stated.stderr).toMatch(/review every 7 day\(s\)/);
    expect(stated.stderr).not.toMatch(/replayed with continuous review/);
    const old = await backtest(['--policy', rsOld, '--review-period', '7']);
    expect(stated.stdout.replaceAll('rs7.csv', 'X')).toBe(old.stdout.replaceAll('rs-old.csv', 'X'));
    // The older file without the columns: continuous review and the warning, as before.
    const continuous = await backtest(['--policy', rsOld]);
    expect(continuous.stderr).toMatch(/replayed with continuous review unless --review-period R is given/);
    expect(orders(continuous.stdout)).toBeGreaterThan(orders(stated.stdout));
  });

  it('the same --review-period is accepted; another one exits 2 and says what to do', async () => {
    expect((await backtest(['--policy', rs7, '--review-period', '7'])).code).toBe(0);
    const r = await backtest(['--policy', rs7, '--review-period', '14']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--review-period 14 contradicts the policy: --policy .*rs7\.csv says \(R,S\), review every 7 day\(s\)/);
    expect(r.stderr).toMatch(/drop --review-period \(the file's 7 days are used\)/);
  });

  it('an (s,Q) file is not replayed with periodic review; two files stating different policies exit 2', async () => {
    const periodic = await backtest(['--policy', sq, '--review-period', '7']);
    expect(periodic.code).toBe(2);
    expect(periodic.stderr).toMatch(/says \(s,Q\), continuous review/);
    const mixed = await backtest(['--policy', rs7, '--compare', sq]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--policy .*rs7\.csv says \(R,S\), review every 7 day\(s\), but --compare .*sq\.csv says \(s,Q\)/);
    expect((await backtest(['--policy', sq])).code).toBe(0);
  });
});
