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

export interface OrderConstraints {
  /** Minimum order quantity; undefined or 0 = none. */
  moq?: number;
  /** Orders are whole multiples of this; undefined = 1 unit. */
  packSize?: number;
  /** Most that may be ordered at once; undefined = no cap. */
  maxQty?: number;
}

/** The part of a policy that ordering needs (one row of `stock simulate`'s output). */
export interface SkuPolicy {
  sku: string;
  reorderPoint: number;
  orderUpTo: number;
  /** Optional columns of the policy file, NaN when absent. */
  leadTimeMean: number;
  leadTimeSd: number;
}

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
  position: number;
  reorderPoint: number;
  orderUpTo: number;
  qty: number;
  reason: string;
}

export interface OrderPlan {
  /** Sorted by sku: SKUs to order, blocked SKUs (qty 0), and with `all` every other SKU too. */
  lines: OrderLine[];
  /** In the policy, not in the inventory. */
  missingInventory: string[];
  /** In the inventory, not in the policy. */
  missingPolicy: string[];
  /** SKUs that need an order the constraints make impossible. */
  blocked: OrderLine[];
}

/** Orders to place now for every SKU present in both the policy and the inventory. */
export function planOrders(
  policies: readonly SkuPolicy[],
  stock: ReadonlyMap<string, StockLevel>,
  constraints: ReadonlyMap<string, OrderConstraints> = new Map(),
  all = false,
): OrderPlan {
  const lines: OrderLine[] = [];
  const blocked: OrderLine[] = [];
  const missingInventory: string[] = [];
  const inPolicy = new Set<string>();
  for (const p of policies) {
    inPolicy.add(p.sku);
    const s = stock.get(p.sku);
    if (s === undefined) {
      missingInventory.push(p.sku);
      continue;
    }
    const position = inventoryPosition(s.onHand, s.onOrder, s.backorders);
    const d = decideOrder(position, p.reorderPoint, p.orderUpTo, constraints.get(p.sku));
    const line: OrderLine = { sku: p.sku, position, reorderPoint: p.reorderPoint, orderUpTo: p.orderUpTo, qty: d.qty, reason: d.reason };
    const isStuck = isBlocked(d.reason);
    if (isStuck) blocked.push(line);
    // A SKU that needs an order the constraints forbid is listed (qty 0) even without `all`.
    if (all || d.qty > 0 || isStuck) lines.push(line);
  }
  const missingPolicy = [...stock.keys()].filter((sku) => !inPolicy.has(sku));
  const bySku = (a: { sku: string } | string, b: { sku: string } | string) => {
    const x = typeof a === 'string' ? a : a.sku;
    const y = typeof b === 'string' ? b : b.sku;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  lines.sort(bySku);
  missingInventory.sort(bySku);
  missingPolicy.sort(bySku);
  return { lines, missingInventory, missingPolicy, blocked };
}
