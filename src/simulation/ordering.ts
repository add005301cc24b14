/**
 * Order-point arithmetic shared by `stock reorder` (orders to place today) and `stock backtest`
 * (orders placed day by day in a replay). Pure: no I/O.
 *
 * Rules, applied in this order:
 *   1. position = on_hand + on_order - backorders.
 *   2. No order while position > reorder_point (`above_reorder_point`).
 *   3. raw = order_up_to - position; raw <= 0 orders nothing (`at_order_up_to`, only possible when
 *      order_up_to == reorder_point).
 *   4. Round raw UP to whole packs (pack_size, default 1 unit: orders are whole units).
 *   5. Below the MOQ: raise to the MOQ, itself rounded UP to whole packs (MOQ 25, pack 10 -> 30),
 *      because a supplier accepts neither less than the MOQ nor broken packs.
 *   6. Above max_qty: lower to the largest whole number of packs <= max_qty. If that is below the
 *      MOQ (or below one pack) no order can satisfy every constraint: the quantity is 0 and the
 *      reason says which constraints clash, so a planner decides instead of the tool.
 */

import { type OrderConstraints, type SkuPolicy, stockKey } from '../core/types.js';

// The shared records live in core/types.ts (io reads them, simulation uses them).
export type { OrderConstraints, SkuPolicy } from '../core/types.js';

export interface OrderDecision {
  qty: number;
  /** Machine-readable, `;`-separated: a base reason then the adjustments that applied. */
  reason: string;
}

export const REASONS = {
  above: 'above_reorder_point',
  reached: 'reorder_point_reached',
  atOrderUpTo: 'at_order_up_to',
  pack: 'rounded_up_to_pack',
  moq: 'raised_to_moq',
  cap: 'capped_at_max_qty',
  capBelowMoq: 'blocked_max_qty_below_moq',
  capBelowPack: 'blocked_max_qty_below_pack',
} as const;

const EPS = 1e-9;

export function inventoryPosition(onHand: number, onOrder = 0, backorders = 0): number {
  return onHand + onOrder - backorders;
}

/** n packs of `pack` units, without 3 * 0.1 = 0.30000000000000004 noise. */
function packs(n: number, pack: number): number {
  return Math.round(n * pack * 1e9) / 1e9;
}

/** Apply pack, MOQ and cap to a wanted quantity > 0 (rules 4-6). */
export function constrainQuantity(raw: number, c: OrderConstraints = {}): { qty: number; notes: string[] } {
  const pack = c.packSize !== undefined && c.packSize > 0 ? c.packSize : 1;
  const moq = c.moq !== undefined && c.moq > 0 ? c.moq : 0;
  const notes: string[] = [];
  let qty = packs(Math.ceil(raw / pack - EPS), pack);
  if (qty > raw + EPS) notes.push(REASONS.pack);
  if (qty < moq - EPS) {
    qty = packs(Math.ceil(moq / pack - EPS), pack);
    notes.push(REASONS.moq);
  }
  if (c.maxQty !== undefined && qty > c.maxQty + EPS) {
    qty = packs(Math.floor(c.maxQty / pack + EPS), pack);
    if (qty <= 0) return { qty: 0, notes: [...notes, REASONS.capBelowPack] };
    if (qty < moq - EPS) return { qty: 0, notes: [...notes, REASONS.capBelowMoq] };
    notes.push(REASONS.cap);
  }
  return { qty, notes };
}

/** What to order at this inventory position (rules 2-6). */
export function decideOrder(position: number, reorderPoint: number, orderUpTo: number, c: OrderConstraints = {}): OrderDecision {
  if (position > reorderPoint + EPS) return { qty: 0, reason: REASONS.above };
  const raw = orderUpTo - position;
  if (raw <= EPS) return { qty: 0, reason: `${REASONS.reached};${REASONS.atOrderUpTo}` };
  const { qty, notes } = constrainQuantity(raw, c);
  return { qty, reason: [REASONS.reached, ...notes].join(';') };
}

/** True when the reason means the constraints made ordering impossible (worth a warning). */
export function isBlocked(reason: string): boolean {
  return reason.includes(REASONS.capBelowMoq) || reason.includes(REASONS.capBelowPack);
}

export interface StockLevel {
  onHand: number;
  onOrder: number;
  backorders: number;
}

export interface OrderLine {
  sku: string;
  /** The policy's location, when the policy is per SKU and location. */
  location?: string;
  position: number;
  reorderPoint: number;
  orderUpTo: number;
  qty: number;
  reason: string;
}

/** A SKU, or a SKU at a location. */
export interface StockPoint {
  sku: string;
  location?: string;
}

export interface OrderPlan {
  /** Sorted by sku (then location): points to order, blocked ones (qty 0), and with `all` every other one too. */
  lines: OrderLine[];
  /** In the policy, not in the inventory. */
  missingInventory: StockPoint[];
  /** In the inventory, not in the policy. */
  missingPolicy: StockPoint[];
  /** Points that need an order the constraints make impossible. */
  blocked: OrderLine[];
}

const byPoint = (a: StockPoint, b: StockPoint) => {
  if (a.sku !== b.sku) return a.sku < b.sku ? -1 : 1;
  const x = a.location ?? '';
  const y = b.location ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Orders to place now for every stock point present in both the policy and the inventory. A point
 * is a SKU, or a SKU at a location when the policies carry one; `stock` and `constraints` are keyed
 * by `stockKey(sku, location)` (the SKU alone for per-SKU policies).
 */
export function planOrders(
  policies: readonly SkuPolicy[],
  stock: ReadonlyMap<string, StockLevel & StockPoint>,
  constraints: ReadonlyMap<string, OrderConstraints> = new Map(),
  all = false,
): OrderPlan {
  const lines: OrderLine[] = [];
  const blocked: OrderLine[] = [];
  const missingInventory: StockPoint[] = [];
  const inPolicy = new Set<string>();
  const point = (p: StockPoint): StockPoint => (p.location === undefined ? { sku: p.sku } : { sku: p.sku, location: p.location });
  for (const p of policies) {
    const key = stockKey(p.sku, p.location);
    inPolicy.add(key);
    const s = stock.get(key);
    if (s === undefined) {
      missingInventory.push(point(p));
      continue;
    }
    const position = inventoryPosition(s.onHand, s.onOrder, s.backorders);
    const d = decideOrder(position, p.reorderPoint, p.orderUpTo, constraints.get(key));
    const line: OrderLine = { ...point(p), position, reorderPoint: p.reorderPoint, orderUpTo: p.orderUpTo, qty: d.qty, reason: d.reason };
    const isStuck = isBlocked(d.reason);
    if (isStuck) blocked.push(line);
    // A point that needs an order the constraints forbid is listed (qty 0) even without `all`.
    if (all || d.qty > 0 || isStuck) lines.push(line);
  }
  const missingPolicy = [...stock].filter(([key]) => !inPolicy.has(key)).map(([, s]) => point(s));
  lines.sort(byPoint);
  missingInventory.sort(byPoint);
  missingPolicy.sort(byPoint);
  return { lines, missingInventory, missingPolicy, blocked };
}
