/**
 * Read a policy CSV: `stock simulate`'s output, or any CSV with at least
 * `sku,reorder_point,order_up_to`. The other columns of the simulate contract are optional and
 * validated when present; unknown columns are ignored. Problems are reported all at once with
 * file:line:column.
 */
import { ProblemCollector } from '../errors.js';
import { type LocationColumn, type SkuPolicy, stockKey, stockLabel } from '../core/types.js';
import { LOCATION_COLUMNS, locationColumnOf, locationOf } from './locations.js';
import { MAX_DAYS, MAX_UNITS } from './numbers.js';
import { type ColumnSpec, readTable } from './typed-table.js';
import type { DecimalMark } from './numbers.js';

export { POLICY_COLUMNS } from './policy-columns.js';

const optional = (name: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, kind: 'number', required: false, allowEmpty: true, ...extra });

const COLUMNS: ColumnSpec[] = [
  { name: 'sku', kind: 'string' },
  { name: 'reorder_point', kind: 'number', min: -MAX_UNITS, max: MAX_UNITS },
  { name: 'order_up_to', kind: 'number', min: -MAX_UNITS, max: MAX_UNITS },
  optional('lead_time_mean', { min: 0, max: MAX_DAYS }),
  optional('lead_time_sd', { min: 0, max: MAX_DAYS }),
  optional('demand_mean'),
  optional('demand_sd', { min: 0 }),
  optional('safety_stock'),
  optional('service_level_target', { min: 0, max: 1 }),
  optional('cycle_service_level', { min: 0, max: 1 }),
  optional('fill_rate', { min: 0, max: 1 }),
  optional('paths', { min: 0, integer: true }),
];

export interface PolicyFile {
  file: string;
  /** Sorted by sku. */
  policies: SkuPolicy[];
  /** Line of each row, keyed by `stockKey(sku, location)`, for messages. */
  lines: Map<string, number>;
  /** Set when the policy is per SKU and location (see io/locations.ts). */
  locationColumn?: LocationColumn;
  locationAt?: number;
  headerLine?: number;
}

/** `locations`: accept a policy per SKU and location (stock reorder); elsewhere a location column is refused. */
export async function readPolicy(path: string, opts: { stdin?: NodeJS.ReadableStream; delimiter?: string; decimal?: DecimalMark; locations?: boolean } = {}): Promise<PolicyFile> {
  // One pass: cell problems and the row checks below (duplicates, order_up_to >= reorder_point) together.
  const problems = new ProblemCollector();
  const table = await readTable(path, { what: 'policy file', columns: [...COLUMNS, ...LOCATION_COLUMNS], stdin: opts.stdin, delimiter: opts.delimiter, decimal: opts.decimal, collect: problems });
  const locationColumn = locationColumnOf(table, problems);
  if (locationColumn !== undefined && opts.locations !== true) {
    problems.add({ file: table.file, line: table.headerLine, column: table.header.indexOf(locationColumn) + 1, columnName: locationColumn, message: `a policy per SKU and ${locationColumn}`, expected: `one policy per SKU here (only stock reorder orders per ${locationColumn})` });
  }
  const lines = new Map<string, number>();
  const policies: SkuPolicy[] = [];
  const at = (name: string) => table.header.indexOf(name) + 1;
  for (const row of table.rows) {
    const sku = row.values.sku as string | undefined;
    const rop = row.values.reorder_point as number | undefined;
    const s = row.values.order_up_to as number | undefined;
    if (sku === undefined) continue; // an empty sku cell, already reported
    const location = locationOf(table, row, locationColumn, problems);
    if (location === null) continue;
    const key = stockKey(sku, location);
    const seen = lines.get(key);
    if (seen !== undefined) {
      const what = location === undefined ? 'SKU' : `SKU and ${locationColumn} (${stockLabel(sku, location)})`;
      problems.add({ file: table.file, line: row.line, column: at('sku'), columnName: 'sku', value: sku, message: `duplicate ${what} (first on line ${seen})`, expected: location === undefined ? 'one row per SKU' : `one row per SKU and ${locationColumn}` });
      continue;
    }
    lines.set(key, row.line);
    if (s !== undefined && rop !== undefined && s < rop) {
      problems.add({
        file: table.file,
        line: row.line,
        column: at('order_up_to'),
        columnName: 'order_up_to',
        value: String(s),
        message: 'order_up_to below reorder_point',
        expected: `a number >= reorder_point ${rop}`,
      });
      continue;
    }
    if (row.invalid === true || s === undefined || rop === undefined) continue;
    const num = (name: string) => (typeof row.values[name] === 'number' ? (row.values[name] as number) : Number.NaN);
    policies.push({ sku, ...(location === undefined ? {} : { location }), reorderPoint: rop, orderUpTo: s, leadTimeMean: num('lead_time_mean'), leadTimeSd: num('lead_time_sd') });
  }
  problems.sortByPlace().throwIfAny(`${table.file}: invalid policy file`, 'expected stock simulate output: sku,...,reorder_point,order_up_to,...');
  policies.sort((a, b) => (a.sku !== b.sku ? (a.sku < b.sku ? -1 : 1) : (a.location ?? '') < (b.location ?? '') ? -1 : (a.location ?? '') > (b.location ?? '') ? 1 : 0));
  const located = locationColumn === undefined ? {} : { locationColumn, locationAt: table.header.indexOf(locationColumn) + 1, headerLine: table.headerLine };
  return { file: table.file, policies, lines, ...located };
}
