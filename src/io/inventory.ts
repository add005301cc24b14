/**
 * Current inventory (`sku,on_hand[,on_order][,backorders]`) and per-SKU ordering constraints
 * (`moq`, `pack_size`, `max_qty`), either as extra columns of the inventory file or in a separate
 * constraints file. Empty on_order/backorders = 0; empty constraint = none. Validated with
 * file:line:column problems, all reported at once.
 */
import { ProblemCollector } from '../errors.js';
import type { OrderConstraints } from '../simulation/ordering.js';
import { MAX_UNITS } from './numbers.js';
import { type CollectedTable, type ColumnSpec, readTable } from './typed-table.js';
import type { DecimalMark } from './numbers.js';

export interface InventoryRow {
  sku: string;
  line: number;
  onHand: number;
  onOrder: number;
  backorders: number;
  constraints: OrderConstraints;
}

const CONSTRAINT_COLUMNS: ColumnSpec[] = [
  { name: 'moq', kind: 'number', required: false, allowEmpty: true, min: 0, max: MAX_UNITS },
  { name: 'pack_size', kind: 'number', required: false, allowEmpty: true, above: 0, max: MAX_UNITS },
  { name: 'max_qty', kind: 'number', required: false, allowEmpty: true, min: 0, max: MAX_UNITS },
];

const INVENTORY_COLUMNS: ColumnSpec[] = [
  { name: 'sku', kind: 'string' },
  { name: 'on_hand', kind: 'number', min: 0, max: MAX_UNITS },
  { name: 'on_order', kind: 'number', required: false, allowEmpty: true, min: 0, max: MAX_UNITS },
  { name: 'backorders', kind: 'number', required: false, allowEmpty: true, min: 0, max: MAX_UNITS },
  ...CONSTRAINT_COLUMNS,
];

function value(v: string | number | undefined): number | undefined {
  return typeof v === 'number' && !Number.isNaN(v) ? v : undefined;
}

function constraintsOf(values: Record<string, string | number>): OrderConstraints {
  const c: OrderConstraints = {};
  const moq = value(values.moq);
  const pack = value(values.pack_size);
  const max = value(values.max_qty);
  if (moq !== undefined) c.moq = moq;
  if (pack !== undefined) c.packSize = pack;
  if (max !== undefined) c.maxQty = max;
  return c;
}

/**
 * One row per SKU; a second row for a SKU is a problem at its line. `problems` already holds the
 * table's cell problems (one pass: all are reported together).
 */
function bySku<T>(table: CollectedTable, what: string, problems: ProblemCollector, make: (values: Record<string, string | number>, line: number) => T): Map<string, T> {
  const out = new Map<string, T>();
  const first = new Map<string, number>();
  const col = table.header.indexOf('sku') + 1;
  for (const row of table.rows) {
    const sku = row.values.sku as string | undefined;
    if (sku === undefined) continue; // an empty sku cell, already reported
    const seen = first.get(sku);
    if (seen !== undefined) {
      problems.add({ file: table.file, line: row.line, column: col, columnName: 'sku', value: sku, message: `duplicate SKU (first on line ${seen})`, expected: 'one row per SKU' });
      continue;
    }
    first.set(sku, row.line);
    if (row.invalid !== true) out.set(sku, make(row.values, row.line));
  }
  problems.sortByPlace().throwIfAny(`${table.file}: invalid ${what}`);
  return out;
}

export async function readInventory(path: string, opts: { stdin?: NodeJS.ReadableStream; delimiter?: string; decimal?: DecimalMark } = {}): Promise<Map<string, InventoryRow>> {
  const problems = new ProblemCollector();
  const table = await readTable(path, { what: 'inventory file', columns: INVENTORY_COLUMNS, stdin: opts.stdin, delimiter: opts.delimiter, decimal: opts.decimal, collect: problems });
  return bySku(table, 'inventory file', problems, (v, line) => ({
    sku: v.sku as string,
    line,
    onHand: v.on_hand as number,
    onOrder: value(v.on_order) ?? 0,
    backorders: value(v.backorders) ?? 0,
    constraints: constraintsOf(v),
  }));
}

export async function readConstraints(path: string, opts: { stdin?: NodeJS.ReadableStream; delimiter?: string; decimal?: DecimalMark } = {}): Promise<Map<string, OrderConstraints>> {
  const problems = new ProblemCollector();
  const table = await readTable(path, { what: 'constraints file', columns: [{ name: 'sku', kind: 'string' }, ...CONSTRAINT_COLUMNS], stdin: opts.stdin, delimiter: opts.delimiter, decimal: opts.decimal, collect: problems });
  return bySku(table, 'constraints file', problems, (v) => constraintsOf(v));
}

/** Constraints of the inventory file, overridden field by field by a constraints file. */
export function mergeConstraints(inventory: Map<string, InventoryRow>, extra: Map<string, OrderConstraints> | undefined): Map<string, OrderConstraints> {
  const out = new Map<string, OrderConstraints>();
  for (const [sku, row] of inventory) out.set(sku, { ...row.constraints });
  if (extra !== undefined) for (const [sku, c] of extra) out.set(sku, { ...out.get(sku), ...c });
  return out;
}
