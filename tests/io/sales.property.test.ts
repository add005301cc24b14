/**
 * Property: any valid sales table, written as CSV (toCsv, or any delimiter, quoting, BOM, CRLF,
 * date format, row order), reads back to exactly the series it was made from.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/io/csv-out.js';
import { DATE_FORMATS, type DateFormat, formatDay } from '../../src/core/calendar.js';
import { readSales } from '../../src/io/sales.js';
import type { Freq, IngestOptions } from '../../src/core/types.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-prop-'));

function writeDate(day: number, f: DateFormat): string {
  const [y, m, d] = formatDay(day).split('-');
  return f === 'YYYY-MM-DD' ? `${y}-${m}-${d}` : f === 'DD.MM.YYYY' ? `${d}.${m}.${y}` : f === 'MM/DD/YYYY' ? `${m}/${d}/${y}` : `${y}${m}${d}`;
}

function field(s: string, delim: string): string {
  return s.includes(delim) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const skuName = fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom('A', 'b', '7', '-', ',', ';', '"', ' ', '\n', '\t', 'é', '|') }).filter((s) => s.trim() === s && s !== '');
const amount = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 100_000 }).map((k) => k / 100));
const series = fc.record({
  start: fc.integer({ min: 18_000, max: 21_000 }),
  cells: fc.array(fc.record({ units: fc.option(amount, { nil: undefined, freq: 8 }), cov: fc.tuple(amount, fc.integer({ min: 0, max: 1 })), present: fc.boolean() }), { minLength: 1, maxLength: 25 }),
});

const table = fc.record({
  skus: fc.uniqueArray(skuName, { minLength: 1, maxLength: 6 }),
  series: fc.array(series, { minLength: 6, maxLength: 6 }),
  freq: fc.constantFrom<Freq>('D', 'W'),
  covariates: fc.integer({ min: 0, max: 2 }),
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  dateFormat: fc.constantFrom(...DATE_FORMATS),
  bom: fc.boolean(),
  crlf: fc.boolean(),
  useToCsv: fc.boolean(),
  order: fc.array(fc.integer(), { minLength: 200, maxLength: 200 }),
});

describe('readSales round trip', () => {
  it('reads back any valid table', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(table, async (t) => {
        const step = t.freq === 'W' ? 7 : 1;
        const covNames = ['price', 'promo'].slice(0, t.covariates);
        const rows: (string | number)[][] = [];
        const expected = t.skus.map((sku, k) => {
          const s = t.series[k]!;
          // The first and last cells are always present: they define the SKU's range.
          const cells = s.cells.map((c, i) => ({ ...c, present: c.present || i === 0 || i === s.cells.length - 1 }));
          const units: number[] = [];
          const cov: number[][] = covNames.map(() => []);
          for (let i = 0; i < cells.length; i++) {
            const c = cells[i]!;
            units.push(c.present && c.units !== undefined ? c.units : Number.NaN);
            // Absent periods carry the previous period's covariates forward.
            cov.forEach((col, j) => col.push(c.present ? c.cov[j]! : col[i - 1]!));
            if (c.present) rows.push([writeDate(s.start + i * step, t.dateFormat), sku, c.units ?? 'NA', ...c.cov.slice(0, t.covariates)]);
          }
          return { sku, start: s.start, units, observed: units.map((u) => (Number.isNaN(u) ? 0 : 1)), cov };
        });
        expected.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
        const order = rows.map((_, i) => i).sort((a, b) => (t.order[a % 200]! - t.order[b % 200]!) || a - b);
        const shuffled = order.map((i) => rows[i]!);
        const header = ['date', 'sku', 'units', ...covNames];
        let text: string;
        const delimiter = t.useToCsv ? ',' : t.delimiter;
        if (t.useToCsv) text = toCsv(header, shuffled);
        else {
          const eol = t.crlf ? '\r\n' : '\n';
          text = [header, ...shuffled].map((r) => r.map((v) => field(String(v), delimiter)).join(delimiter)).join(eol) + eol;
        }
        if (t.bom) text = `\uFEFF${text}`;
        const path = join(dir, `t${run++}.csv`);
        writeFileSync(path, text);
        const opts: IngestOptions = { dateCol: 'date', skuCol: 'sku', targetCol: 'units', delimiter, dateFormat: t.dateFormat, freq: t.freq, fill: 'missing', negative: 'error' };
        const { data, report } = await readSales(path, opts);
        expect(data.freq).toBe(t.freq);
        expect(data.covariates).toEqual(covNames);
        expect(report.rows).toBe(rows.length);
        expect(data.series.map((s) => ({ sku: s.sku, start: s.start, units: [...s.units], observed: [...s.observed], cov: s.covariates.map((c) => [...c]) }))).toEqual(expected);
      }),
      { numRuns: 150, seed: 20261125 },
    );
  });
});
