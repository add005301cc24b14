/** CSV and JSON rendering of result tables. Stable column order is part of the contract. */

export type Cell = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  const s = String(v);
  return NEEDS_QUOTES.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
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

export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

export function toJson(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
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
