/**
 * Current inventory (`sku[,location|channel],on_hand[,on_order][,backorders]`) and ordering
 * constraints (`moq`, `pack_size`, `max_qty`), either as extra columns of the inventory file or in
 * a separate per-SKU constraints file. Empty on_order/backorders = 0; empty constraint = none.
 * Validated with file:line:column problems, all reported at once.
 *
 * With a location (or channel) column the file holds one row per SKU and location;
 * `poolInventory` sums a SKU's locations into one row when the policy is per SKU.
 */
import { InputError, ProblemCollector, type Problem } from '../errors.js';
import { CONSTRAINT_COLUMN_NAMES, INVENTORY_CONTRACT } from '../core/contracts/inventory.js';
import { type LocationColumn, type OrderConstraints, stockKey, stockLabel } from '../core/types.js';
import { LOCATION_COLUMNS, locationColumnOf, locationOf } from './locations.js';
import { type CollectedTable, type ColumnSpec, readTable } from './typed-table.js';
import type { DecimalMark } from './numbers.js';

export interface InventoryRow {
  sku: string;
  /** Set when the file has a location column (undefined on pooled rows). */
  location?: string;
  /** The row's line; a pooled row has its SKU's first line. */
  line: number;
  onHand: number;
  onOrder: number;
  backorders: number;
  constraints: OrderConstraints;
}

const CONSTRAINT_COLUMNS: ColumnSpec[] = CONSTRAINT_COLUMN_NAMES.map((name) => INVENTORY_CONTRACT.rule(name));

const INVENTORY_COLUMNS: ColumnSpec[] = [...INVENTORY_CONTRACT.rules(), ...LOCATION_COLUMNS];

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

export interface InventoryFile {
  file: string;
  locationColumn?: LocationColumn;
  /** 1-based field number of the location column. */
  locationAt?: number;
  headerLine: number;
  /** Keyed by `stockKey(sku, location)`: the SKU alone without a location column. */
  rows: Map<string, InventoryRow>;
  /** 1-based field number of each constraint column present, for messages. */
  columns: Record<string, number>;
}

type ReadOptions = { stdin?: NodeJS.ReadableStream; delimiter?: string; decimal?: DecimalMark };

/**
 * The inventory file as it is: one row per SKU, or per SKU and location when it has a location
 * (or channel) column. A second row for the same SKU (and location), an empty location cell, or
 * both a location and a channel column are problems at their place.
 */
export async function readInventoryFile(path: string, opts: ReadOptions = {}): Promise<InventoryFile> {
  const problems = new ProblemCollector();
  const table = await readTable(path, { what: 'inventory file', columns: INVENTORY_COLUMNS, stdin: opts.stdin, delimiter: opts.delimiter, decimal: opts.decimal, collect: problems });
  const locationColumn = locationColumnOf(table, problems);
  const rows = new Map<string, InventoryRow>();
  const first = new Map<string, number>();
  const col = table.header.indexOf('sku') + 1;
  for (const row of table.rows) {
    const sku = row.values.sku as string | undefined;
    if (sku === undefined) continue; // an empty sku cell, already reported
    const location = locationOf(table, row, locationColumn, problems);
    if (location === null) continue;
    const key = stockKey(sku, location);
    const seen = first.get(key);
    if (seen !== undefined) {
      const what = location === undefined ? 'SKU' : `SKU and ${locationColumn} (${stockLabel(sku, location)})`;
      problems.add({ file: table.file, line: row.line, column: col, columnName: 'sku', value: sku, message: `duplicate ${what} (first on line ${seen})`, expected: location === undefined ? 'one row per SKU (stock at several locations or channels: add a location or channel column)' : `one row per SKU and ${locationColumn}` });
      continue;
    }
    first.set(key, row.line);
    if (row.invalid === true) continue;
    const v = row.values;
    rows.set(key, {
      sku,
      ...(location === undefined ? {} : { location }),
      line: row.line,
      onHand: v.on_hand as number,
      onOrder: value(v.on_order) ?? 0,
      backorders: value(v.backorders) ?? 0,
      constraints: constraintsOf(v),
    });
  }
  problems.sortByPlace().throwIfAny(`${table.file}: invalid inventory file`);
  const columns: Record<string, number> = {};
  for (const c of CONSTRAINT_COLUMNS) if (table.present.has(c.name)) columns[c.name] = table.header.indexOf(c.name) + 1;
  return { file: table.file, headerLine: table.headerLine, locationColumn, locationAt: locationColumn === undefined ? undefined : table.header.indexOf(locationColumn) + 1, rows, columns };
}

const CONSTRAINT_FIELDS: [keyof OrderConstraints, string][] = [
  ['moq', 'moq'],
  ['packSize', 'pack_size'],
  ['maxQty', 'max_qty'],
];

/**
 * One row per SKU: the stock of its locations summed (on_hand, on_order, backorders), so a per-SKU
 * policy sees one inventory position. The SKU orders once, so its constraints must be one: each
 * constraint is the value its rows give (a blank cell states none); two different values for one
 * SKU are a problem at the later cell. A file without a location column comes back as it is.
 */
export function poolInventory(inv: InventoryFile): Map<string, InventoryRow> {
  if (inv.locationColumn === undefined) return inv.rows;
  const out = new Map<string, InventoryRow>();
  const from = new Map<string, Partial<Record<keyof OrderConstraints, number>>>(); // line that set each constraint
  const problems: Problem[] = [];
  for (const r of inv.rows.values()) {
    const p = out.get(r.sku);
    if (p === undefined) {
      out.set(r.sku, { sku: r.sku, line: r.line, onHand: r.onHand, onOrder: r.onOrder, backorders: r.backorders, constraints: { ...r.constraints } });
      from.set(r.sku, Object.fromEntries(Object.keys(r.constraints).map((k) => [k, r.line])));
      continue;
    }
    p.onHand += r.onHand;
    p.onOrder += r.onOrder;
    p.backorders += r.backorders;
    const lines = from.get(r.sku)!;
    for (const [field, name] of CONSTRAINT_FIELDS) {
      const v = r.constraints[field];
      if (v === undefined) continue;
      const had = p.constraints[field];
      if (had === undefined) {
        p.constraints[field] = v;
        lines[field] = r.line;
      } else if (had !== v) {
        problems.push({
          file: inv.file,
          line: r.line,
          column: inv.columns[name],
          columnName: name,
          value: String(v),
          message: `SKU ${r.sku}: ${name} ${v} here, ${had} on line ${lines[field]}`,
          expected: `one ${name} per SKU: the policy has no ${inv.locationColumn} column, so the stock of every ${inv.locationColumn} is pooled into one order`,
        });
      }
    }
  }
  if (problems.length > 0) {
    throw new InputError(
      `${inv.file}: conflicting constraints within a SKU: ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      problems,
      `give each constraint on one row of the SKU (or leave those cells empty and use --constraints), or add a ${inv.locationColumn} column to the policy to order per ${inv.locationColumn}`,
    );
  }
  return out;
}

/** The inventory per SKU (locations pooled, see `poolInventory`): what `stock backtest` replays from. */
export async function readInventory(path: string, opts: ReadOptions = {}): Promise<Map<string, InventoryRow>> {
  return poolInventory(await readInventoryFile(path, opts));
}

/**
 * The constraints file: one row per SKU. It has no location column (a row applies to every
 * location of its SKU): one is refused, since it would be ignored; per-location constraints go in
 * the inventory file.
 */
export async function readConstraints(path: string, opts: ReadOptions = {}): Promise<Map<string, OrderConstraints>> {
  const problems = new ProblemCollector();
  const table = await readTable(path, { what: 'constraints file', columns: [INVENTORY_CONTRACT.rule('sku'), ...CONSTRAINT_COLUMNS, ...LOCATION_COLUMNS], stdin: opts.stdin, delimiter: opts.delimiter, decimal: opts.decimal, collect: problems });
  for (const name of LOCATION_COLUMNS.map((c) => c.name).filter((n) => table.present.has(n))) {
    problems.add({ file: table.file, line: table.headerLine, column: table.header.indexOf(name) + 1, columnName: name, message: `a ${name} column in the constraints file`, expected: `sku[,moq][,pack_size][,max_qty]: one row per SKU, for all its ${name}s (per-${name} constraints go in the inventory file)` });
  }
  return bySku(table, 'constraints file', problems, (v) => constraintsOf(v));
}

/**
 * Constraints of the inventory rows (keyed as the rows are), overridden field by field by a
 * constraints file, whose row for a SKU applies to every location of it.
 */
export function mergeConstraints(inventory: Map<string, InventoryRow>, extra: Map<string, OrderConstraints> | undefined): Map<string, OrderConstraints> {
  const out = new Map<string, OrderConstraints>();
  for (const [key, row] of inventory) out.set(key, { ...row.constraints, ...extra?.get(row.sku) });
  return out;
}
