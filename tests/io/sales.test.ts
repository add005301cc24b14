/** readSales semantics: columns, covariates, frequency, fill/negative/duplicate policies, sources. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseDay } from '../../src/core/calendar.js';
import { numberCell, readSales } from '../../src/io/sales.js';
import type { IngestOptions } from '../../src/core/types.js';
import { type SalesFileRow, salesContract } from '../../src/core/contracts/sales.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-sales-'));
let n = 0;
function file(text: string): string {
  const p = join(dir, `s${n++}.csv`);
  writeFileSync(p, text);
  return p;
}

const BASE: IngestOptions = { dateCol: 'date', skuCol: 'sku', targetCol: 'units', delimiter: ',', dateFormat: 'YYYY-MM-DD', fill: 'missing', negative: 'zero' };
const read = (text: string, opts: Partial<IngestOptions> = {}) => readSales(file(text), { ...BASE, ...opts });

async function fails(text: string, opts: Partial<IngestOptions> = {}): Promise<InputError> {
  try {
    await read(text, opts);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('readSales', () => {
  it('reads long format into sorted SKUs on a daily grid, out-of-order rows included', async () => {
    const { data, report } = await read('date,sku,units,price\n2024-01-03,B,5,2\n2024-01-01,B,1,2\n2024-01-02,B,3,2.5\n2024-01-01,A,7,1\n2024-01-02,A,0,1\n');
    expect(data.freq).toBe('D');
    expect(data.step).toBe(1);
    expect(data.covariates).toEqual(['price']);
    expect(data.series.map((s) => s.sku)).toEqual(['A', 'B']);
    const b = data.series[1]!;
    expect(b.start).toBe(parseDay('2024-01-01'));
    expect([...b.units]).toEqual([1, 3, 5]);
    expect([...b.covariates[0]!]).toEqual([2, 2.5, 2]);
    expect([...b.observed]).toEqual([1, 1, 1]);
    expect(report).toMatchObject({ rows: 5, skus: 2, freq: 'D', freqDetected: true, firstDay: parseDay('2024-01-01'), lastDay: parseDay('2024-01-03') });
  });

  it('the contract round trip: records -> row mapper -> readSales on its names -> the same values', async () => {
    const names = { date: 'ds', sku: 'unique_id', target: 'y' };
    const contract = salesContract(['price', 'promo'], names);
    const d = parseDay('2024-03-04');
    const records: SalesFileRow[] = [
      { day: d + 1, sku: 'B', units: 5, covariates: [2.5, 1] },
      { day: d, sku: 'A', units: 7, covariates: [1.25, 0] },
      { day: d + 1, sku: 'A', units: Number.NaN, covariates: [1.5, 1] }, // an unknown period
      { day: d, sku: 'B', units: 0, covariates: [Number.NaN, 0] }, // an unknown price, filled from the next period
    ];
    const text = [contract.names, ...records.map((r) => contract.row(r))].map((cells) => cells.map((c) => c ?? '').join(',')).join('\n');
    const { data, report } = await read(`${text}\n`, { dateCol: names.date, skuCol: names.sku, targetCol: names.target });
    expect(data.covariates).toEqual(['price', 'promo']);
    expect(report).toMatchObject({ rows: 4, missingTargets: 1, covariateCellsFilled: 1 });
    const [a, b] = data.series;
    expect([a!.sku, a!.start, [...a!.units], [...a!.observed]]).toEqual(['A', d, [7, NaN], [1, 0]]);
    expect(a!.covariates.map((c) => [...c])).toEqual([[1.25, 1.5], [0, 1]]);
    expect([b!.sku, b!.start, [...b!.units]]).toEqual(['B', d, [0, 5]]);
    expect(b!.covariates.map((c) => [...c])).toEqual([[2.5, 2.5], [0, 1]]);
  });

  it("the contract's bounds: a target or covariate beyond 1e12 either way is out of range at its cell", async () => {
    const err = await fails('date,sku,units,price\n2024-01-01,A,-2e12,1\n2024-01-02,A,1,2e12\n2024-01-03,A,1e12,-1e12\n');
    expect(err.problems.map((p) => [p.line, p.column, p.message, p.expected])).toEqual([
      [2, 3, 'out of range', 'at most 1e12 units per period'],
      [3, 4, 'out of range', 'a covariate between -1e12 and 1e12'],
    ]);
  });

  it('renamed columns and other delimiters', async () => {
    const { data } = await read('Tag;Artikel;Menge\n01.02.2024;X;4\n02.02.2024;X;5\n', { dateCol: 'Tag', skuCol: 'Artikel', targetCol: 'Menge', delimiter: ';', dateFormat: 'DD.MM.YYYY' });
    expect(data.series[0]!.start).toBe(parseDay('2024-02-01'));
    expect([...data.series[0]!.units]).toEqual([4, 5]);
  });

  it('missing periods: masked by default, zero with --fill zero; covariates carried forward', async () => {
    const text = 'date,sku,units,promo\n2024-01-01,A,2,1\n2024-01-04,A,3,0\n';
    const masked = await read(text);
    const s = masked.data.series[0]!;
    expect([...s.units]).toEqual([2, NaN, NaN, 3]);
    expect([...s.observed]).toEqual([1, 0, 0, 1]);
    expect([...s.covariates[0]!]).toEqual([1, 1, 1, 0]);
    expect(masked.report.gaps).toEqual([{ sku: 'A', missing: 2, longest: 2 }]);
    expect(masked.warnings.join('\n')).toMatch(/1 SKU has missing periods \(2 in all, longest 2 for A\): masked as unknown/);
    const zero = (await read(text, { fill: 'zero' })).data.series[0]!;
    expect([...zero.units]).toEqual([2, 0, 0, 3]);
    expect([...zero.observed]).toEqual([1, 1, 1, 1]);
    expect((await read(text, { fill: 'zero' })).warnings.join('\n')).toMatch(/counted as zero sales/);
  });

  it('empty or NA target cells are missing periods under either fill policy', async () => {
    for (const fill of ['missing', 'zero'] as const) {
      const { data, report, warnings } = await read('date,sku,units\n2024-01-01,A,2\n2024-01-02,A,NA\n2024-01-03,A,\n2024-01-04,A,1\n', { fill });
      expect([...data.series[0]!.observed]).toEqual([1, 0, 0, 1]);
      expect(Number.isNaN(data.series[0]!.units[1]!)).toBe(true);
      expect(report.missingTargets).toBe(2);
      expect(warnings.join('\n')).toMatch(/2 rows with an empty or NA units/);
    }
  });

  it('covariates: booleans, NA filled forward then backward, text columns ignored unless requested', async () => {
    const text = 'date,sku,units,IsHoliday,markdown,store\n2024-01-01,A,1,FALSE,NA,north\n2024-01-02,A,1,TRUE,5,north\n2024-01-03,A,1,false,,north\n';
    const { data, report, warnings } = await read(text);
    expect(data.covariates).toEqual(['IsHoliday', 'markdown']);
    expect([...data.series[0]!.covariates[0]!]).toEqual([0, 1, 0]);
    expect([...data.series[0]!.covariates[1]!]).toEqual([5, 5, 5]);
    expect(report.ignoredColumns).toEqual(['store']);
    expect(report.covariateCellsFilled).toBe(2);
    expect(warnings.join('\n')).toMatch(/column "store" is not numeric .*:2:6 has "north"/);
    const explicit = await read(text, { covariates: ['markdown'] });
    expect(explicit.data.covariates).toEqual(['markdown']);
    const err = await fails(text, { covariates: ['store'] });
    expect(err.problems[0]).toMatchObject({ line: 2, column: 6, columnName: 'store', value: 'north' });
  });

  it('a requested covariate that is not in the file is a header error listing the columns found', async () => {
    const err = await fails('date,sku,units\n2024-01-01,A,1\n', { covariates: ['price'] });
    expect(err.problems[0]!.message).toMatch(/missing required column "price"/);
    expect(err.hint).toMatch(/columns found: date, sku, units/);
  });

  it('a covariate unknown for a whole SKU becomes 0 with a warning', async () => {
    const { data, warnings } = await read('date,sku,units,price\n2024-01-01,A,1,NA\n2024-01-02,A,1,NA\n2024-01-01,B,1,3\n');
    expect([...data.series[0]!.covariates[0]!]).toEqual([0, 0]);
    expect(warnings.join('\n')).toMatch(/set to 0/);
  });

  it('detects weekly data, each SKU on its own weekday grid', async () => {
    const { data, report } = await read('date,sku,units\n2024-01-05,A,1\n2024-01-19,A,3\n2024-01-01,B,1\n2024-01-08,B,2\n');
    expect(data.freq).toBe('W');
    expect(data.step).toBe(7);
    expect([...data.series[0]!.units]).toEqual([1, NaN, 3]);
    expect(data.series[1]!.start).toBe(parseDay('2024-01-01'));
    expect(report.gaps).toEqual([{ sku: 'A', missing: 1, longest: 1 }]);
  });

  it('--freq D reads weekly data as daily with missing days; --freq W rejects daily data', async () => {
    const weekly = 'date,sku,units\n2024-01-05,A,1\n2024-01-12,A,3\n';
    const { data, report } = await read(weekly, { freq: 'D' });
    expect(data.series[0]!.units).toHaveLength(8);
    expect(report.freqDetected).toBe(false);
    const err = await fails('date,sku,units\n2024-01-01,A,1\n2024-01-02,A,2\n', { freq: 'W' });
    expect(err.hint).toMatch(/aggregate/);
  });

  it('negative units: clipped to 0 by default, kept, or rejected', async () => {
    const text = 'date,sku,units\n2024-01-01,A,3\n2024-01-02,A,-2\n';
    const zero = await read(text);
    expect([...zero.data.series[0]!.units]).toEqual([3, 0]);
    expect(zero.report.negatives).toBe(1);
    expect(zero.warnings.join('\n')).toMatch(/1 row with negative units set to 0/);
    expect([...(await read(text, { negative: 'keep' })).data.series[0]!.units]).toEqual([3, -2]);
    const err = await fails(text, { negative: 'error' });
    expect(err.problems[0]).toMatchObject({ line: 3, column: 3, value: '-2' });
  });

  it('duplicates: an error naming both lines, or summed with --aggregate sum (covariates take the max)', async () => {
    const text = 'date,sku,units,promo\n2024-01-01,A,1,0\n2024-01-02,A,2,0\n2024-01-02,A,5,1\n2024-01-02,A,NA,0\n';
    const err = await fails(text);
    expect(err.problems.map((p) => p.line)).toEqual([4, 5]);
    expect(err.problems[0]!.message).toMatch(/first at line 3/);
    const { data, report } = await read(text, { aggregate: 'sum' });
    expect([...data.series[0]!.units]).toEqual([1, 7]);
    expect([...data.series[0]!.covariates[0]!]).toEqual([0, 1]);
    expect(report.duplicatesAggregated).toBe(2);
  });

  it('a SKU with a single row is kept with a warning', async () => {
    const { data, report, warnings } = await read('date,sku,units\n2024-01-01,A,1\n2024-01-02,A,1\n2024-01-05,B,4\n');
    expect(data.series[1]!.units).toHaveLength(1);
    expect(report.shortSkus).toEqual(['B']);
    expect(warnings.join('\n')).toMatch(/1 SKU has a single row: B/);
  });

  it('line numbers count blank lines and line breaks inside quoted fields', async () => {
    const err = await fails('date,sku,units\n\n2024-01-01,"A\nB",1\n\n2024-01-02,A,oops\n');
    expect(err.problems[0]).toMatchObject({ line: 6, column: 3 });
  });

  it('mixed line endings (concatenated exports) keep dates and line numbers right', async () => {
    const err = await fails('date,sku,units\r\n2024-01-01,A,1\r\n\n2024-01-02,A,2\r\n2024-01-03,A,x\r\n');
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ line: 5, column: 3, value: 'x' });
  });

  it('reads stdin with "-"', async () => {
    const { data, report } = await readSales('-', BASE, { stdin: Readable.from(['date,sku,units\n2024-01-01,A,1\n2024-01-02,A,2\n']) });
    expect([...data.series[0]!.units]).toEqual([1, 2]);
    expect(report.file).toBe('<stdin>');
  });

  it('reports progress in bytes of the file size', async () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => `2024-01-01,SKU-${i},1`);
    const text = `date,sku,units\n${rows.join('\n')}\n`;
    const calls: [number, number | undefined][] = [];
    await readSales(file(text), BASE, { progress: (bytes, total) => calls.push([bytes, total]) });
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every(([b, t], i) => t === text.length && b <= t && (i === 0 || b > calls[i - 1]![0]))).toBe(true);
  });

  it('BOM, CRLF, tabs and quoted fields', async () => {
    const { data } = await read('\uFEFFdate\tsku\tunits\r\n2024-01-01\t"A\tB"\t1\r\n2024-01-02\t"A\tB"\t2\r\n', { delimiter: '\t' });
    expect(data.series[0]!.sku).toBe('A\tB');
    expect([...data.series[0]!.units]).toEqual([1, 2]);
  });
});

describe('numberCell', () => {
  it.each([
    ['0', 0], ['42', 42], ['-3', -3], ['+7', 7], ['1.25', 1.25], ['-0.5', -0.5], ['.5', 0.5], ['5.', 5], ['1e3', 1000], ['2.5E-1', 0.25], ['12345678901234567', 12345678901234567],
  ])('%s -> %d', (text, value) => {
    expect(numberCell(text)).toBe(value);
  });
  it.each(['', '-', '+', '.', '-.', '1.2.3', '1,5', '12abc', 'NaN', 'Infinity', '0x10', '1e', '--1'])('%j is not a number', (text) => {
    expect(numberCell(text)).toBeNaN();
  });
  it('agrees with Number on any decimal string', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => Object.is(numberCell(String(x)), Number(String(x))) || String(x).includes('e')));
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 9999 }), (a, b) => numberCell(`${a}.${b}`) === Number(`${a}.${b}`)));
  });
});
