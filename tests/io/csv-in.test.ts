/** csvRecords line numbers and readTable validation (the reader of the small typed tables). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { csvRecords } from '../../src/io/csv-in.js';
import { parseFiniteNumber as parseNumber } from '../../src/io/numbers.js';
import { readTable, type TableSpec } from '../../src/io/typed-table.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-csvin-'));
let n = 0;
function file(text: string): string {
  const p = join(dir, `t${n++}.csv`);
  writeFileSync(p, text);
  return p;
}

const SPEC: TableSpec = {
  what: 'lead-time file',
  columns: [
    { name: 'sku', kind: 'string' },
    { name: 'lead_time_days', kind: 'number', min: 0 },
    { name: 'sd', kind: 'number', required: false, allowEmpty: true, min: 0 },
    { name: 'since', kind: 'date', required: false },
  ],
};

async function problems(text: string): Promise<InputError> {
  try {
    await readTable(file(text), SPEC);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('csvRecords', () => {
  it('numbers each record by the line it starts on, across blank lines, CRLF and quoted line breaks', async () => {
    const recs: [number, string[]][] = [];
    for await (const r of csvRecords(file('\uFEFFa,b\r\n\r\n1,"x\r\ny"\r\n2,z\r\n\r\n3,w'))) recs.push([r.line, r.fields]);
    expect(recs).toEqual([
      [1, ['a', 'b']],
      [3, ['1', 'x\r\ny']],
      [5, ['2', 'z']],
      [7, ['3', 'w']],
    ]);
  });
});

describe('readTable', () => {
  it('reads typed values and notes optional columns present', async () => {
    const t = await readTable(file('sku,lead_time_days,sd\nA,3.5,\nB,7,1.5\n'), SPEC);
    expect(t.present).toEqual(new Set(['sku', 'lead_time_days', 'sd']));
    expect(t.rows).toEqual([
      { line: 2, values: { sku: 'A', lead_time_days: 3.5, sd: Number.NaN } },
      { line: 3, values: { sku: 'B', lead_time_days: 7, sd: 1.5 } },
    ]);
  });

  it('reports every bad cell with line, column, value and expectation', async () => {
    const err = await problems('sku,lead_time_days,sd,since\nA,-1,,2024-01-01\n,abc,2,2024-13-01\nC,1,2\n');
    expect(err.message).toMatch(/invalid lead-time file: 5 problems/);
    expect(err.problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [2, 2, 'out of range'],
      [3, 1, 'empty value'],
      [3, 2, 'not a number'],
      [3, 4, 'not a valid date'],
      [4, undefined, 'wrong number of fields'],
    ]);
    expect(err.problems[0]!.expected).toBe('a finite number >= 0');
  });

  it('missing required column, empty file, header only', async () => {
    expect((await problems('sku,days\nA,1\n')).message).toMatch(/missing required column lead_time_days/);
    expect((await problems('')).message).toMatch(/empty file/);
    expect((await problems('sku,lead_time_days\n')).message).toMatch(/header only/);
  });

  it('parseNumber is strict', () => {
    expect(parseNumber(' 1.5 ')).toBe(1.5);
    expect(parseNumber('1e3')).toBe(1000);
    for (const s of ['', 'NaN', 'Infinity', '12abc', '1,5', '0x1']) expect(parseNumber(s)).toBeNaN();
  });
});
