/**
 * io/policy-file.ts on the policy contract (core/contracts/policy.ts): the `policy` and
 * `review_period` columns at the end say which policy a file holds; files without them still read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_COLUMNS, POLICY_CONTRACT, type PolicyRecord } from '../../src/core/contracts/policy.js';
import { InputError, formatProblem } from '../../src/errors.js';
import { toCsv } from '../../src/io/csv-out.js';
import { readPolicy } from '../../src/io/policy-file.js';
import { REPO_ROOT } from '../helpers/cli.js';

const FIX = resolve(REPO_ROOT, 'tests/fixtures/stock');

const dir = mkdtempSync(join(tmpdir(), 'policy-file-'));
let n = 0;
function file(text: string): string {
  const p = join(dir, `p${n++}.csv`);
  writeFileSync(p, text);
  return p;
}

const OLD_HEADER = 'sku,lead_time_mean,lead_time_sd,demand_mean,demand_sd,safety_stock,reorder_point,order_up_to,service_level_target,cycle_service_level,fill_rate,paths';
const record = (sku: string, extra: Partial<PolicyRecord> = {}): PolicyRecord => ({
  sku,
  leadTimeMean: 4,
  leadTimeSd: 1,
  demandMean: 80,
  demandSd: 20,
  safetyStock: 30,
  reorderPoint: 110,
  orderUpTo: 300,
  serviceLevelTarget: 0.95,
  cycleServiceLevel: 0.951,
  fillRate: 0.99,
  paths: 1000,
  policy: 'sQ',
  reviewPeriod: 0,
  ...extra,
});

describe('the policy contract', () => {
  it('keeps the contract columns first and unchanged, the new ones at the end', () => {
    expect(POLICY_COLUMNS.slice(0, 12).join(',')).toBe(OLD_HEADER);
    expect(POLICY_COLUMNS.slice(12)).toEqual(['policy', 'review_period']);
    expect(POLICY_CONTRACT.row(record('A', { policy: 'RS', reviewPeriod: 7 })).slice(-2)).toEqual(['RS', 7]);
  });
});

describe('readPolicy', () => {
  it('reads back what the contract writes, with the review it states', async () => {
    const rs = file(toCsv(POLICY_COLUMNS, [record('B', { policy: 'RS', reviewPeriod: 7, orderUpTo: 110 }), record('A', { policy: 'RS', reviewPeriod: 7, orderUpTo: 110 })].map(POLICY_CONTRACT.row)));
    const read = await readPolicy(rs);
    expect(read.review).toEqual({ kind: 'RS', period: 7 });
    expect(read.policies).toEqual([
      { sku: 'A', reorderPoint: 110, orderUpTo: 110, leadTimeMean: 4, leadTimeSd: 1 },
      { sku: 'B', reorderPoint: 110, orderUpTo: 110, leadTimeMean: 4, leadTimeSd: 1 },
    ]);
    expect((await readPolicy(file(toCsv(POLICY_COLUMNS, [POLICY_CONTRACT.row(record('A'))])))).review).toEqual({ kind: 'sQ' });
  });

  it('an older file without the columns, or a minimal one, reads with no stated review', async () => {
    expect((await readPolicy(file(`${OLD_HEADER}\nA,4,1,80,20,30,110,300,0.95,0.951,0.99,1000\n`))).review).toBeUndefined();
    const minimal = await readPolicy(file('sku,reorder_point,order_up_to\nA,5,9\n'));
    expect(minimal.review).toBeUndefined();
    expect(minimal.policies[0]).toMatchObject({ sku: 'A', reorderPoint: 5, orderUpTo: 9 });
    expect(Number.isNaN(minimal.policies[0]!.leadTimeMean)).toBe(true);
  });

  it.each([
    ['sku,reorder_point,order_up_to,policy,review_period\nA,5,9,Rs,7\n', /p\d+\.csv:2:4: policy: unknown policy \(expected one of sQ, RS, got "Rs"\)/],
    ['sku,reorder_point,order_up_to,policy,review_period\nA,5,5,RS,0\n', /2:5: review_period: an \(R,S\) policy needs its review period/],
    ['sku,reorder_point,order_up_to,policy,review_period\nA,5,9,sQ,7\n', /2:5: review_period: an \(s,Q\) policy is reviewed continuously/],
    ['sku,reorder_point,order_up_to,review_period\nA,5,5,7\n', /review_period 7 without a policy/],
    ['sku,reorder_point,order_up_to,policy,review_period\nA,5,5,RS,7\nB,5,9,sQ,0\n', /3:4: policy: a second kind of policy in one file \(line 2: RS 7\)/],
    ['sku,reorder_point,order_up_to,policy,review_period\nA,5,5,RS,7\nB,5,5,RS,14\n', /3:4: policy: a second kind/],
    ['sku,reorder_point,order_up_to,policy,review_period\nA,5,5,RS,1.5\n', /2:5: review_period/],
  ])('refuses %j', async (text, message) => {
    const err = await readPolicy(file(text)).then(
      () => undefined,
      (e: unknown) => e as InputError,
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err!.exitCode).toBe(2);
    expect(err!.problems.map(formatProblem).join('\n')).toMatch(message);
  });
});

describe('readPolicy on stock simulate output', () => {
  it('reads stock simulate output, sorted by sku, with optional lead-time columns', async () => {
    const p = await readPolicy(join(FIX, 'bt-policy.csv'));
    expect(p.policies.map((x) => [x.sku, x.reorderPoint, x.orderUpTo, x.leadTimeMean, x.leadTimeSd])).toEqual([
      ['A', 20, 50, 2, 0],
      ['B', 40, 100, 3, 1],
      ['D', 10, 30, 2, 0],
    ]);
    const lean = await readPolicy(join(FIX, 'bt-policy-lean.csv'));
    expect(lean.policies[0]!.leadTimeMean).toBeNaN();
  });

  it('reports every bad row with file:line:column', async () => {
    const p = file('sku,reorder_point,order_up_to,fill_rate\nA,1,2,0.9\nB,x,5,\nC,3,4,1.5\n');
    await expect(readPolicy(p)).rejects.toMatchObject({
      exitCode: 2,
      problems: [expect.objectContaining({ line: 3, column: 2, columnName: 'reorder_point' }), expect.objectContaining({ line: 4, column: 4, columnName: 'fill_rate' })],
    });
    const q = file('sku,reorder_point,order_up_to\nA,1,2\nA,1,2\nB,5,4\n');
    await expect(readPolicy(q)).rejects.toMatchObject({
      problems: [expect.objectContaining({ line: 3, message: expect.stringContaining('duplicate SKU (first on line 2)') }), expect.objectContaining({ line: 4, column: 3 })],
    });
    const r = file('sku,order_up_to\nA,1\n');
    await expect(readPolicy(r)).rejects.toThrow(/missing required column reorder_point/);
  });
});
