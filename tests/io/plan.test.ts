import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseDay } from '../../src/core/calendar.js';
import { assemblePlan, readPlanRows, type PlanOptions } from '../../src/io/plan.js';
import { splitHoldout } from '../../src/models/holdout.js';
import { checkCompatible } from '../../src/models/model-compat.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, parseModelMeta } from '../../src/models/model-meta.js';
import { makeSalesData } from '../../src/sales-data.js';
import { type PlanFileRow, planContract } from '../../src/core/contracts/plan.js';

const history = makeSalesData('W', ['price', 'promo'], [
  { sku: 'A', start: '2024-01-01', units: [1, 2, 3], covariates: [[5, 5, 4], [0, 0, 1]] },
  { sku: 'B', start: '2024-01-01', units: [4, 5, 6], covariates: [[9, 9, 9], [0, 1, 0]] },
]);
const origin = parseDay('2024-01-15');

function opts(extra: Partial<PlanOptions> = {}): PlanOptions {
  return { dateCol: 'date', skuCol: 'sku', dateFormat: 'YYYY-MM-DD', delimiter: ',', covariates: ['price', 'promo'], origin, horizon: 2, ...extra };
}

function planFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-'));
  const p = join(dir, 'plan.csv');
  writeFileSync(p, text);
  return p;
}

describe('promotion plan', () => {
  test('rows become per-SKU covariate arrays in model order; extra columns and dates are ignored', async () => {
    const p = planFile('sku,date,promo,price,units\nA,2024-01-22,1,4.5,3\nA,2024-01-29,0,5,3\nB,2024-01-22,0,9,1\nB,2024-01-29,1,8,1\nB,2024-02-05,1,8,1\n');
    const plan = assemblePlan(history, await readPlanRows(p, opts()), opts(), p);
    expect(plan.get('A')!.map((a) => Array.from(a))).toEqual([[4.5, 5], [1, 0]]);
    expect(plan.get('B')!.map((a) => Array.from(a))).toEqual([[9, 8], [0, 1]]);
  });

  test('the contract round trip: records -> row mapper -> readPlanRows on its names -> the same values', async () => {
    const contract = planContract(['price', 'promo'], { date: 'Tag', sku: 'Artikel' });
    const d = parseDay('2024-01-22');
    const records: PlanFileRow[] = [
      { day: d, sku: 'A', values: [4.5, 1] },
      { day: d + 7, sku: 'A', values: [5, 0] },
      { day: d, sku: 'B', values: [9.25, 0] },
    ];
    const text = [contract.names, ...records.map((r) => contract.row(r))].map((cells) => cells.join(',')).join('\n');
    const rows = await readPlanRows(planFile(`${text}\n`), opts({ dateCol: 'Tag', skuCol: 'Artikel' }));
    expect([...rows.keys()]).toEqual(['A', 'B']);
    for (const r of records) expect(rows.get(r.sku)!.get(r.day)).toEqual(r.values);
    expect(rows.get('A')!.size + rows.get('B')!.size).toBe(records.length);
  });

  test('missing rows are an error listing each SKU and date', async () => {
    const p = planFile('sku,date,promo,price\nA,2024-01-22,1,4.5\n');
    const rows = await readPlanRows(p, opts());
    let err: unknown;
    try {
      assemblePlan(history, rows, opts(), p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/missing plan rows for 2 SKUs/);
    expect(e.problems.map((x) => x.message)).toEqual(['no plan row for sku A on 2024-01-29', 'no plan row for sku B on 2024-01-22, 2024-01-29']);
    expect(e.hint).toMatch(/--plan-fill/);
  });

  test('fill policies: last repeats the last known value, zero uses 0', async () => {
    const p = planFile('sku,date,promo,price\nA,2024-01-22,1,4.5\n');
    const rows = await readPlanRows(p, opts());
    const last = assemblePlan(history, rows, opts({ fill: 'last' }), p);
    expect(last.get('A')!.map((a) => Array.from(a))).toEqual([[4.5, 4.5], [1, 1]]);
    expect(last.get('B')!.map((a) => Array.from(a))).toEqual([[9, 9], [0, 0]]);
    const zero = assemblePlan(history, rows, opts({ fill: 'zero' }), p);
    expect(zero.get('B')!.map((a) => Array.from(a))).toEqual([[0, 0], [0, 0]]);
  });

  test('an empty plan cell is an error naming --plan-fill; under a fill policy it is filled like a missing row and counted', async () => {
    // A's price is empty in its first row (filled from its history: 4) and B's promo in its second (from its first row: 1).
    const p = planFile('sku,date,promo,price\nA,2024-01-22,1,\nA,2024-01-29,0,5\nB,2024-01-22,1,9\nB,2024-01-29,NA,8\n');
    let err: unknown;
    try {
      await readPlanRows(p, opts());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.problems.map((x) => [x.line, x.column, x.message])).toEqual([[2, 4, 'empty value'], [5, 3, 'not a number']]);
    expect(e.hint).toMatch(/--plan-fill last/);
    const filled = { count: 0 };
    const rows = await readPlanRows(p, opts({ fill: 'last' }), undefined, filled);
    expect(filled.count).toBe(2);
    const last = assemblePlan(history, rows, opts({ fill: 'last' }), p);
    expect(last.get('A')!.map((a) => Array.from(a))).toEqual([[4, 5], [1, 0]]);
    expect(last.get('B')!.map((a) => Array.from(a))).toEqual([[9, 8], [1, 1]]);
    const zero = assemblePlan(history, await readPlanRows(p, opts({ fill: 'zero' })), opts({ fill: 'zero' }), p);
    expect(zero.get('A')!.map((a) => Array.from(a))).toEqual([[0, 5], [1, 0]]);
    expect(zero.get('B')!.map((a) => Array.from(a))).toEqual([[9, 8], [1, 0]]);
    // Only covariate cells may be empty: an empty date or SKU stays an error under a fill policy.
    const noSku = planFile('sku,date,promo,price\n,2024-01-22,1,4\n');
    await expect(readPlanRows(noSku, opts({ fill: 'last' }))).rejects.toThrow(/invalid promotion plan/);
  });

  test('filledRows counts the rows a fill policy filled', async () => {
    const p = planFile('sku,date,promo,price\nA,2024-01-22,1,4.5\n');
    const filledRows = { count: 0 };
    assemblePlan(history, await readPlanRows(p, opts()), opts({ fill: 'last' }), p, filledRows);
    expect(filledRows.count).toBe(3);
  });

  test('duplicate and malformed rows are reported with their lines', async () => {
    const p = planFile('sku,date,promo,price\nA,2024-01-22,1,4.5\nA,2024-01-22,1,4.5\nB,2024-13-01,x,1\n');
    await expect(readPlanRows(p, opts())).rejects.toThrow(InputError);
    try {
      await readPlanRows(p, opts());
    } catch (e) {
      const lines = (e as InputError).problems.map((x) => x.line);
      expect(lines).toContain(4);
    }
    const dup = planFile('sku,date,promo,price\nA,2024-01-22,1,4.5\nA,2024-01-22,1,4.5\n');
    await expect(readPlanRows(dup, opts())).rejects.toThrow(/invalid promotion plan/);
  });
});

describe('model compatibility', () => {
  test('frequency and covariates must match; extra columns are dropped and order follows the model', () => {
    expect(() => checkCompatible({ freq: 'D', covariates: [] }, history, 'x.csv')).toThrow(/weekly but the model was trained on daily/);
    expect(() => checkCompatible({ freq: 'W', covariates: ['price', 'holiday'] }, history, 'x.csv')).toThrow(/missing holiday/);
    const d = checkCompatible({ freq: 'W', covariates: ['promo'] }, history, 'x.csv');
    expect(d.covariates).toEqual(['promo']);
    expect(Array.from(d.series[0]!.covariates[0]!)).toEqual([0, 0, 1]);
  });

  test('metadata with another format version is refused with a retrain hint', () => {
    const r = parseModelMeta(JSON.stringify({ format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION + 1 }));
    expect(r.meta).toBeUndefined();
    expect(r.problems[0]).toMatch(/not supported.*retrain/);
    expect(parseModelMeta('{').problems[0]).toMatch(/not valid JSON/);
    expect(parseModelMeta(JSON.stringify({ format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION })).problems.length).toBeGreaterThan(3);
  });
});

describe('holdout split', () => {
  test('the last N periods become actuals and their covariates the plan', () => {
    const data = makeSalesData('W', ['promo'], [
      { sku: 'A', start: '2024-01-01', units: [1, 2, 3, 4, 5], covariates: [[0, 0, 0, 1, 0]] },
      { sku: 'B', start: '2024-01-08', units: [7, 8, 9], covariates: [[1, 1, 1]] },
    ]);
    const h = splitHoldout(data, 2);
    expect(h.origin).toBe(parseDay('2024-01-15'));
    expect(Array.from(h.history.series[0]!.units)).toEqual([1, 2, 3]);
    expect(Array.from(h.actual.get('A')!)).toEqual([4, 5]);
    expect(Array.from(h.plan.get('A')![0]!)).toEqual([1, 0]);
    expect(Array.from(h.history.series[1]!.units)).toEqual([7, 8]);
    expect(Array.from(h.actual.get('B')!)).toEqual([9, Number.NaN]);
  });
});
