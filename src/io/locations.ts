/**
 * The optional location column of the inventory and policy files (docs/reorder-backtest.md,
 * "Several locations or sales channels"). It is named `location` or `channel` (the same thing:
 * where stock is held or sold); a file has at most one of them, and once a file has one, every row
 * names its location. Which orders follow from the two files is decided in `stockMode`.
 */
import type { Problem } from '../errors.js';
import { InputError, type ProblemCollector } from '../errors.js';
import type { LocationColumn } from '../core/types.js';
import type { CollectedTable, ColumnSpec, TableRow } from './typed-table.js';

export const LOCATION_NAMES: readonly LocationColumn[] = ['location', 'channel'];

/** Read as text; an empty cell is reported by `locationOf` with its own message. */
export const LOCATION_COLUMNS: ColumnSpec[] = LOCATION_NAMES.map((name) => ({ name, kind: 'string', required: false, allowEmpty: true }));

/** The file's location column, or undefined; both names in one header is a problem (the file is refused). */
export function locationColumnOf(table: CollectedTable, problems: ProblemCollector): LocationColumn | undefined {
  const found = LOCATION_NAMES.filter((n) => table.present.has(n));
  if (found.length > 1) {
    problems.add({
      file: table.file,
      line: table.headerLine,
      column: table.header.indexOf('channel') + 1,
      columnName: 'channel',
      message: 'both a location and a channel column',
      expected: 'one location column, named location or channel',
    });
  }
  return found[0];
}

/**
 * The row's location (undefined when the file has no location column). An empty cell is a problem:
 * it is unclear whether it means a location named "", every location, or a total row.
 */
export function locationOf(table: CollectedTable, row: TableRow, column: LocationColumn | undefined, problems: ProblemCollector): string | undefined | null {
  if (column === undefined) return undefined;
  const v = row.values[column];
  if (typeof v === 'string' && v !== '') return v;
  if (v === undefined) return null; // the cell did not parse; already reported
  problems.add({
    file: table.file,
    line: row.line,
    column: table.header.indexOf(column) + 1,
    columnName: column,
    value: '',
    message: `empty ${column}`,
    expected: `the ${column} of this row (a file with a ${column} column names it on every row)`,
  });
  return null;
}

export interface LocatedFile {
  file: string;
  locationColumn?: LocationColumn;
  /** 1-based field number of the location column in the header. */
  locationAt?: number;
  /** The header's line. */
  headerLine?: number;
}

/**
 * How the policy and the inventory meet:
 * - `sku`: neither file has a location column: one order per SKU, as without locations;
 * - `pooled`: only the inventory has one: the stock of a SKU's locations is summed into one
 *   inventory position and one order per SKU (channels selling from shared stock);
 * - `location`: both have one (under the same name): one order per SKU and location.
 * A policy per location with an inventory per SKU cannot be applied (exit 2).
 */
export function stockMode(policy: LocatedFile, inventory: LocatedFile): 'sku' | 'pooled' | 'location' {
  const p = policy.locationColumn;
  const i = inventory.locationColumn;
  if (p === undefined) return i === undefined ? 'sku' : 'pooled';
  if (i === undefined) {
    const problem: Problem = { file: policy.file, line: policy.headerLine ?? 1, column: policy.locationAt, columnName: p, message: `the policy is per SKU and ${p}, the inventory has no ${p} column` };
    throw new InputError(
      `${inventory.file}: no ${p} column, but ${policy.file} has a policy per ${p}`,
      [problem],
      `add a ${p} column to ${inventory.file} (the stock of each ${p}), or drop it from ${policy.file} to order per SKU`,
    );
  }
  if (p !== i) {
    throw new InputError(
      `${policy.file} names its location column ${p}, ${inventory.file} names it ${i}`,
      [{ file: policy.file, line: policy.headerLine ?? 1, column: policy.locationAt, columnName: p, message: `${p} here, ${i} in ${inventory.file}` }],
      `use one name in both files (location or channel)`,
    );
  }
  return 'location';
}
