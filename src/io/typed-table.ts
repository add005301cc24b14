/**
 * `readTable`: the validating reader of the small typed tables (forecasts, lead times, inventory,
 * policies, promotion plans), on top of csv-in's record stream. Header rules (required columns,
 * unique names) and every cell (strict, finite numbers through io/numbers.ts; dates; bounds) are
 * checked in one pass; every problem is reported with file:line:column (up to the cap).
 *
 * With `collect`, cell problems go into the caller's collector instead of being thrown, and rows
 * with bad cells come back flagged `invalid` (their good cells parsed), so the caller can add its
 * own checks (duplicates, order_up_to >= reorder_point, ...) and report everything at once.
 */
import type { ColumnRule } from '../core/contracts/table.js';
import { MISSING_CELLS } from '../core/contracts/sales.js';
import { InputError, ProblemCollector, type Problem } from '../errors.js';
import { csvRecords, displayName } from './csv-in.js';
import { type DateFormat, parseDay, timeOfDay, timeOfDayMessage } from '../core/calendar.js';
import { duplicateColumns } from './header-check.js';
import { type DecimalMark, numberProblemWith, parseNumberWith } from './numbers.js';
import { delimiterHint } from './header-check.js';

export type { ColumnKind } from '../core/contracts/table.js';

/** What a reader accepts in one column: the rule of a contract column (core/contracts/table.ts). */
export type ColumnSpec = ColumnRule;

export interface TableSpec {
  /** What the file is, for messages: "forecast file", "lead-time file". */
  what: string;
  /** The columns, or a function that picks them from the header (names chosen by options, intervals found by name). */
  columns: ColumnSpec[] | ((header: string[], line: number) => ColumnSpec[]);
  dateFormat?: DateFormat;
  delimiter?: string;
  /** Decimal mark of numeric cells (`--decimal`); default '.'. */
  decimal?: DecimalMark;
  stdin?: NodeJS.ReadableStream;
  /** Maximum problems listed (default 50). */
  cap?: number;
}

export interface TableRow {
  line: number;
  values: Record<string, string | number>;
}

export interface Table {
  file: string;
  header: string[];
  /** The header's line (1 unless blank lines come first). */
  headerLine: number;
  /** Which optional columns were present. */
  present: Set<string>;
  rows: TableRow[];
}

export interface CollectedTable extends Table {
  rows: (TableRow & { invalid?: boolean })[];
}

function describe(c: ColumnSpec): string {
  if (c.kind === 'string') return 'a non-empty value';
  if (c.kind === 'date') return 'a date';
  const show = (x: number) => (Math.abs(x) >= 1e6 ? x.toExponential().replace('e+', 'e') : String(x));
  const bounds: string[] = [];
  if (c.min !== undefined) bounds.push(`>= ${show(c.min)}`);
  if (c.above !== undefined) bounds.push(`> ${show(c.above)}`);
  if (c.max !== undefined) bounds.push(`<= ${show(c.max)}`);
  return [c.integer ? 'a whole number' : 'a finite number', bounds.join(' and ')].filter((s) => s !== '').join(' ');
}

export async function readTable(path: string, spec: TableSpec & { collect?: ProblemCollector }): Promise<CollectedTable> {
  const file = displayName(path);
  const problems = spec.collect ?? new ProblemCollector(spec.cap ?? 50);
  const dateFormat = spec.dateFormat ?? 'YYYY-MM-DD';
  let header: string[] | undefined;
  let headerLine = 1;
  let index: { spec: ColumnSpec; at: number }[] = [];
  const rows: CollectedTable['rows'] = [];
  const present = new Set<string>();
  let columns: ColumnSpec[] = typeof spec.columns === 'function' ? [] : spec.columns;

  for await (const rec of csvRecords(path, { delimiter: spec.delimiter, stdin: spec.stdin })) {
    if (header === undefined) {
      header = rec.fields.map((h) => h.trim());
      headerLine = rec.line;
      if (typeof spec.columns === 'function') columns = spec.columns(header, rec.line);
      const headerProblems: Problem[] = duplicateColumns(header, file, rec.line);
      const missing = columns.filter((c) => c.required !== false && !header!.includes(c.name));
      if (missing.length > 0) {
        headerProblems.push({
          file,
          line: rec.line,
          message: `missing required column${missing.length > 1 ? 's' : ''} ${missing.map((c) => c.name).join(', ')}`,
          expected: `columns ${columns.filter((c) => c.required !== false).map((c) => c.name).join(', ')}`,
          value: header.join(spec.delimiter ?? ','),
        });
      }
      if (headerProblems.length > 0) {
        const what = missing.length > 0 ? `missing required column${missing.length > 1 ? 's' : ''} ${missing.map((c) => c.name).join(', ')}` : 'bad header';
        throw new InputError(`${file}: ${what}`, headerProblems, missing.length > 0 ? delimiterHint(header, spec.delimiter) : undefined);
      }
      index = columns.filter((c) => header!.includes(c.name)).map((c) => ({ spec: c, at: header!.indexOf(c.name) }));
      for (const { spec: c } of index) present.add(c.name);
      continue;
    }
    if (rec.fields.length !== header.length) {
      problems.add({ file, line: rec.line, message: 'wrong number of fields', expected: `${header.length} fields`, value: `${rec.fields.length} fields` });
      continue;
    }
    const values: Record<string, string | number> = {};
    let ok = true;
    for (const { spec: c, at } of index) {
      const raw = rec.fields[at]!;
      const cell = raw.trim();
      const where: Problem = { file, line: rec.line, column: at + 1, columnName: c.name, value: raw, message: '' };
      if (cell === '' || (c.naIsEmpty === true && MISSING_CELLS.has(cell))) {
        if (c.allowEmpty) {
          values[c.name] = c.kind === 'string' ? '' : Number.NaN;
          continue;
        }
        problems.add({ ...where, message: 'empty value', expected: describe(c) });
        ok = false;
        continue;
      }
      if (c.kind === 'string') {
        values[c.name] = cell;
      } else if (c.kind === 'date') {
        const d = parseDay(cell, dateFormat);
        const time = Number.isNaN(d) ? timeOfDay(cell, dateFormat) : undefined;
        if (time !== undefined) {
          problems.add({ ...where, message: timeOfDayMessage(time) });
          ok = false;
        } else if (Number.isNaN(d)) {
          problems.add({ ...where, message: 'not a valid date', expected: `a date as ${dateFormat}` });
          ok = false;
        } else values[c.name] = d;
      } else {
        const v = parseNumberWith(cell, spec.decimal);
        const outOfRange =
          (c.integer === true && !Number.isInteger(v)) ||
          (c.min !== undefined && v < c.min) ||
          (c.above !== undefined && v <= c.above) ||
          (c.max !== undefined && v > c.max);
        if (Number.isNaN(v)) {
          problems.add({ ...where, message: numberProblemWith(cell, spec.decimal), expected: describe(c) });
          ok = false;
        } else if (outOfRange) {
          problems.add({ ...where, message: 'out of range', expected: describe(c) });
          ok = false;
        } else values[c.name] = v;
      }
    }
    if (ok) rows.push({ line: rec.line, values });
    else if (spec.collect !== undefined) rows.push({ line: rec.line, values, invalid: true });
  }
  if (header === undefined) throw new InputError(`${file}: empty file`, [], `expected a header line with ${columns.map((c) => c.name).join(', ') || 'the column names'}`);
  if (spec.collect === undefined) problems.throwIfAny(`${file}: invalid ${spec.what}`);
  if (rows.length === 0) {
    // Rows dropped as ragged leave none: their problems, not "header only" (collected ones too).
    problems.throwIfAny(`${file}: invalid ${spec.what}`);
    throw new InputError(`${file}: header only, no data rows in ${spec.what}`);
  }
  return { file, header, headerLine, present, rows };
}
