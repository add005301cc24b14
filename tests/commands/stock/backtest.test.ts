import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtestSpec } from '../../../src/commands/stock/backtest.options.js';
import { UsageError } from '../../../src/errors.js';
import { parseDay } from '../../../src/core/calendar.js';
import { REPO_ROOT, runBin, runCli } from '../../helpers/cli.js';

const FIX = resolve(REPO_ROOT, 'tests/fixtures/stock');
const tmp = () => mkdtempSync(join(tmpdir(), 'stockcast-backtest-'));
const BASE = ['stock', 'backtest', '--data', 'sales.csv', '--policy', 'bt-policy.csv', '--lead-times', 'lead_times.csv', '--from', '2024-02-01'];
const SUMMARY_HEADER = 'policy,skus,demand,served,unmet,fill_rate,cycle_service_level,stockout_days,stockout_rate,avg_on_hand,orders';

describe('backtest options', () => {
  const raw = { data: 's.csv', policy: 'p.csv', from: '2024-02-01' };
  it('defaults', () => {
    expect(backtestSpec.parse(raw)).toMatchObject({ from: parseDay('2024-02-01'), to: undefined, unmet: 'lost', seed: 42, serviceLevel: 0.95, baseline: undefined, strict: false });
  });
  it.each([
    [{ from: '2024-02-30' }, /--from: expected a date/],
    [{ to: '2024-01-01' }, /--to 2024-01-01 is before --from/],
    [{ unmet: 'maybe' }, /--unmet: expected one of lost, backorder/],
    [{ baseline: 'fancy' }, /--baseline: expected one of classic/],
    [{ serviceLevel: '1' }, /--service-level: expected a number < 1/],
    [{ seed: '1.5' }, /--seed: expected a whole number/],
    [{ orderDays: '0' }, /--order-days: expected a number > 0/],
  ])('%j is rejected', (extra, message) => {
    expect(() => backtestSpec.parse({ ...raw, ...extra })).toThrow(UsageError);
    expect(() => backtestSpec.parse({ ...raw, ...extra })).toThrow(message);
  });
});

describe('stock backtest (CLI)', () => {
  it('replays the fixture: summary CSV on stdout, per-SKU CSV to a file, skipped SKUs on stderr', async () => {
    const dir = tmp();
    const perSku = join(dir, 'per-sku.csv');
    const r = await runCli([...BASE, '--per-sku', perSku], { cwd: FIX });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(SUMMARY_HEADER);
    expect(lines[1]).toMatch(/^bt-policy.csv,2,585,/);
    const rows = readFileSync(perSku, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('sku,demand,served,unmet,fill_rate,cycle_service_level,stockout_days,avg_on_hand,orders');
    // A: 10/day over 29 days, s=20 covers the fixed 2-day lead time exactly: never out of stock
    expect(rows[1]).toMatch(/^A,290,290,0,1,1,0,[\d.]+,\d+$/);
    expect(r.stderr).toMatch(/in the sales data but not in policy bt-policy.csv \(1 SKU\(s\)\): C/);
    expect(r.stderr).toMatch(/in policy bt-policy.csv but not in the sales data \(1 SKU\(s\)\): D/);
  });

  it('--compare and --baseline classic: one row per policy and the differences', async () => {
    const r = await runCli([...BASE, '--compare', 'bt-policy-lean.csv', '--baseline', 'classic', '--format', 'json'], { cwd: FIX });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, number | string | null>[];
    expect(rows.map((x) => x.policy)).toEqual(['bt-policy.csv', 'bt-policy-lean.csv', 'classic', 'bt-policy-lean.csv - bt-policy.csv', 'classic - bt-policy.csv']);
    expect(rows[3]!.served).toBe((rows[1]!.served as number) - (rows[0]!.served as number));
    expect(rows[3]!.skus).toBeNull();
    // the lean policy stocks out where the main one does not
    expect(rows[1]!.unmet as number).toBeGreaterThan(0);
  });

  it('backorders: unmet demand is still counted once, served + unmet = demand', async () => {
    const r = await runCli([...BASE, '--compare', 'bt-policy-lean.csv', '--unmet', 'backorder', '--format', 'json'], { cwd: FIX });
    const rows = JSON.parse(r.stdout) as { demand: number; served: number; unmet: number }[];
    for (const row of rows.slice(0, 2)) expect(row.served + row.unmet).toBe(row.demand);
  });

  it('lead times from the policy columns when --lead-times is absent; missing lead times are an error', async () => {
    const ok = await runCli(BASE.filter((a, i) => a !== '--lead-times' && BASE[i - 1] !== '--lead-times'), { cwd: FIX });
    expect(ok.code).toBe(0);
    const bad = await runCli(['stock', 'backtest', '--data', 'sales.csv', '--policy', 'bt-policy-lean.csv', '--from', '2024-02-01'], { cwd: FIX });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/2 SKU\(s\) have no lead time/);
  });

  it('--inventory sets the opening stock', async () => {
    const dir = tmp();
    const perSku = join(dir, 'per-sku.csv');
    const r = await runCli([...BASE, '--inventory', 'inventory.csv', '--per-sku', perSku], { cwd: FIX });
    expect(r.code).toBe(0);
    // A opens with 15 on hand (not its order_up_to 50): 10/day, s=20, L=2 -> one day short on day 1
    const a = readFileSync(perSku, 'utf8').split('\n')[1]!.split(',');
    expect(a.slice(0, 4)).toEqual(['A', '290', '285', '5']);
    expect(a[6]).toBe('1');
  });

  it('--strict fails on unmatched SKUs; a window after the data is a usage error', async () => {
    const dir = tmp();
    const out = join(dir, 'summary.csv');
    const strict = await runCli([...BASE, '--strict', '--out', out], { cwd: FIX });
    expect(strict.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    const late = await runCli([...BASE.slice(0, -1), '2024-03-01'], { cwd: FIX });
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/after the end of the sales data \(2024-02-29\)/);
  });

  it('the built binary: same seed -> byte-identical output; --per-sku - puts per-SKU rows on stdout', () => {
    const args = [...BASE, '--compare', 'bt-policy-lean.csv', '--seed', '7'];
    const a = runBin(args, { cwd: FIX });
    const b = runBin(args, { cwd: FIX });
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const c = runBin([...BASE, '--per-sku', '-'], { cwd: FIX });
    expect(c.code).toBe(0);
    expect(c.stdout.split('\n')[0]).toBe('sku,demand,served,unmet,fill_rate,cycle_service_level,stockout_days,avg_on_hand,orders');
    expect(c.stderr).toMatch(/policy/);
  });
});
