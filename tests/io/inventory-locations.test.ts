/** The location column of the inventory and policy readers, pooling, and how the two files meet (io/locations.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stockKey } from '../../src/core/types.js';
import { mergeConstraints, poolInventory, readInventory, readInventoryFile } from '../../src/io/inventory.js';
import { stockMode } from '../../src/io/locations.js';
import { readPolicy } from '../../src/io/policy-file.js';
import { REPO_ROOT } from '../helpers/cli.js';

const FIX = resolve(REPO_ROOT, 'tests/fixtures/stock');
function file(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'stockcast-loc-')), 'f.csv');
  writeFileSync(p, text);
  return p;
}

describe('inventory with a location column', () => {
  it('one row per SKU and location, keyed by stockKey', async () => {
    const inv = await readInventoryFile(join(FIX, 'locations/inventory.csv'));
    expect(inv.locationColumn).toBe('location');
    expect(inv.locationAt).toBe(2);
    expect(inv.rows.size).toBe(7);
    expect(inv.rows.get(stockKey('A', 'south'))).toMatchObject({ sku: 'A', location: 'south', line: 3, onHand: 6, onOrder: 4, backorders: 0 });
    expect(inv.rows.has('A')).toBe(false);
  });

  it('without one, the rows are keyed by SKU as before and carry no location', async () => {
    const inv = await readInventoryFile(join(FIX, 'inventory.csv'));
    expect(inv.locationColumn).toBeUndefined();
    expect(inv.rows.get('C')).toEqual({ sku: 'C', line: 4, onHand: 5, onOrder: 3, backorders: 2, constraints: { moq: 25, packSize: 10 } });
    expect(poolInventory(inv)).toBe(inv.rows);
  });

  it('pooling sums on_hand, on_order and backorders per SKU (the line is the first one)', async () => {
    const pooled = await readInventory(join(FIX, 'locations/inventory.csv'));
    expect([...pooled.keys()]).toEqual(['A', 'B', 'C', 'E']);
    expect(pooled.get('A')).toEqual({ sku: 'A', line: 2, onHand: 11, onOrder: 4, backorders: 0, constraints: {} });
    expect(pooled.get('C')).toEqual({ sku: 'C', line: 6, onHand: 3, onOrder: 0, backorders: 2, constraints: { packSize: 10 } });
  });

  it('pooled constraints: blanks state none, equal values agree, different ones are problems at their cells', async () => {
    const ok = poolInventory(await readInventoryFile(file('sku,location,on_hand,moq,pack_size\nA,n,1,,6\nA,s,2,12,6\nA,w,3,12,\n')));
    expect(ok.get('A')!.constraints).toEqual({ moq: 12, packSize: 6 });
    const bad = await readInventoryFile(file('sku,location,on_hand,moq,pack_size\nA,n,1,10,6\nA,s,2,12,6\nB,n,1,,5\nB,s,1,,4\n'));
    expect(() => poolInventory(bad)).toThrow(expect.objectContaining({
      exitCode: 2,
      problems: [
        expect.objectContaining({ line: 3, column: 4, columnName: 'moq', message: 'SKU A: moq 12 here, 10 on line 2' }),
        expect.objectContaining({ line: 5, column: 5, columnName: 'pack_size', message: 'SKU B: pack_size 4 here, 5 on line 4' }),
      ],
    }));
  });

  it('every location problem of a file in one pass, in file order', async () => {
    const p = file('sku,channel,on_hand\nA,web,1\nA,,2\nA,web,3\nB,shop,x\n');
    await expect(readInventoryFile(p)).rejects.toMatchObject({
      problems: [
        expect.objectContaining({ line: 3, column: 2, columnName: 'channel', message: 'empty channel' }),
        expect.objectContaining({ line: 4, column: 1, message: 'duplicate SKU and channel (A@web) (first on line 2)' }),
        expect.objectContaining({ line: 5, column: 3, columnName: 'on_hand' }),
      ],
    });
  });

  it('header problems carry the header\'s line, also after blank lines', async () => {
    await expect(readInventoryFile(file('\nsku,location,channel,on_hand\nA,n,w,1\n'))).rejects.toMatchObject({
      problems: [expect.objectContaining({ line: 2, column: 3, columnName: 'channel', message: 'both a location and a channel column' })],
    });
    const p = await readPolicy(file('\n\nsku,reorder_point,order_up_to,location\nA,1,2,n\n'), { locations: true });
    expect(() => stockMode(p, { file: 'i.csv' })).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ line: 3, column: 4 })] }));
  });

  it('constraints per location (inventory file) under a per-SKU constraints file that applies to each location', async () => {
    const inv = await readInventoryFile(file('sku,location,on_hand,moq,max_qty\nA,n,1,5,\nA,s,1,,90\n'));
    const merged = mergeConstraints(inv.rows, new Map([['A', { packSize: 4, moq: 8 }]]));
    expect(merged.get(stockKey('A', 'n'))).toEqual({ moq: 8, packSize: 4 });
    expect(merged.get(stockKey('A', 's'))).toEqual({ moq: 8, packSize: 4, maxQty: 90 });
  });
});

describe('policy with a location column', () => {
  it('is read only when asked (stock reorder), sorted by sku then location', async () => {
    const p = await readPolicy(join(FIX, 'locations/policy.csv'), { locations: true });
    expect(p.locationColumn).toBe('location');
    expect(p.policies.map((x) => [x.sku, x.location])).toEqual([['A', 'north'], ['A', 'south'], ['B', 'north'], ['B', 'south'], ['C', 'north'], ['C', 'west']]);
    expect(p.lines.get(stockKey('C', 'west'))).toBe(7);
    await expect(readPolicy(join(FIX, 'locations/policy.csv'))).rejects.toMatchObject({ exitCode: 2, problems: [expect.objectContaining({ line: 1, column: 4, message: 'a policy per SKU and location' })] });
  });

  it('a per-SKU policy has no location on its rows', async () => {
    const p = await readPolicy(join(FIX, 'policy.csv'), { locations: true });
    expect(p.locationColumn).toBeUndefined();
    expect(p.policies.every((x) => !('location' in x))).toBe(true);
  });
});

describe('stockMode: how the two files meet', () => {
  const f = (locationColumn?: 'location' | 'channel') => ({ file: 'x.csv', locationColumn, locationAt: 2 });
  it.each([
    [undefined, undefined, 'sku'],
    [undefined, 'location', 'pooled'],
    [undefined, 'channel', 'pooled'],
    ['location', 'location', 'location'],
    ['channel', 'channel', 'location'],
  ] as const)('policy %s, inventory %s -> %s', (p, i, mode) => {
    expect(stockMode(f(p), f(i))).toBe(mode);
  });
  it.each([
    ['location', undefined, /has a policy per location/],
    ['channel', 'location', /names its location column channel/],
  ] as const)('policy %s, inventory %s -> exit 2', (p, i, message) => {
    expect(() => stockMode(f(p), f(i))).toThrow(message);
    expect(() => stockMode(f(p), f(i))).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
