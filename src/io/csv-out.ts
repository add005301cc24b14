/**
 * CSV and JSON rendering of result tables. Stable column order is part of the contract.
 *
 * Every number written must be finite: a NaN or an infinity in a row means a computation went
 * wrong, and `toCsv`/`toJson` refuse it (RuntimeError, exit 1, before anything is written). A cell
 * that is deliberately empty (a metric that is undefined, such as a fill rate without demand) is
 * passed as `null` by the code that built the row (see `definedOrNull`).
 */
import { formatNumber } from '../core/contracts/table.js';
import { RuntimeError } from '../errors.js';
import { safeText } from '../text-safe.js';
import { MAX_OUTPUT } from './numbers.js';

export type { Cell } from '../core/contracts/table.js';
import type { Cell } from '../core/contracts/table.js';

export interface CsvOptions {
  /**
   * `--escape-formulas`: text cells that a spreadsheet would run as a formula (starting with
   * =, +, -, @, tab or carriage return) get a leading apostrophe and are quoted (OWASP CSV injection).
   */
  escapeFormulas?: boolean;
  /** Decimals per column where 4 is not enough (a service-level target of 0.9999999). */
  decimals?: Readonly<Record<string, number>>;
  /** `--output-delimiter`: ',' (default), ';', '|' or tab. */
  delimiter?: string;
  /** `--output-decimal`: '.' (default) or ',' (never together with the delimiter ','). */
  decimal?: '.' | ',';
}

/** Text a spreadsheet would read as a formula (OWASP "CSV injection"). */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** The OWASP escape: a leading apostrophe; quoting is left to csvField. */
export function escapeFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** A metric as a cell: the number when finite, else a deliberate empty cell. */
export function definedOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Throw when a row holds a number that is not finite: such a row must never be written. */
export function assertFiniteRows(columns: readonly string[], rows: readonly (readonly Cell[])[]): void {
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (typeof v === 'number' && !(Math.abs(v) <= MAX_OUTPUT)) {
        const key = typeof row[0] === 'string' ? ` (${safeText(row[0], 60)})` : '';
        throw new RuntimeError(
          `a computation produced ${Number.isFinite(v) ? `${v}, beyond ${MAX_OUTPUT} (no plain decimal),` : String(v)} for ${columns[c] ?? `column ${c + 1}`} in output row ${r + 1}${key}: nothing was written`,
          'this is a bug or an input far outside what the model or simulation can handle; rerun with STOCKCAST_DEBUG=1 and report it',
        );
      }
    }
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(v: Cell, opts: CsvOptions = {}, decimals = 4): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v, decimals);
  const s = String(v);
  if (opts.escapeFormulas === true && typeof v === 'string' && FORMULA_START.test(s)) return `"${escapeFormula(s).replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export { formatNumber };

export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[], opts: CsvOptions = {}): string {
  assertFiniteRows(columns, rows);
  const d = opts.delimiter ?? ',';
  if (opts.decimal === ',' && d === ',') throw new RuntimeError("CSV output with the decimal mark ',' and the delimiter ',' would be unreadable", "pass --output-delimiter ';' with --output-decimal ','");
  const field = d === ',' && opts.decimal !== ',' ? csvField : dialectField(d, opts.decimal ?? '.');
  const lines = [columns.map((c) => field(c)).join(d)];
  const decimals = columns.map((c) => opts.decimals?.[c] ?? 4);
  for (const r of rows) lines.push(r.map((v, i) => field(v, opts, decimals[i])).join(d));
  return `${lines.join('\n')}\n`;
}

/** `csvField` for another delimiter or decimal mark: text holding the delimiter is quoted too. */
function dialectField(delimiter: string, decimal: '.' | ','): typeof csvField {
  const quote = new RegExp(`["\r\n${delimiter === '\t' ? '\\t' : delimiter === '|' ? '\\|' : delimiter}]`);
  return (v, opts = {}, decimals = 4) => {
    if (typeof v === 'number') {
      const s = formatNumber(v, decimals);
      return decimal === ',' ? s.replace('.', ',') : s;
    }
    const s = csvField(v, opts, decimals);
    if (typeof v !== 'string' || s.startsWith('"') || !quote.test(s)) return s;
    return `"${s.replace(/"/g, '""')}"`;
  };
}

export function toJson(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  assertFiniteRows(columns, rows);
  const objs = rows.map((r) => {
    const o: Record<string, Cell> = {};
    columns.forEach((c, i) => {
      const v = r[i];
      o[c] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
    });
    return o;
  });
  return `${JSON.stringify(objs, null, 2)}\n`;
}
