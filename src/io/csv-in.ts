/**
 * CSV input: a streaming record reader (csv-parse, RFC 4180, BOM, CRLF) that keeps line numbers,
 * and `readTable`, a validating reader for the small typed tables (forecasts, lead times, inventory,
 * policies, promotion plans). Every problem is collected in one pass and reported together.
 */
import { parse } from 'csv-parse';
import { InputError, ProblemCollector, type Problem, RuntimeError } from '../errors.js';
import { fsOps, isSystemError } from './fs-ops.js';
import { type DateFormat, parseDay } from './dates.js';

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

export interface CsvSourceOptions {
  delimiter?: string;
  /** Used when path is '-'. */
  stdin?: NodeJS.ReadableStream;
}

/** Display name of a path in messages. */
export function displayName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

/**
 * Records end with CRLF or LF, whichever each line uses: csv-parse otherwise takes the first line's
 * ending for the whole file, and a CRLF header over LF rows would read as one long record.
 */
export const RECORD_DELIMITERS = ['\r\n', '\n'];

/**
 * An input path the user gave that is missing, a folder or unreadable is an input error (exit 2);
 * an I/O failure while reading (EIO, a vanished network share) is a runtime error (exit 1). Neither
 * is ever reported as a CSV problem.
 */
export function readFailure(file: string, err: NodeJS.ErrnoException): InputError | RuntimeError {
  const why: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'it is a folder, not a file', EACCES: 'permission denied', EPERM: 'permission denied', ENOTDIR: 'a part of the path is not a folder' };
  const reason = why[err.code ?? ''];
  if (reason !== undefined) return new InputError(`cannot read ${file}: ${reason}`, [], err.code === 'ENOENT' ? 'check the path, or pass - to read from stdin' : undefined);
  return new RuntimeError(`I/O error reading ${file}: ${err.message}`, 'the file could not be read to the end; check the disk or the network share and rerun');
}

export async function openSource(path: string, stdin?: NodeJS.ReadableStream, name = displayName(path)): Promise<NodeJS.ReadableStream> {
  if (path === '-') return stdin ?? process.stdin;
  try {
    const st = await fsOps.stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR', syscall: 'open' });
    // Open once here so that permission problems are reported before any work starts.
    const fh = await fsOps.open(path, 'r');
    await fh.close();
  } catch (err) {
    throw readFailure(name, err as NodeJS.ErrnoException);
  }
  return fsOps.createReadStream(path);
}

/** Stream the records of a CSV file (header included) with their line numbers. */
export async function* csvRecords(path: string, opts: CsvSourceOptions = {}): AsyncGenerator<CsvRecord> {
  const input = await openSource(path, opts.stdin);
  // Line numbers are counted here rather than with csv-parse's `info` option, which halves its speed:
  // each record starts one line after the previous one ended (blank lines arrive as [''] records).
  const parser = parse({
    bom: true,
    delimiter: opts.delimiter ?? ',',
    record_delimiter: RECORD_DELIMITERS,
    relax_column_count: true,
    skip_empty_lines: false,
  });
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  let next = 1;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      const line = next;
      next++;
      for (const f of fields) if (f.indexOf('\n') >= 0) next += f.split('\n').length - 1;
      if (fields.length === 1 && fields[0]!.trim() === '') continue;
      yield { line, fields };
    }
  } catch (err) {
    if (isSystemError(err)) throw readFailure(displayName(path), err);
    const e = err as Error & { code?: string; lines?: number };
    const line = e.lines;
    throw new InputError(`cannot parse ${displayName(path)} as CSV`, [
      { file: displayName(path), line, message: e.message.replace(/^Invalid Record Length: /, ''), expected: 'RFC 4180 CSV' },
    ]);
  }
}

export type ColumnKind = 'string' | 'number' | 'date';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** Missing column is an error (default true). */
  required?: boolean;
  /** Empty cell allowed (number -> NaN, string -> ''); default false. */
  allowEmpty?: boolean;
  min?: number;
  /** Exclusive lower bound. */
  above?: number;
  max?: number;
  integer?: boolean;
}

export interface TableSpec {
  /** What the file is, for messages: "forecast file", "lead-time file". */
  what: string;
  columns: ColumnSpec[];
  dateFormat?: DateFormat;
  delimiter?: string;
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
  /** Which optional columns were present. */
  present: Set<string>;
  rows: TableRow[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Strict number parsing: '', 'NaN', 'Infinity', '12abc', '1,5' are all rejected (NaN). */
export function parseNumber(s: string): number {
  const t = s.trim();
  return NUMBER.test(t) ? Number(t) : Number.NaN;
}

function describe(c: ColumnSpec): string {
  if (c.kind === 'string') return 'a non-empty value';
  if (c.kind === 'date') return 'a date';
  const parts: string[] = [c.integer ? 'a whole number' : 'a finite number'];
  if (c.min !== undefined) parts.push(`>= ${c.min}`);
  if (c.above !== undefined) parts.push(`> ${c.above}`);
  if (c.max !== undefined) parts.push(`<= ${c.max}`);
  return parts.join(' ');
}

export async function readTable(path: string, spec: TableSpec): Promise<Table> {
  const file = displayName(path);
  const problems = new ProblemCollector(spec.cap ?? 50);
  const dateFormat = spec.dateFormat ?? 'YYYY-MM-DD';
  let header: string[] | undefined;
  let index: { spec: ColumnSpec; at: number }[] = [];
  const rows: TableRow[] = [];
  const present = new Set<string>();

  for await (const rec of csvRecords(path, { delimiter: spec.delimiter, stdin: spec.stdin })) {
    if (header === undefined) {
      header = rec.fields.map((h) => h.trim());
      const missing = spec.columns.filter((c) => c.required !== false && !header!.includes(c.name));
      if (missing.length > 0) {
        throw new InputError(`${file}: missing required column${missing.length > 1 ? 's' : ''} ${missing.map((c) => c.name).join(', ')}`, [
          {
            file,
            line: rec.line,
            message: 'header',
            expected: `columns ${spec.columns.filter((c) => c.required !== false).map((c) => c.name).join(', ')}`,
            value: header.join(spec.delimiter ?? ','),
          },
        ]);
      }
      index = spec.columns.filter((c) => header!.includes(c.name)).map((c) => ({ spec: c, at: header!.indexOf(c.name) }));
      for (const { spec: c } of index) present.add(c.name);
      continue;
    }
    if (rec.fields.length !== header.length) {
      problems.add({
        file,
        line: rec.line,
        message: 'wrong number of fields',
        expected: `${header.length} fields`,
        value: `${rec.fields.length} fields`,
      });
      continue;
    }
    const values: Record<string, string | number> = {};
    let ok = true;
    for (const { spec: c, at } of index) {
      const raw = rec.fields[at]!;
      const cell = raw.trim();
      const where: Problem = { file, line: rec.line, column: at + 1, columnName: c.name, value: raw, message: '' };
      if (cell === '') {
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
        if (Number.isNaN(d)) {
          problems.add({ ...where, message: 'not a valid date', expected: `a date as ${dateFormat}` });
          ok = false;
        } else values[c.name] = d;
      } else {
        const v = parseNumber(cell);
        const bad =
          !Number.isFinite(v) ||
          (c.integer === true && !Number.isInteger(v)) ||
          (c.min !== undefined && v < c.min) ||
          (c.above !== undefined && v <= c.above) ||
          (c.max !== undefined && v > c.max);
        if (bad) {
          problems.add({ ...where, message: Number.isFinite(v) ? 'out of range' : 'not a number', expected: describe(c) });
          ok = false;
        } else values[c.name] = v;
      }
    }
    if (ok) rows.push({ line: rec.line, values });
  }
  if (header === undefined) throw new InputError(`${file}: empty file`, [], `expected a header line with ${spec.columns.map((c) => c.name).join(', ')}`);
  problems.throwIfAny(`${file}: invalid ${spec.what}`);
  if (rows.length === 0) throw new InputError(`${file}: header only, no data rows in ${spec.what}`);
  return { file, header, present, rows };
}
