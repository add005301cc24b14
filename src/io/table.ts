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

export function toTable(columns: readonly string[], rows: readonly (readonly Cell[])[], decimals = 2): string {
  assertFiniteRows(columns, rows);
  const cells = rows.map((r) =>
    r.map((v) => (typeof v === 'number' ? formatNumber(v, decimals) : v === null || v === undefined ? '' : String(v))),
  );
  // Compact: one rule under the header and none between rows, so long tables stay readable.
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)));
  const t = new Table({
    head: [...columns],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  t.push(widths.map((w) => '─'.repeat(w)));
  for (const r of cells) t.push(r);
  return `${t.toString()}\n`;
}

export function render(format: Format, columns: readonly string[], rows: readonly (readonly Cell[])[], csv: CsvOptions = {}): string {
  switch (format) {
    case 'csv':
      return toCsv(columns, rows, csv);
    case 'json':
      return toJson(columns, rows);
    case 'table':
      return toTable(columns, rows);
  }
}
