/**
 * Read a policy CSV (core/contracts/policy.ts): `stock simulate`'s output, or any CSV with at least
 * `sku,reorder_point,order_up_to`. The other columns of the contract are optional and validated
 * when present; unknown columns are ignored. `policy` and `review_period` say which policy the file
 * holds (one per file). A `location` (or `channel`) column makes it a policy per SKU and location,
 * accepted by stock reorder only (io/locations.ts). Problems are reported all at once with
 * file:line:column.
 */
import { POLICY_CONTRACT, POLICY_KINDS, type PolicyKind, type PolicyReview } from '../core/contracts/policy.js';
import { ProblemCollector } from '../errors.js';
import { type LocationColumn, type SkuPolicy, stockKey, stockLabel } from '../core/types.js';
import { safeText } from '../text-safe.js';
import { LOCATION_COLUMNS, locationColumnOf, locationOf } from './locations.js';
import { readTable } from './typed-table.js';
import type { DecimalMark } from './numbers.js';

export { POLICY_COLUMNS, type PolicyRow } from '../core/contracts/policy.js';
export type { SkuPolicy } from '../core/types.js';

export interface PolicyFile {
  file: string;
  /** Sorted by sku (then location). */
  policies: SkuPolicy[];
  /** Line of each row, keyed by `stockKey(sku, location)`, for messages. */
  lines: Map<string, number>;
  /** Which policy the file says it holds (`policy`, `review_period`); undefined for a file without those columns. */
  review: PolicyReview | undefined;
  /** Set when the policy is per SKU and location (see io/locations.ts). */
  locationColumn?: LocationColumn;
  locationAt?: number;
  headerLine?: number;
}

/** `locations`: accept a policy per SKU and location (stock reorder); elsewhere a location column is refused. */
export async function readPolicy(path: string, opts: { stdin?: NodeJS.ReadableStream; delimiter?: string; decimal?: DecimalMark; locations?: boolean } = {}): Promise<PolicyFile> {
  // One pass: cell problems and the row checks below (duplicates, order_up_to >= reorder_point) together.
  const problems = new ProblemCollector();
  const table = await readTable(path, { what: 'policy file', columns: [...POLICY_CONTRACT.rules(), ...LOCATION_COLUMNS], stdin: opts.stdin, delimiter: opts.delimiter, decimal: opts.decimal, collect: problems });
  const locationColumn = locationColumnOf(table, problems);
  if (locationColumn !== undefined && opts.locations !== true) {
    problems.add({ file: table.file, line: table.headerLine, column: table.header.indexOf(locationColumn) + 1, columnName: locationColumn, message: `a policy per SKU and ${locationColumn}`, expected: `one policy per SKU here (only stock reorder orders per ${locationColumn})` });
  }
  const lines = new Map<string, number>();
  const policies: SkuPolicy[] = [];
  const reviews = new Map<string, { review: PolicyReview; line: number }>();
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
    const review = reviewOf(row.values.policy, row.values.review_period, (column, value, message, expected) =>
      problems.add({ file: table.file, line: row.line, column: at(column), columnName: column, value, message, expected }),
    );
    if (review !== undefined) {
      const key = review.kind === 'sQ' ? 'sQ' : `RS ${review.period}`;
      if (reviews.size > 0 && !reviews.has(key)) {
        const [first, { line }] = [...reviews][0]!;
        problems.add({ file: table.file, line: row.line, column: at('policy'), columnName: 'policy', value: key, message: `a second kind of policy in one file (line ${line}: ${first})`, expected: 'one policy and review period per file (stock simulate writes one); replay the others from their own file' });
      } else if (!reviews.has(key)) reviews.set(key, { review, line: row.line });
    }
    if (row.invalid === true || s === undefined || rop === undefined) continue;
    const num = (name: string) => (typeof row.values[name] === 'number' ? (row.values[name] as number) : Number.NaN);
    policies.push({ sku, ...(location === undefined ? {} : { location }), reorderPoint: rop, orderUpTo: s, leadTimeMean: num('lead_time_mean'), leadTimeSd: num('lead_time_sd') });
  }
  problems.sortByPlace().throwIfAny(`${table.file}: invalid policy file`, 'expected stock simulate output: sku,...,reorder_point,order_up_to,...');
  policies.sort((a, b) => (a.sku !== b.sku ? (a.sku < b.sku ? -1 : 1) : (a.location ?? '') < (b.location ?? '') ? -1 : (a.location ?? '') > (b.location ?? '') ? 1 : 0));
  const hasColumns = table.header.includes('policy') || table.header.includes('review_period');
  const located = locationColumn === undefined ? {} : { locationColumn, locationAt: table.header.indexOf(locationColumn) + 1, headerLine: table.headerLine };
  return { file: table.file, policies, lines, review: hasColumns && reviews.size === 1 ? [...reviews.values()][0]!.review : undefined, ...located };
}

type Report = (column: string, value: string, message: string, expected: string) => void;

/** The review a row states: `policy` sQ|RS and `review_period` (0 or empty for sQ, >= 1 for RS). */
function reviewOf(kindCell: unknown, periodCell: unknown, report: Report): PolicyReview | undefined {
  const kind = typeof kindCell === 'string' && kindCell !== '' ? kindCell : undefined;
  const period = typeof periodCell === 'number' && !Number.isNaN(periodCell) ? periodCell : undefined;
  if (kind === undefined && period === undefined) return undefined;
  if (kind !== undefined && !POLICY_KINDS.includes(kind as PolicyKind)) {
    report('policy', safeText(kind, 40), 'unknown policy', `one of ${POLICY_KINDS.join(', ')}`);
    return undefined;
  }
  if (kind === 'RS' || (kind === undefined && period !== undefined && period > 0)) {
    if (period === undefined || period < 1) {
      report('review_period', String(period ?? ''), 'an (R,S) policy needs its review period', 'a whole number of days >= 1');
      return undefined;
    }
    if (kind === undefined) {
      report('policy', '', `review_period ${period} without a policy`, 'RS (or sQ with review_period 0)');
      return undefined;
    }
    return { kind: 'RS', period };
  }
  if (period !== undefined && period !== 0) {
    report('review_period', String(period), 'an (s,Q) policy is reviewed continuously', 'review_period 0 or empty with policy sQ');
    return undefined;
  }
  return { kind: 'sQ' };
}
