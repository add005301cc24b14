/** `stock reorder`: its options (commands/stock/reorder.options.ts) and whole runs of the command. */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reorderSpec } from '../../../src/commands/stock/reorder.options.js';
import { UsageError } from '../../../src/errors.js';
import { REPO_ROOT, runBin, runCli } from '../../helpers/cli.js';

const FIX = resolve(REPO_ROOT, 'tests/fixtures/stock');
const tmp = () => mkdtempSync(join(tmpdir(), 'stockcast-reorder-'));
function file(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('reorder options', () => {
  it.each([
    [{ policy: 'p.csv', inventory: 'i.csv' }, { policy: 'p.csv', inventory: 'i.csv', all: false, strict: false, format: undefined }],
    [{ policy: '-', inventory: 'i.csv', all: true, strict: true, format: 'json', out: 'o.csv' }, { policy: '-', all: true, strict: true, format: 'json', out: 'o.csv' }],
  ])('%j', (raw, expected) => {
    expect(reorderSpec.parse(raw)).toMatchObject(expected);
  });
  it('rejects a bad format', () => {
    expect(() => reorderSpec.parse({ policy: 'p', inventory: 'i', format: 'xml' })).toThrow(UsageError);
  });
});

describe('stock reorder (CLI)', () => {
  const args = ['stock', 'reorder', '--policy', 'policy.csv', '--inventory', 'inventory.csv'];

  it('writes the orders, lists blocked SKUs, and warns about SKUs in only one file', async () => {
    const r = await runCli(args, { cwd: FIX });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'sku,inventory_position,reorder_point,order_up_to,order_qty,reason\n' +
        'A,15,20,50,35,reorder_point_reached\n' +
        'C,6,10,30,30,reorder_point_reached;rounded_up_to_pack\n' +
        'F,0,10,30,0,reorder_point_reached;raised_to_moq;blocked_max_qty_below_moq\n',
    );
    expect(r.stderr).toMatch(/1 SKU\(s\) in policy.csv but not in inventory.csv: D/);
    expect(r.stderr).toMatch(/1 SKU\(s\) in inventory.csv but not in policy.csv: E/);
    expect(r.stderr).toMatch(/F: needs an order but no quantity satisfies/);
  });

  it('--all with --constraints, JSON', async () => {
    const r = await runCli([...args, '--constraints', 'constraints.csv', '--all', '--format', 'json'], { cwd: FIX });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { sku: string; order_qty: number }[];
    expect(rows.map((x) => [x.sku, x.order_qty])).toEqual([
      ['A', 36],
      ['B', 0],
      ['C', 0],
      ['F', 0],
    ]);
  });

  it('reads the policy from stdin (pipe from stock simulate)', async () => {
    const r = await runCli(['stock', 'reorder', '--policy', '-', '--inventory', 'inventory.csv', '--quiet'], { cwd: FIX, stdin: readFileSync(join(FIX, 'policy.csv'), 'utf8') });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('A,15,20,50,35,reorder_point_reached');
  });

  it('--strict: exit 2, nothing written; bad input: exit 2 with file:line:column, previous output untouched', async () => {
    const dir = tmp();
    const out = join(dir, 'orders.csv');
    const strict = await runCli([...args, '--strict', '--out', out], { cwd: FIX });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/--strict/);
    expect(existsSync(out)).toBe(false);
    writeFileSync(out, 'previous\n');
    const bad = await runCli(['stock', 'reorder', '--policy', 'policy-bad.csv', '--inventory', 'inventory.csv', '--out', out], { cwd: FIX });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/policy-bad.csv:3:2: reorder_point: not a number/);
    expect(readFileSync(out, 'utf8')).toBe('previous\n');
  });

  it('the built binary writes --out atomically and exits 0', () => {
    const dir = tmp();
    const out = join(dir, 'orders.csv');
    const r = runBin([...args, '--out', out], { cwd: FIX });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('sku,inventory_position,reorder_point,order_up_to,order_qty,reason');
    expect(r.stderr).toMatch(/2 order\(s\) for 65 units/);
  });
});
