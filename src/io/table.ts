/** Human-readable tables for the terminal (cli-table3), and the csv|json|table switch. */
import Table from 'cli-table3';
import { UsageError } from '../errors.js';
import { assertFiniteRows, type Cell, type CsvOptions, formatNumber, toCsv, toJson } from './csv-out.js';

export type Format = 'csv' | 'json' | 'table';

export function parseFormat(value: unknown, fallback: Format): Format {
  if (value === undefined) return fallback;
  if (value === 'csv' || value === 'json' || value === 'table') return value;
  throw new UsageError(`--format: expected csv, json or table, got ${JSON.stringify(value)}`);
}

/** Default output format: a table for a person at a terminal, CSV for pipes, files and cron. */
export function defaultFormat(stdoutIsTTY: boolean, out: string | undefined): Format {
  return stdoutIsTTY && (out === undefined || out === '-') ? 'table' : 'csv';
}

/**
 * A number for a person: whole numbers as they are, others to 4 significant digits (a fill rate of
 * 0.9977 stays 0.9977, a stockout rate 0.02623 stays 0.02623; 392.2174 -> 392.2), at least a whole
 * number from 1000 up (37637.57 -> 37638). Trailing zeros are dropped, but a value that is not whole
 * keeps a decimal: 0.99996 shows as 1.0, not as 1.
 */
export function formatTableNumber(x: number): string {
  if (!Number.isFinite(x)) return '';
  if (Number.isInteger(x)) return Object.is(x, -0) ? '0' : String(x);
  const a = Math.abs(x);
  if (a >= 1000) return formatNumber(Math.round(x), 0);
  const decimals = Math.min(8, Math.max(0, 3 - Math.floor(Math.log10(a))));
  // Trailing zeros go, but a value that is not whole keeps one decimal: 0.99996 -> 1.0, not 1.
  const s = x.toFixed(decimals).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '.0');
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

export interface TableFit {
  /** The terminal's columns; undefined = no limit. */
  width?: number;
  /** Columns kept longest, most important first (the first column always stays). */
  priority?: readonly string[];
}

/**
 * A table for the terminal. With a width, columns that do not fit are left out (from the right,
 * those outside `priority` first; the first column, the key, always stays) and named on a last line.
 */
export function toTable(allColumns: readonly string[], allRows: readonly (readonly Cell[])[], fit: TableFit = {}): string {
  assertFiniteRows(allColumns, allRows);
  const allCells = allRows.map((r) => r.map((v) => (typeof v === 'number' ? formatTableNumber(v) : v === null || v === undefined ? '' : String(v))));
  const allWidths = allColumns.map((c, i) => Math.max(c.length, ...allCells.map((r) => (r[i] ?? '').length)));
  const priority = fit.priority ?? [];
  const rank = (i: number) => (i === 0 ? -1 : priority.includes(allColumns[i]!) ? priority.indexOf(allColumns[i]!) : priority.length + i);
  // Drop order: the highest rank first (outside the priority list: rightmost first).
  const dropOrder = allColumns.map((_, i) => i).filter((i) => i > 0).sort((a, b) => rank(b) - rank(a));
  const shown = new Set(allColumns.map((_, i) => i));
  // Each column takes its width plus 3 (a space either side and a border), plus the first border.
  const tableWidth = () => 1 + [...shown].reduce((s, i) => s + allWidths[i]! + 3, 0);
  if (fit.width !== undefined) for (const i of dropOrder) if (tableWidth() > fit.width) shown.delete(i);
  const idx = allColumns.map((_, i) => i).filter((i) => shown.has(i));
  const columns = idx.map((i) => allColumns[i]!);
  const rows = allRows.map((r) => idx.map((i) => r[i]));
  const cells = allCells.map((r) => idx.map((i) => r[i] ?? ''));
  // Numbers right-aligned: a column whose non-empty cells are all numbers.
  const numeric = columns.map((_, i) => rows.some((r) => typeof r[i] === 'number') && rows.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined || r[i] === ''));
  const align = (i: number): 'left' | 'right' => (numeric[i] ? 'right' : 'left');
  // Compact: one rule under the header and none between rows, so long tables stay readable.
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)));
  const t = new Table({
    head: [...columns],
    colAligns: columns.map((_, i) => align(i)),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  t.push(widths.map((w) => '─'.repeat(w)));
  for (const r of cells) t.push(r);
  const hidden = allColumns.filter((_, i) => !shown.has(i));
  const note = hidden.length === 0 ? '' : `(${hidden.length} column${hidden.length > 1 ? 's' : ''} not shown at this width: ${hidden.join(', ')}; --format csv or --out FILE for all)\n`;
  return `${t.toString()}\n${note}`;
}

/** `opts`: CSV options (csv only), and the terminal's width and the columns to keep longest (tables only). */
export function render(format: Format, columns: readonly string[], rows: readonly (readonly Cell[])[], opts: TableFit & CsvOptions = {}): string {
  switch (format) {
    case 'csv':
      return toCsv(columns, rows, opts);
    case 'json':
      return toJson(columns, rows);
    case 'table':
      return toTable(columns, rows, opts);
  }
}
