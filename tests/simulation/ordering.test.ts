/** simulation/ordering.ts: order quantities of `stock reorder` and the replay, per SKU and per SKU and location. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SkuPolicy, stockKey } from '../../src/core/types.js';
import { constrainQuantity, decideOrder, inventoryPosition, planOrders } from '../../src/simulation/ordering.js';

describe('decideOrder: rounding table', () => {
  // position, reorder point, order-up-to, constraints -> quantity and reason
  const table: [number, number, number, { moq?: number; packSize?: number; maxQty?: number }, number, string][] = [
    [30, 20, 50, {}, 0, 'above_reorder_point'],
    [20.5, 20, 50, {}, 0, 'above_reorder_point'],
    [20, 20, 50, {}, 30, 'reorder_point_reached'],
    [-10, 20, 50, {}, 60, 'reorder_point_reached'],
    [14.5, 20, 50, {}, 36, 'reorder_point_reached;rounded_up_to_pack'],
    [15, 20, 50, { packSize: 12 }, 36, 'reorder_point_reached;rounded_up_to_pack'],
    [15, 20, 50, { packSize: 5 }, 35, 'reorder_point_reached'],
    [45, 45, 50, { moq: 25 }, 25, 'reorder_point_reached;raised_to_moq'],
    // MOQ not a multiple of the pack: raised to the smallest whole number of packs >= MOQ
    [45, 45, 50, { moq: 25, packSize: 10 }, 30, 'reorder_point_reached;rounded_up_to_pack;raised_to_moq'],
    [15, 20, 50, { moq: 25, packSize: 10 }, 40, 'reorder_point_reached;rounded_up_to_pack'],
    [15, 20, 50, { maxQty: 20 }, 20, 'reorder_point_reached;capped_at_max_qty'],
    // cap lowers to whole packs below it
    [15, 20, 50, { packSize: 12, maxQty: 30 }, 24, 'reorder_point_reached;rounded_up_to_pack;capped_at_max_qty'],
    [15, 20, 50, { moq: 10, maxQty: 20 }, 20, 'reorder_point_reached;capped_at_max_qty'],
    // no quantity satisfies every constraint: nothing ordered, reason says which clash
    [15, 20, 50, { moq: 25, maxQty: 20 }, 0, 'reorder_point_reached;blocked_max_qty_below_moq'],
    [15, 20, 50, { packSize: 12, maxQty: 10 }, 0, 'reorder_point_reached;rounded_up_to_pack;blocked_max_qty_below_pack'],
    [15, 20, 50, { maxQty: 0 }, 0, 'reorder_point_reached;blocked_max_qty_below_pack'],
    [20, 20, 20, {}, 0, 'reorder_point_reached;at_order_up_to'],
    [0, 0, 0.25, { packSize: 0.1 }, 0.3, 'reorder_point_reached;rounded_up_to_pack'],
    [0, 0, 0.3, { packSize: 0.1 }, 0.3, 'reorder_point_reached'],
  ];
  it.each(table)('position %s, s=%s, S=%s, %j -> %s (%s)', (pos, rop, s, c, qty, reason) => {
    expect(decideOrder(pos, rop, s, c)).toEqual({ qty, reason });
  });

  it('inventory position is on hand + on order - backorders', () => {
    expect(inventoryPosition(5, 3, 2)).toBe(6);
    expect(inventoryPosition(5)).toBe(5);
  });

  it('any order respects pack, MOQ and cap, and brings the position to at least S unless capped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 200 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 150 }), { nil: undefined }),
        (pos, rop, extra, moq, packSize, maxQty) => {
          const s = rop + extra;
          const { qty, reason } = decideOrder(pos, rop, s, { moq, packSize, maxQty });
          if (pos > rop) return qty === 0 && reason === 'above_reorder_point';
          if (qty === 0) return true;
          const pack = packSize ?? 1;
          const wholePacks = Math.abs(qty / pack - Math.round(qty / pack)) < 1e-9;
          const capped = reason.includes('capped_at_max_qty');
          return wholePacks && qty >= (moq ?? 0) && (maxQty === undefined || qty <= maxQty) && (capped || pos + qty >= s);
        },
      ),
    );
  });

  it('constrainQuantity reports each adjustment once', () => {
    expect(constrainQuantity(5, { moq: 25, packSize: 10 })).toEqual({ qty: 30, notes: ['rounded_up_to_pack', 'raised_to_moq'] });
  });
});

describe('planOrders', () => {
  const policies = ['A', 'B', 'C', 'D'].map((sku, i) => ({ sku, reorderPoint: 20, orderUpTo: 50 + i, leadTimeMean: Number.NaN, leadTimeSd: Number.NaN }));
  const stock = new Map([
    ['B', { sku: 'B', onHand: 30, onOrder: 0, backorders: 0 }],
    ['A', { sku: 'A', onHand: 5, onOrder: 10, backorders: 3 }],
    ['C', { sku: 'C', onHand: 0, onOrder: 0, backorders: 0 }],
    ['E', { sku: 'E', onHand: 0, onOrder: 0, backorders: 0 }],
  ]);
  it('orders for SKUs at or below the reorder point, sorted, and lists SKUs missing from either side', () => {
    const plan = planOrders(policies, stock, new Map([['C', { moq: 100, maxQty: 60 }]]));
    expect(plan.lines.map((l) => [l.sku, l.position, l.qty])).toEqual([
      ['A', 12, 38],
      ['C', 0, 0],
    ]);
    expect(plan.blocked.map((l) => l.sku)).toEqual(['C']);
    expect(plan.missingInventory).toEqual([{ sku: 'D' }]);
    expect(plan.missingPolicy).toEqual([{ sku: 'E' }]);
  });
  it('--all lists every SKU present in both', () => {
    const plan = planOrders(policies, stock, new Map(), true);
    expect(plan.lines.map((l) => [l.sku, l.qty, l.reason])).toEqual([
      ['A', 38, 'reorder_point_reached'],
      ['B', 0, 'above_reorder_point'],
      ['C', 52, 'reorder_point_reached'],
    ]);
  });
});

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
