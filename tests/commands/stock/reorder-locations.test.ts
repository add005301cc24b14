/**
 * `stock reorder` with several locations or sales channels (issue 11, docs/reorder-backtest.md):
 * a per-SKU policy pools the locations' stock into one order per SKU; a policy per SKU and
 * location orders per location, with the location as the last output column; ambiguous inputs
 * exit 2 with file:line:column and write nothing.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../../helpers/cli.js';

const FIX = resolve(REPO_ROOT, 'tests/fixtures/stock');
const HEADER = 'sku,inventory_position,reorder_point,order_up_to,order_qty,reason';
const tmp = () => mkdtempSync(join(tmpdir(), 'stockcast-locations-'));
function file(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const reorder = (policy: string, inventory: string, extra: string[] = []) => runCli(['stock', 'reorder', '--policy', policy, '--inventory', inventory, ...extra], { cwd: FIX });

describe('stock reorder: a per-SKU policy pools the stock of every location', () => {
  it('one order per SKU from the summed position; the columns of a single-location run', async () => {
    const r = await reorder('policy.csv', 'locations/inventory.csv');
    expect(r.code).toBe(0);
    // A: 5 + (6 + 4) = 15 -> 35 (as the single-location fixture); B: 55 > 38; C: 2 + 1 - 2 = 1 -> 29 -> 3 packs of 10.
    expect(r.stdout).toBe(`${HEADER}\nA,15,20,50,35,reorder_point_reached\nC,1,10,30,30,reorder_point_reached;rounded_up_to_pack\n`);
    expect(r.stderr).toMatch(/the stock of 7 SKU-location row\(s\) pooled into 4 SKU\(s\)/);
    expect(r.stderr).toMatch(/2 SKU\(s\) in policy.csv but not in locations\/inventory.csv: D, F/);
    expect(r.stderr).toMatch(/1 SKU\(s\) in locations\/inventory.csv but not in policy.csv: E/);
    expect(r.stderr).toMatch(/2 order\(s\) for 65 units; 3 SKU\(s\) checked/);
  });

  it('a constraint given on one location row holds for the SKU; two different values exit 2 at the cell', async () => {
    const dir = tmp();
    const policy = file(dir, 'p.csv', 'sku,reorder_point,order_up_to\nA,20,50\n');
    const once = file(dir, 'once.csv', 'sku,channel,on_hand,moq\nA,web,5,\nA,shop,3,40\n');
    const ok = await reorder(policy, once);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(`${HEADER}\nA,8,20,50,42,reorder_point_reached\n`);
    const clash = file(dir, 'clash.csv', 'sku,channel,on_hand,moq\nA,web,5,30\nA,shop,3,40\n');
    const out = join(dir, 'orders.csv');
    const bad = await reorder(policy, clash, ['--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/clash.csv:3:4: moq: SKU A: moq 40 here, 30 on line 2/);
    expect(bad.stderr).toMatch(/add a channel column to the policy/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('stock reorder: a policy per SKU and location orders per location', () => {
  it('orders per SKU and location, the location last; unmatched pairs on stderr', async () => {
    const r = await reorder('locations/policy.csv', 'locations/inventory.csv', ['--all']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${HEADER},location\n` +
        'A,5,10,25,20,reorder_point_reached,north\n' +
        'A,10,10,25,15,reorder_point_reached,south\n' +
        'B,30,20,40,0,above_reorder_point,north\n' +
        'B,25,20,40,0,above_reorder_point,south\n' +
        'C,2,5,15,20,reorder_point_reached;rounded_up_to_pack,north\n',
    );
    expect(r.stderr).toMatch(/1 SKU-location pair\(s\) in locations\/policy.csv but not in locations\/inventory.csv: C@west/);
    expect(r.stderr).toMatch(/2 SKU-location pair\(s\) in locations\/inventory.csv but not in locations\/policy.csv: C@south, E@north/);
    expect(r.stderr).toMatch(/3 order\(s\) for 55 units; 5 SKU-location pair\(s\) checked/);
  });

  it('JSON carries the location; a constraints file row applies to every location of its SKU', async () => {
    const dir = tmp();
    const c = file(dir, 'c.csv', 'sku,moq\nA,30\n');
    const r = await reorder('locations/policy.csv', 'locations/inventory.csv', ['--format', 'json', '--constraints', c, '--quiet']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { sku: string; location: string; order_qty: number }[];
    expect(rows.map((x) => [x.sku, x.location, x.order_qty])).toEqual([
      ['A', 'north', 30],
      ['A', 'south', 30],
      ['C', 'north', 20],
    ]);
  });

  it('a channel column in both files names the output column channel', async () => {
    const dir = tmp();
    const p = file(dir, 'p.csv', 'sku,channel,reorder_point,order_up_to\nA,web,10,20\nA,shop,10,20\n');
    const i = file(dir, 'i.csv', 'sku,channel,on_hand\nA,shop,12\nA,web,3\n');
    const r = await reorder(p, i);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${HEADER},channel\nA,3,10,20,17,reorder_point_reached,web\n`);
  });

  it('--strict: an unmatched SKU-location pair exits 2, nothing written', async () => {
    const out = join(tmp(), 'orders.csv');
    const r = await reorder('locations/policy.csv', 'locations/inventory.csv', ['--strict', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/C@west/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('stock reorder: ambiguous location inputs exit 2 with file:line:column, nothing written', () => {
  const cases: [string, string, string, RegExp][] = [
    ['policy per location, inventory per SKU', 'sku,reorder_point,order_up_to,location\nA,10,20,north\n', 'sku,on_hand\nA,3\n', /p.csv:1:4: location: the policy is per SKU and location, the inventory has no location column/],
    ['location in one file, channel in the other', 'sku,channel,reorder_point,order_up_to\nA,web,10,20\n', 'sku,location,on_hand\nA,web,3\n', /p.csv names its location column channel, \S*i.csv names it location/],
    ['an empty location cell (inventory)', 'sku,reorder_point,order_up_to\nA,10,20\n', 'sku,location,on_hand\nA,north,3\nA,,2\n', /i.csv:3:2: location: empty location/],
    ['an empty location cell (policy)', 'sku,location,reorder_point,order_up_to\nA,,10,20\n', 'sku,location,on_hand\nA,north,3\n', /p.csv:2:2: location: empty location/],
    ['a SKU and location twice (inventory)', 'sku,reorder_point,order_up_to\nA,10,20\n', 'sku,location,on_hand\nA,north,3\nA,south,1\nA,north,2\n', /i.csv:4:1: sku: duplicate SKU and location \(A@north\) \(first on line 2\)/],
    ['a SKU and location twice (policy)', 'sku,location,reorder_point,order_up_to\nA,n,10,20\nA,n,11,20\n', 'sku,location,on_hand\nA,n,3\n', /p.csv:3:1: sku: duplicate SKU and location \(A@n\) \(first on line 2\)/],
    ['both a location and a channel column', 'sku,reorder_point,order_up_to\nA,10,20\n', 'sku,location,channel,on_hand\nA,n,web,3\n', /i.csv:1:3: channel: both a location and a channel column/],
  ];
  it.each(cases)('%s', async (_name, policy, inventory, message) => {
    const dir = tmp();
    const out = file(dir, 'orders.csv', 'previous\n');
    const r = await reorder(file(dir, 'p.csv', policy), file(dir, 'i.csv', inventory), ['--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('previous\n');
  });

  it('a duplicate SKU without a location column says how to give several locations', async () => {
    const dir = tmp();
    const r = await reorder(file(dir, 'p.csv', 'sku,reorder_point,order_up_to\nA,10,20\n'), file(dir, 'i.csv', 'sku,on_hand\nA,3\nA,2\n'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/i.csv:3:1: sku: duplicate SKU \(first on line 2\) \(expected one row per SKU \(stock at several locations or channels: add a location or channel column\)/);
  });

  it('a location column in the constraints file is refused (its rows are per SKU)', async () => {
    const dir = tmp();
    const c = file(dir, 'c.csv', 'sku,location,moq\nA,north,5\n');
    const r = await reorder('locations/policy.csv', 'locations/inventory.csv', ['--constraints', c]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/c.csv:1:2: location: a location column in the constraints file/);
  });
});

describe('stock backtest and locations', () => {
  it('--inventory with locations opens from the pooled stock: the same replay as the summed file', async () => {
    const dir = tmp();
    const located = file(dir, 'loc.csv', 'sku,location,on_hand,on_order\nA,n,10,0\nA,s,5,0\nB,n,20,3\nB,s,0,\n');
    const summed = file(dir, 'sum.csv', 'sku,on_hand,on_order\nA,15,0\nB,20,3\n');
    const run = (inv: string) => runCli(['stock', 'backtest', '--data', 'sales.csv', '--policy', 'bt-policy.csv', '--lead-times', 'lead_times.csv', '--from', '2024-02-01', '--inventory', inv, '--format', 'csv'], { cwd: FIX });
    const [a, b] = [await run(located), await run(summed)];
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.split('\n').length).toBeGreaterThan(1);
    // and it differs from the default opening stock (order_up_to), so the inventory was used
    const plain = await runCli(['stock', 'backtest', '--data', 'sales.csv', '--policy', 'bt-policy.csv', '--lead-times', 'lead_times.csv', '--from', '2024-02-01', '--format', 'csv'], { cwd: FIX });
    expect(plain.stdout).not.toBe(a.stdout);
  });

  it('refuses a policy per SKU and location (it replays one policy per SKU)', async () => {
    const r = await runCli(['stock', 'backtest', '--data', 'sales.csv', '--policy', 'locations/policy.csv', '--lead-times', 'lead_times.csv', '--from', '2024-02-01'], { cwd: FIX });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/locations\/policy.csv:1:4: location: a policy per SKU and location \(expected one policy per SKU here \(only stock reorder orders per location\)\)/);
  });
});
