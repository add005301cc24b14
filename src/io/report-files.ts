/**
 * Readers for the files `stockcast report` draws: the forecast CSV of `forecast predict` (or another
 * tool's, with extra quantile or `lo-`/`hi-` columns), the policy CSV, backtest's per-SKU and summary
 * CSVs, and evaluate's saved holdout forecasts. They are lenient about columns (a column they do not
 * know is kept as text, a numeric one they do not know is parsed when it can be) and strict about
 * the cells they use: a bad number or date is reported as file:line:column, all in one pass.
 */
import { InputError, ProblemCollector } from '../errors.js';
import { csvRecords, displayName } from './csv-in.js';
import { numberProblemWith, parseNumberWith } from './numbers.js';
import { parseDay, timeOfDay, timeOfDayMessage } from '../core/calendar.js';

export interface LooseRow {
  line: number;
  cells: Record<string, string>;
}

export interface LooseTable {
  file: string;
  header: string[];
  rows: LooseRow[];
  /** Decimal mark of numeric cells (`--decimal`). */
  decimal?: '.' | ',';
}

export interface LooseReadOptions {
  delimiter?: string;
  decimal?: '.' | ',';
  stdin?: NodeJS.ReadableStream;
}

/** Every cell as text, keyed by the trimmed header; checks the required columns and field counts. */
export async function readLooseTable(path: string, what: string, required: readonly string[], opts: LooseReadOptions = {}): Promise<LooseTable> {
  const file = displayName(path);
  const problems = new ProblemCollector();
  let header: string[] | undefined;
  const rows: LooseRow[] = [];
  for await (const rec of csvRecords(path, { delimiter: opts.delimiter, stdin: opts.stdin })) {
    if (header === undefined) {
      header = rec.fields.map((h) => h.trim());
      const missing = required.filter((c) => !header!.includes(c));
      if (missing.length > 0) {
        throw new InputError(`${file}: missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in ${what}`, [
          { file, line: rec.line, message: 'header', expected: `columns ${required.join(', ')}`, value: header.join(opts.delimiter ?? ',') },
        ]);
      }
      continue;
    }
    if (rec.fields.length !== header.length) {
      problems.add({ file, line: rec.line, message: 'wrong number of fields', expected: `${header.length} fields`, value: `${rec.fields.length} fields` });
      continue;
    }
    const cells: Record<string, string> = {};
    header.forEach((h, i) => (cells[h] = rec.fields[i]!.trim()));
    rows.push({ line: rec.line, cells });
  }
  if (header === undefined) throw new InputError(`${file}: empty file`, [], `expected a header line with ${required.join(', ')}`);
  problems.throwIfAny(`${file}: invalid ${what}`);
  if (rows.length === 0) throw new InputError(`${file}: header only, no data rows in ${what}`);
  return { file, header, rows, ...(opts.decimal === ',' ? { decimal: opts.decimal } : {}) };
}

/** Cell accessors that report bad values into one collector. */
export class CellReader {
  readonly problems = new ProblemCollector();
  constructor(private readonly table: LooseTable) {}

  private where(row: LooseRow, col: string) {
    return { file: this.table.file, line: row.line, column: this.table.header.indexOf(col) + 1, columnName: col, value: row.cells[col] ?? '' };
  }

  text(row: LooseRow, col: string): string | undefined {
    const v = row.cells[col];
    if (v === undefined) return undefined;
    if (v === '') {
      this.problems.add({ ...this.where(row, col), message: 'empty value', expected: 'a non-empty value' });
      return undefined;
    }
    return v;
  }

  day(row: LooseRow, col: string): number | undefined {
    const v = row.cells[col];
    if (v === undefined) return undefined;
    // Timestamps at midnight are dates too (parseDay); another time of day is said so.
    const d = parseDay(v);
    const time = Number.isNaN(d) ? timeOfDay(v) : undefined;
    if (time !== undefined) {
      this.problems.add({ ...this.where(row, col), message: timeOfDayMessage(time) });
      return undefined;
    }
    if (Number.isNaN(d)) {
      this.problems.add({ ...this.where(row, col), message: 'not a valid date', expected: 'a date as YYYY-MM-DD' });
      return undefined;
    }
    return d;
  }

  /** A number; empty or absent -> undefined; anything else that is not a finite number is a problem. */
  number(row: LooseRow, col: string): number | undefined {
    const v = row.cells[col];
    if (v === undefined || v === '') return undefined;
    const x = parseNumberWith(v, this.table.decimal);
    if (!Number.isFinite(x)) {
      this.problems.add({ ...this.where(row, col), message: numberProblemWith(v, this.table.decimal), expected: 'a finite number or an empty cell' });
      return undefined;
    }
    return x;
  }

  /** A number when the cell holds one, undefined otherwise (columns of unknown meaning). */
  maybeNumber(row: LooseRow, col: string): number | undefined {
    const v = row.cells[col];
    if (v === undefined || v === '') return undefined;
    const x = parseNumberWith(v, this.table.decimal);
    return Number.isFinite(x) ? x : undefined;
  }

  throwIfAny(what: string): void {
    this.problems.throwIfAny(`${this.table.file}: invalid ${what}`);
  }
}
