/** io/inventory.ts: the inventory and constraints readers. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeConstraints, readConstraints, readInventory } from '../../src/io/inventory.js';
import { REPO_ROOT } from '../helpers/cli.js';

const FIX = resolve(REPO_ROOT, 'tests/fixtures/stock');
const tmp = () => mkdtempSync(join(tmpdir(), 'stockcast-inventory-'));
function file(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('readInventory and readConstraints', () => {
  it('inventory: empty on_order/backorders are 0, empty constraints none; a constraints file overrides per field', async () => {
    const inv = await readInventory(join(FIX, 'inventory.csv'));
    expect(inv.get('B')).toMatchObject({ onHand: 50, onOrder: 0, backorders: 0, constraints: {} });
    expect(inv.get('C')).toMatchObject({ onHand: 5, onOrder: 3, backorders: 2, constraints: { moq: 25, packSize: 10 } });
    const merged = mergeConstraints(inv, await readConstraints(join(FIX, 'constraints.csv')));
    expect(merged.get('A')).toEqual({ packSize: 12 });
    expect(merged.get('C')).toEqual({ moq: 25, packSize: 10, maxQty: 20 });
  });

  it('inventory: negative stock and zero pack size are rejected', async () => {
    const dir = tmp();
    const p = file(dir, 'i.csv', 'sku,on_hand,pack_size\nA,-1,\nB,3,0\n');
    await expect(readInventory(p)).rejects.toMatchObject({
      problems: [expect.objectContaining({ line: 2, columnName: 'on_hand' }), expect.objectContaining({ line: 3, columnName: 'pack_size' })],
    });
  });
});
