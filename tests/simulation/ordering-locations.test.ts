/** planOrders with a policy per SKU and location: keys, sorting, unmatched points (simulation/ordering.ts). */
import { describe, expect, it } from 'vitest';
import { type SkuPolicy, stockKey } from '../../src/core/types.js';
import { planOrders } from '../../src/simulation/ordering.js';

const policy = (sku: string, location: string, reorderPoint: number, orderUpTo: number): SkuPolicy => ({ sku, location, reorderPoint, orderUpTo, leadTimeMean: Number.NaN, leadTimeSd: Number.NaN });
const level = (sku: string, location: string, onHand: number) => [stockKey(sku, location), { sku, location, onHand, onOrder: 0, backorders: 0 }] as const;

describe('planOrders per SKU and location', () => {
  const policies = [policy('B', 'x', 5, 9), policy('A', 'y', 10, 20), policy('A', 'x', 10, 20), policy('A', 'z', 10, 20)];
  const stock = new Map([level('A', 'y', 4), level('A', 'x', 12), level('B', 'x', 5), level('B', 'q', 0)]);

  it('one decision per point with its own constraints, sorted by sku then location', () => {
    const plan = planOrders(policies, stock, new Map([[stockKey('A', 'y'), { packSize: 5 }]]), true);
    expect(plan.lines.map((l) => [l.sku, l.location, l.position, l.qty, l.reason])).toEqual([
      ['A', 'x', 12, 0, 'above_reorder_point'],
      ['A', 'y', 4, 20, 'reorder_point_reached;rounded_up_to_pack'],
      ['B', 'x', 5, 4, 'reorder_point_reached'],
    ]);
    expect(plan.missingInventory).toEqual([{ sku: 'A', location: 'z' }]);
    expect(plan.missingPolicy).toEqual([{ sku: 'B', location: 'q' }]);
  });

  it('a point of one SKU never takes the stock of another location', () => {
    const plan = planOrders([policy('A', 'x', 10, 20)], new Map([level('A', 'y', 100)]));
    expect(plan.lines).toEqual([]);
    expect(plan.missingInventory).toEqual([{ sku: 'A', location: 'x' }]);
  });
});
