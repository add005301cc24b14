/**
 * The base of the CSV contracts: a file format is one table of columns. Each column carries its
 * name, what the reader accepts in it (kind, required, bounds) and how the writer fills it from a
 * typed record, so a format's writer and its reader cannot drift apart. Pure: io/ reads and writes.
 */

/** A cell as written: text, a number (formatted by the writer), or empty. */
export type Cell = string | number | boolean | null | undefined;

export type ColumnKind = 'string' | 'number' | 'date';

/** What a reader accepts in one column (io/typed-table.ts applies it). */
export interface ColumnRule {
  name: string;
  kind: ColumnKind;
  /** Missing column is an error (default true). */
  required?: boolean;
  /** Empty cell allowed (number -> NaN, string -> ''); default false. */
  allowEmpty?: boolean;
  /** With allowEmpty: NA and N/A (the sales file's unknown cells, MISSING_CELLS) are read as empty too. */
  naIsEmpty?: boolean;
  min?: number;
  /** Exclusive lower bound. */
  above?: number;
  max?: number;
  integer?: boolean;
}

/** One column of a format: the reader's rule and the writer's cell of a record `R`. */
export interface Column<R> extends ColumnRule {
  cell(record: R): Cell;
}

export interface Contract<R> {
  /** The columns in the order they are written. */
  readonly columns: readonly Column<R>[];
  /** Their names, in that order: the header written. */
  readonly names: readonly string[];
  /** The cells of one record, in column order. */
  row(record: R): Cell[];
  /** The reader's rule for a column, by name (throws on a name the format does not have). */
  rule(name: string): ColumnRule;
  /** Every column's reader rule, in order. */
  rules(): ColumnRule[];
}

export function defineContract<R>(columns: readonly Column<R>[]): Contract<R> {
  const names = columns.map((c) => c.name);
  const rule = ({ cell: _, ...r }: Column<R>): ColumnRule => r;
  return {
    columns,
    names,
    row: (record) => columns.map((c) => c.cell(record)),
    rule(name) {
      const c = columns.find((x) => x.name === name);
      if (c === undefined) throw new Error(`no column ${name} in this format (${names.join(',')})`);
      return rule(c);
    },
    rules: () => columns.map(rule),
  };
}

/**
 * Numbers as an ERP reads them: no exponent, at most `decimals` decimals, trailing zeros trimmed,
 * no "-0". NaN becomes an empty field.
 */
export function formatNumber(x: number, decimals = 4): string {
  if (!Number.isFinite(x)) return '';
  if (Number.isInteger(x)) return Object.is(x, -0) ? '0' : String(x);
  let s = x.toFixed(decimals);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

/** Column label of an interval level in percent, as the writer formats it: 80 -> "80", 97.5 -> "97.5". */
export function levelLabel(level: number): string {
  return formatNumber(level);
}

/** The `lo-L,hi-L` column names of the levels, in order (forecast predict, forecast evaluate). */
export function intervalColumns(levels: readonly number[]): string[] {
  return levels.flatMap((L) => [`lo-${levelLabel(L)}`, `hi-${levelLabel(L)}`]);
}

/** Largest value accepted in a forecast or sd cell (units per period); see docs/input-format.md. */
export const MAX_UNITS = 1e12;

/** Longest lead time or review period accepted, in days (10 years); see docs/input-format.md. */
export const MAX_DAYS = 3650;
