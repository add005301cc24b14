/**
 * Property shared by every numeric reader (sales, plan, forecasts, lead times, inventory, policy):
 * a valid table with one numeric cell replaced by a non-finite or overflowing number (`1e309`, a
 * 400-digit integer, `-1e400`, `Infinity`, `NaN`) is rejected with an InputError located at that
 * cell's file:line:column. The same table without the bad cell reads fine.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readForecastFile } from '../../src/io/forecast-file.js';
import { readInventory } from '../../src/io/inventory.js';
import { readLeadTimes } from '../../src/io/lead-times.js';
import { readPlanRows } from '../../src/io/plan.js';
import { readPolicy } from '../../src/io/policy-file.js';
import { readSales } from '../../src/io/sales.js';
import type { IngestOptions } from '../../src/core/types.js';

const dir = mkdtempSync(join(tmpdir(), 'finite-prop-'));
const INGEST: IngestOptions = { dateCol: 'date', skuCol: 'sku', targetCol: 'units', delimiter: ',', dateFormat: 'YYYY-MM-DD', fill: 'missing', negative: 'zero' };
const day = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);

interface Reader {
  name: string;
  header: string[];
  /** Columns (0-based) holding numbers. */
  numeric: number[];
  /** A valid row i of SKU k. */
  row: (k: number, i: number) => string[];
  read: (path: string) => Promise<unknown>;
}

const READERS: Reader[] = [
  { name: 'sales', header: ['date', 'sku', 'units', 'price', 'promo'], numeric: [2, 3, 4], row: (k, i) => [day(i), `S${k}`, String(3 + i), '4.5', String(i % 2)], read: (p) => readSales(p, INGEST) },
  {
    name: 'plan',
    header: ['date', 'sku', 'price', 'promo'],
    numeric: [2, 3],
    row: (k, i) => [day(i), `S${k}`, '4.5', String(i % 2)],
    read: (p) => readPlanRows(p, { dateCol: 'date', skuCol: 'sku', dateFormat: 'YYYY-MM-DD', delimiter: ',', covariates: ['price', 'promo'], origin: 0, horizon: 3 }),
  },
  { name: 'forecast', header: ['sku', 'date', 'forecast', 'sd', 'p10', 'p90'], numeric: [2, 3, 4, 5], row: (k, i) => [`S${k}`, day(i), '10', '2', '7', '13'], read: (p) => readForecastFile(p) },
  { name: 'lead times', header: ['sku', 'lead_time_days', 'lead_time_sd_days', 'order_qty'], numeric: [1, 2, 3], row: (k) => [`S${k}`, '5', '1', '20'], read: (p) => readLeadTimes(p) },
  { name: 'inventory', header: ['sku', 'on_hand', 'on_order', 'backorders', 'moq', 'pack_size', 'max_qty'], numeric: [1, 2, 3, 4, 5, 6], row: (k) => [`S${k}`, '5', '1', '0', '2', '1', '100'], read: (p) => readInventory(p) },
  {
    name: 'policy',
    header: ['sku', 'lead_time_mean', 'demand_mean', 'reorder_point', 'order_up_to', 'service_level_target', 'paths'],
    numeric: [1, 2, 3, 4, 5, 6],
    row: (k) => [`S${k}`, '5', '10', '50', '80', '0.95', '1000'],
    read: (p) => readPolicy(p),
  },
];

const BAD = fc.constantFrom('1e309', '9'.repeat(400), '-1e400', `${'1'.repeat(320)}.5`, 'Infinity', '-inf', 'NaN');

/** One row per SKU for the per-SKU tables, three dated rows per SKU for the others. */
function rowsOf(r: Reader, skus: number): string[][] {
  const perSku = r.name === 'lead times' || r.name === 'inventory' || r.name === 'policy' ? 1 : 3;
  const rows: string[][] = [];
  for (let k = 0; k < skus; k++) for (let i = 0; i < perSku; i++) rows.push(r.row(k, i));
  return rows;
}

describe('every numeric reader rejects non-finite numbers at file:line:column', () => {
  for (const r of READERS) {
    it(r.name, async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.nat(), fc.nat(), BAD, async (skus, rowPick, colPick, bad) => {
          const rows = rowsOf(r, skus);
          const file = join(dir, `${r.name.replace(' ', '-')}-${n++}.csv`);
          const text = (rs: string[][]) => `${[r.header, ...rs].map((x) => x.join(',')).join('\n')}\n`;
          writeFileSync(file, text(rows));
          await r.read(file); // valid as generated
          const row = rowPick % rows.length;
          const col = r.numeric[colPick % r.numeric.length]!;
          rows[row]![col] = bad;
          writeFileSync(file, text(rows));
          const err = await r.read(file).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(InputError);
          const problems = (err as InputError).problems;
          expect(problems.some((p) => p.file === file && p.line === row + 2 && p.column === col + 1 && /finite|too large|not a number/.test(p.message))).toBe(true);
        }),
        { numRuns: 25 },
      );
    });
  }
});
