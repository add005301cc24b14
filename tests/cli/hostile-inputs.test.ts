/**
 * The hostile-input corpus (tests/fixtures/hostile/): every case asserts the exit code, the message
 * (file:line:column where it applies), that a previous --out is left untouched, and that no stack
 * trace is printed. In-process runs (tests/helpers/cli.ts); one tiny LSTM is trained for predict.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { noStack, runCli } from '../helpers/cli.js';

const FIX = 'tests/fixtures/hostile';
const fx = (name: string) => `${FIX}/${name}`;
const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
const MODEL = join(dir, 'model');
const ENV = { STOCKCAST_TODAY: '2026-11-15' };
const PREVIOUS = 'previous output, must survive\n';
const TRAIN = ['--horizon', '4', '--window', '8', '--units', '8', '--ensemble', '1', '--epochs', '1', '--samples-per-epoch', '128', '--batch-size', '32', '--backend', 'wasm', '--seed', '1'];

function previousOut(name: string): string {
  const p = join(dir, name);
  writeFileSync(p, PREVIOUS);
  return p;
}

beforeAll(async () => {
  const r = await runCli(['forecast', 'train', '--data', fx('sales-ok.csv'), '--model', MODEL, '--quiet', ...TRAIN], { env: ENV });
  if (r.code !== 0) throw new Error(`train failed: ${r.stderr}`);
}, 120_000);

interface Case {
  name: string;
  argv: (out: string) => string[];
  code: number;
  stderr: RegExp[];
}

const predict = (data: string, plan: string, ...more: string[]) => (out: string) => ['forecast', 'predict', '--model', MODEL, '--data', fx(data), '--future', fx(plan), '--out', out, ...more];
const simulate = (forecast: string, ...more: string[]) => (out: string) => ['stock', 'simulate', '--forecast', fx(forecast), '--paths', '200', '--out', out, ...more];
const reorder = (policy: string, inventory: string) => (out: string) => ['stock', 'reorder', '--policy', fx(policy), '--inventory', fx(inventory), '--out', out];
const inspect = (data: string) => (out: string) => ['data', 'inspect', '--data', fx(data), '--format', 'csv', '--out', out];

const REFUSED: Case[] = [
  // Item 5: non-finite numbers in every reader.
  { name: 'sales units 1e309', argv: inspect('sales-1e309.csv'), code: 2, stderr: [/sales-1e309\.csv:3:3: units: too large \(not a finite number\)/, /got "1e309"/] },
  { name: 'sales units with 400 digits', argv: inspect('sales-400-digits.csv'), code: 2, stderr: [/sales-400-digits\.csv:6:3: units: too large/] },
  { name: 'sales covariate -1e400', argv: inspect('sales-price-overflow.csv'), code: 2, stderr: [/sales-price-overflow\.csv:4:4: price: too large/] },
  { name: 'sales units 1e13 (above the 1e12 ceiling)', argv: inspect('sales-units-1e13.csv'), code: 2, stderr: [/sales-units-1e13\.csv:5:3: units: out of range \(expected at most 1e12 units per period, got "1e13"\)/] },
  { name: 'plan price 1e309', argv: predict('sales-ok.csv', 'plan-1e309.csv'), code: 2, stderr: [/plan-1e309\.csv:5:3: price: too large/] },
  { name: 'forecast sd 1e309', argv: simulate('forecast-1e309.csv', '--lead-time', '3'), code: 2, stderr: [/forecast-1e309\.csv:4:4: sd: too large/] },
  { name: 'lead time 1e309', argv: simulate('forecast-ok.csv', '--lead-times', fx('lead-1e309.csv')), code: 2, stderr: [/lead-1e309\.csv:3:2: lead_time_days: too large/] },
  { name: 'inventory on_hand 1e309', argv: reorder('policy-ok.csv', 'inventory-1e309.csv'), code: 2, stderr: [/inventory-1e309\.csv:4:2: on_hand: too large/] },
  { name: 'policy reorder_point 1e309', argv: reorder('policy-1e309.csv', 'inventory-ok.csv'), code: 2, stderr: [/policy-1e309\.csv:3:2: reorder_point: too large/] },
  // Item 8 and similar: ceilings.
  { name: 'forecast 1e300 (above the 1e12 ceiling)', argv: simulate('forecast-1e300.csv', '--lead-time', '3'), code: 2, stderr: [/forecast-1e300\.csv:7:3: forecast: out of range \(expected a finite number >= 0 and <= 1e12, got "1e300"\)/] },
  { name: 'negative sd in a forecast file', argv: simulate('forecast-negative-sd.csv', '--lead-time', '3'), code: 2, stderr: [/forecast-negative-sd\.csv:9:4: sd: out of range/] },
  { name: 'lead time of a million days', argv: simulate('forecast-ok.csv', '--lead-times', fx('lead-huge.csv')), code: 2, stderr: [/lead-huge\.csv:3:2: lead_time_days: out of range \(expected a finite number >= 0 and <= 3650/] },
  { name: '--lead-time 1e9 option', argv: simulate('forecast-ok.csv', '--lead-time', '1000000000'), code: 2, stderr: [/--lead-time: expected a number <= 3650/] },
  { name: 'a computation beyond 1e15 (exit 1, nothing written)', argv: simulate('forecast-huge.csv', '--lead-time', '3650', '--extend-horizon', 'repeat-last'), code: 1, stderr: [/a computation produced .* beyond 1000000000000000 .* for demand_mean in output row 1 \(A\): nothing was written/] },
  // Item 17: duplicate column names, every reader.
  { name: 'sales promo,promo', argv: inspect('sales-dup-promo.csv'), code: 2, stderr: [/sales-dup-promo\.csv:1:5: column "promo" appears twice \(columns 4 and 5\)/] },
  { name: 'plan promo,promo', argv: predict('sales-ok.csv', 'plan-dup-promo.csv'), code: 2, stderr: [/plan-dup-promo\.csv:1:5: column "promo" appears twice \(columns 4 and 5\)/] },
  { name: 'forecast sd,sd', argv: simulate('forecast-dup-sd.csv', '--lead-time', '3'), code: 2, stderr: [/forecast-dup-sd\.csv:1:5: column "sd" appears twice \(columns 4 and 5\)/] },
  { name: 'lead times lead_time_days twice', argv: simulate('forecast-ok.csv', '--lead-times', fx('lead-dup.csv')), code: 2, stderr: [/lead-dup\.csv:1:3: column "lead_time_days" appears twice \(columns 2 and 3\)/] },
  { name: 'inventory on_hand twice', argv: reorder('policy-ok.csv', 'inventory-dup.csv'), code: 2, stderr: [/inventory-dup\.csv:1:3: column "on_hand" appears twice/] },
  { name: 'policy order_up_to twice', argv: reorder('policy-dup.csv', 'inventory-ok.csv'), code: 2, stderr: [/policy-dup\.csv:1:4: column "order_up_to" appears twice \(columns 3 and 4\)/] },
  // Item 16: one pass over the policy file.
  {
    name: 'policy: bad cell, order_up_to < reorder_point, duplicate, empty cell, all at once',
    argv: reorder('policy-many.csv', 'inventory-ok.csv'),
    code: 2,
    stderr: [/4 problems/, /policy-many\.csv:2:2: reorder_point: not a number/, /policy-many\.csv:3:3: order_up_to: order_up_to below reorder_point/, /policy-many\.csv:4:1: sku: duplicate SKU \(first on line 3\)/, /policy-many\.csv:5:3: order_up_to: empty value/],
  },
  {
    name: 'inventory: bad cells and a duplicate SKU, all at once, in file order',
    argv: reorder('policy-ok.csv', 'inventory-many.csv'),
    code: 2,
    stderr: [/3 problems/, /inventory-many\.csv:2:2: on_hand: not a number[^\n]*\n[^\n]*inventory-many\.csv:3:1: sku: duplicate SKU \(first on line 2\)[^\n]*\n[^\n]*inventory-many\.csv:4:2: on_hand: out of range/],
  },
  {
    name: 'forecast file: bad cells and a duplicate date, all at once',
    argv: simulate('forecast-many.csv', '--lead-time', '1'),
    code: 2,
    stderr: [/3 problems/, /forecast-many\.csv:2:4: sd: not a number/, /forecast-many\.csv:3:2: date: duplicate forecast for SKU A/, /forecast-many\.csv:5:3: forecast: out of range/],
  },
  // Item 7: a sentinel date.
  { name: 'a 9999-12-31 sentinel', argv: predict('sales-9999.csv', 'plan-ok.csv'), code: 2, stderr: [/sales-9999\.csv:182: SKU "A" spans 2026-09-01 to 9999-12-31, \d+ days: a sentinel or mistyped date\?/] },
  // Item 9: plan values the model never saw.
  { name: 'plan promo flag of 5', argv: predict('sales-ok.csv', 'plan-promo-5.csv'), code: 2, stderr: [/plan-promo-5\.csv:6:4: promo: promo was a 0\/1 flag in the training data, so the model never saw this value \(expected 0 or 1, got "5"\)/] },
  {
    name: 'plan price 0 and -1.5',
    argv: predict('sales-ok.csv', 'plan-price-not-positive.csv'),
    code: 2,
    stderr: [/plan-price-not-positive\.csv:4:3: price: price was always above 0/, /plan-price-not-positive\.csv:9:3: price: .*got "-1.5"/],
  },
  { name: '--plan-fill zero on a price', argv: (out) => ['forecast', 'predict', '--model', MODEL, '--data', fx('sales-ok.csv'), '--plan-fill', 'zero', '--out', out], code: 2, stderr: [/price 0 \(from --plan-fill zero\) but price was always above 0/] },
];

describe('hostile inputs are refused, nothing is written', () => {
  for (const c of REFUSED) {
    it(c.name, async () => {
      const out = previousOut(`${c.name.replace(/\W+/g, '-')}.out`);
      const r = await runCli(c.argv(out), { env: ENV });
      expect(r.code, r.stderr).toBe(c.code);
      for (const re of c.stderr) expect(r.stderr).toMatch(re);
      expect(r.stdout).toBe('');
      expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
      noStack(r.stderr);
    });
  }
});

function csvCells(text: string): string[][] {
  return text.trimEnd().split('\n').map((l) => l.split(','));
}

describe('hostile inputs that are used, with a warning', () => {
  it('a 2052 typo in one SKU moves only that SKU; the others start after their own last day', async () => {
    const out = join(dir, 'f-2052.csv');
    const r = await runCli(predict('sales-2052.csv', 'plan-ok.csv', '--plan-fill', 'last')(out), { env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 SKU\(s\) end far past the others .*latest 2052-10-30\): "A" 2052-10-30\. A sentinel or mistyped date\? Each is forecast from its own last date; the other SKUs from 2026-10-30/);
    expect(r.stderr).toMatch(/1 SKU\(s\) have rows dated after today \(2026-11-15\)/);
    const rows = csvCells(readFileSync(out, 'utf8')).slice(1);
    expect(rows.filter((c) => c[0] === 'B').map((c) => c[1])).toEqual(['2026-10-31', '2026-11-01', '2026-11-02', '2026-11-03']);
    expect(rows.filter((c) => c[0] === 'A').map((c) => c[1])).toEqual(['2052-10-31', '2052-11-01', '2052-11-02', '2052-11-03']);
    noStack(r.stderr);
  });

  it('data inspect flags far-past SKUs and rows after today', async () => {
    const r = await runCli(['data', 'inspect', '--data', fx('sales-2052.csv'), '--summary', '--format', 'csv'], { env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^late_skus,1$/m);
    expect(r.stdout).toMatch(/^late,A@2052-10-30$/m);
    expect(r.stdout).toMatch(/^skus_after_today,1$/m);
    expect(r.stderr).toMatch(/end far past the others/);
    const early = await runCli(['data', 'inspect', '--data', fx('sales-ok.csv'), '--summary', '--format', 'csv'], { env: { STOCKCAST_TODAY: '2026-10-01' } });
    expect(early.stdout).toMatch(/^skus_after_today,3$/m);
    expect(early.stderr).toMatch(/3 SKU\(s\) have rows dated after today \(2026-10-01\): 87 period\(s\) in all, the latest 2026-10-30/);
  });

  it('data inspect: a SKU without observed periods has empty shares in CSV (never NaN) and null in JSON', async () => {
    const file = join(dir, 'no-observed.csv');
    writeFileSync(file, 'date,sku,units\n2026-01-01,A,\n2026-01-02,A,NA\n2026-01-01,B,3\n');
    const csv = await runCli(['data', 'inspect', '--data', file, '--format', 'csv'], { env: ENV });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toMatch(/^A,2026-01-01,2026-01-02,2,0,0,0,,,true,naive$/m);
    expect(csv.stdout).not.toMatch(/NaN/);
    const json = JSON.parse((await runCli(['data', 'inspect', '--data', file, '--format', 'json'], { env: ENV })).stdout);
    expect(json.skus[0]).toMatchObject({ sku: 'A', zero_share: null, mean_units: null });
  });

  it('a bad STOCKCAST_TODAY is a usage error', async () => {
    const r = await runCli(['data', 'inspect', '--data', fx('sales-ok.csv')], { env: { STOCKCAST_TODAY: 'tomorrow' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/STOCKCAST_TODAY: expected a date as YYYY-MM-DD, got "tomorrow"/);
  });

  it('plan rows for unknown SKUs and stale dates are counted; values far outside the training range warned about', async () => {
    const r = await runCli(predict('sales-ok.csv', 'plan-unknown-sku.csv')(join(dir, 'f-unknown.csv')), { env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/2 plan row\(s\) for 1 SKU\(s\) not in the sales history are ignored: "ZZZ"/);
    expect(r.stderr).toMatch(/1 plan row\(s\) dated on or before their SKU's last sales period.*: A 2026-09-15/);
    const far = await runCli(predict('sales-ok.csv', 'plan-price-far.csv')(join(dir, 'f-far.csv')), { env: ENV });
    expect(far.code, far.stderr).toBe(0);
    expect(far.stderr).toMatch(/1 plan value\(s\) far outside the range the model was trained on .*plan-price-far\.csv:2:3 price=499 \(trained on 1\.99 to 9\.99\)/);
  });

  it('a SKU with 1 observation gets a pooled spread, not sd 0, and the warning says so', async () => {
    const out = join(dir, 'f-thin.csv');
    const r = await runCli(['forecast', 'predict', '--model', MODEL, '--data', fx('sales-thin.csv'), '--plan-fill', 'last', '--out', out], { env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 SKU\(s\) have fewer than 10 observed periods, too few to measure their forecast spread: sd, p10 and p90 widened to the other SKUs' pooled spread .*: "T"/);
    const t = csvCells(readFileSync(out, 'utf8')).filter((c) => c[0] === 'T');
    expect(t).toHaveLength(4);
    for (const c of t) {
      const [mean, sd, p10, p90] = c.slice(2, 6).map(Number);
      expect(sd).toBeGreaterThanOrEqual(Math.sqrt(mean!) - 1e-4);
      expect(p10).toBeLessThan(mean!);
      expect(p90).toBeGreaterThan(mean!);
    }
    // And the policy built on it holds safety stock instead of claiming certainty.
    const policy = await runCli(['stock', 'simulate', '--forecast', out, '--lead-time', '2', '--paths', '500'], { env: ENV });
    const row = csvCells(policy.stdout).find((c) => c[0] === 'T')!;
    expect(Number(row[5])).toBeGreaterThan(0);
  });

  it('lead time 0 is used and warned about', async () => {
    const r = await runCli(simulate('forecast-ok.csv', '--lead-times', fx('lead-zero.csv'))(join(dir, 'p-zero.csv')), { env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 SKU\(s\) have a lead time of 0 days: .*reorder point is 0.*: A/);
  });

  it('--service-level 0.9999999 with 1,000 paths: warned, and the target keeps its digits', async () => {
    const r = await runCli(['stock', 'simulate', '--forecast', fx('forecast-ok.csv'), '--lead-time', '3', '--paths', '1000', '--service-level', '0.9999999'], { env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/--service-level 0\.9999999 with 1000 paths: only 0\.00010 paths are expected beyond the reorder point, too few/);
    for (const c of csvCells(r.stdout).slice(1)) expect(c[8]).toBe('0.9999999');
  });
});

describe('hostile SKU ids', () => {
  it('data inspect flags formula-like ids; outputs keep them unless --escape-formulas', async () => {
    const r = await runCli(['data', 'inspect', '--data', fx('sales-formula.csv'), '--format', 'csv'], { env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/5 SKU id\(s\) start with = \+ - @ tab or CR, which spreadsheets run as formulas: "\+x", "-x", "=HYPERLINK/);
    expect(r.stdout).toMatch(/^=cmd\|'\/C calc'!A0,/m);
    const escaped = await runCli(['data', 'inspect', '--data', fx('sales-formula.csv'), '--format', 'csv', '--escape-formulas'], { env: ENV });
    const ids = csvCells(escaped.stdout).map((c) => c[0]);
    expect(ids).toContain(`"'=cmd|'/C calc'!A0"`);
    expect(ids).toContain(`"'@SUM(A1)"`);
    expect(ids).toContain(`"'+x"`);
    expect(ids).toContain(`"'-x"`);
    expect(escaped.stdout).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(ids).toContain('A');
  });

  it('stock simulate and reorder: ids unchanged by default, OWASP-escaped with --escape-formulas', async () => {
    const ids = ['=cmd|\'/C calc\'!A0', '@SUM(A1)', '+x', '-x', 'OK'];
    const forecast = join(dir, 'formula-forecast.csv');
    writeFileSync(forecast, `sku,date,forecast,sd\n${ids.flatMap((id) => ['2026-11-01', '2026-11-02', '2026-11-03'].map((d) => `${id},${d},5,1`)).join('\n')}\n`);
    const inventory = join(dir, 'formula-inventory.csv');
    writeFileSync(inventory, `sku,on_hand\n${ids.map((id) => `${id},0`).join('\n')}\n`);
    const plain = await runCli(['stock', 'simulate', '--forecast', forecast, '--lead-time', '1', '--paths', '200', '--quiet'], { env: ENV });
    expect(csvCells(plain.stdout).slice(1).map((c) => c[0])).toEqual(['+x', '-x', '=cmd|\'/C calc\'!A0', '@SUM(A1)', 'OK']);
    const policy = join(dir, 'formula-policy.csv');
    const escaped = await runCli(['stock', 'simulate', '--forecast', forecast, '--lead-time', '1', '--paths', '200', '--quiet', '--escape-formulas', '--out', policy], { env: ENV });
    expect(escaped.code, escaped.stderr).toBe(0);
    expect(csvCells(readFileSync(policy, 'utf8')).slice(1).map((c) => c[0])).toEqual([`"'+x"`, `"'-x"`, `"'=cmd|'/C calc'!A0"`, `"'@SUM(A1)"`, 'OK']);
    // The numbers are the same bytes: only the id cells differ.
    expect(readFileSync(policy, 'utf8').replace(/"'([^"]*)"/g, '$1')).toBe(plain.stdout);
    writeFileSync(join(dir, 'p-plain.csv'), plain.stdout);
    const o = await runCli(['stock', 'reorder', '--policy', join(dir, 'p-plain.csv'), '--inventory', inventory, '--format', 'csv', '--escape-formulas'], { env: ENV });
    expect(o.code, o.stderr).toBe(0);
    expect(o.stdout).toMatch(/^"'=cmd\|'\/C calc'!A0",/m);
  });

  it('escape sequences, binary bytes and a 2 MB SKU are sanitised and cut in messages', async () => {
    const huge = 'X'.repeat(2 * 1024 * 1024);
    const evil = '\u001b[2J\u001b]0;pwned\u0007\u0000\u0085';
    const cells = join(dir, 'evil-cell.csv');
    writeFileSync(cells, `sku,date,forecast,sd\nA,2026-11-01,5,${evil}\nB,2026-11-01,${huge},1\n`);
    const skus = join(dir, 'evil-sku.csv');
    writeFileSync(skus, `sku,date,forecast,sd\n${evil},2026-11-01,5,1\n${evil},2026-11-01,5,1\n${huge},2026-11-01,5,1\n${huge},2026-11-01,5,1\n`);
    for (const [file, expected] of [
      [cells, [/evil-cell\.csv:2:4: sd: not a number \(.*got "\\x1b\[2J\\x1b\]0;pwned\\x07\\x00\\x85"\)/, /evil-cell\.csv:3:3: forecast: not a number \(.*got "XXXX+…\(2097152 chars\)"\)/]],
      [skus, [/duplicate forecast for SKU \\x1b\[2J/, /duplicate forecast for SKU XXXX+…\(2097152 chars\)/]],
    ] as const) {
      const r = await runCli(['stock', 'simulate', '--forecast', file, '--lead-time', '2'], { env: ENV });
      expect(r.code).toBe(2);
      // eslint-disable-next-line no-control-regex
      expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(r.stderr.length).toBeLessThan(5000);
      for (const re of expected) expect(r.stderr).toMatch(re);
      noStack(r.stderr);
    }
  });
});

describe('stock merge', () => {
  it('merges shards into exactly the unsharded bytes, quoted SKUs included', async () => {
    const skus = ['A', '"B,1"', '"C ""q"""', '"D\nx"', '"=HYPERLINK(""x"")"', 'zz', 'é', '😀', 'ﬁx', '" lead"', '-x'];
    const lines = ['sku,date,forecast,sd'];
    for (const s of skus) for (const d of ['2026-11-01', '2026-11-02', '2026-11-03']) lines.push(`${s},${d},5,1`);
    const forecast = join(dir, 'quoted.csv');
    writeFileSync(forecast, `${lines.join('\n')}\n`);
    const base = ['stock', 'simulate', '--forecast', forecast, '--lead-time', '1', '--paths', '200', '--quiet'];
    const full = await runCli(base, { env: ENV });
    expect(full.code, full.stderr).toBe(0);
    const shards: string[] = [];
    for (const k of [2, 0, 1]) {
      const p = join(dir, `shard-${k}.csv`);
      const r = await runCli([...base, '--shard', `${k}/3`, '--out', p], { env: ENV });
      expect(r.code, r.stderr).toBe(0);
      shards.push(p);
    }
    const merged = await runCli(['stock', 'merge', '--in', ...shards], { env: ENV });
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(full.stdout);
    // The old recipe is not byte-identical on these ids (that is why merge exists).
    const naive = [full.stdout.split('\n')[0], ...shards.flatMap((p) => readFileSync(p, 'utf8').trimEnd().split('\n').slice(1)).sort()].join('\n');
    expect(`${naive}\n`).not.toBe(full.stdout);
  });

  it('refuses overlapping shards and mismatched headers, writing nothing', async () => {
    const a = join(dir, 'm-a.csv');
    const b = join(dir, 'm-b.csv');
    writeFileSync(a, 'sku,reorder_point,order_up_to\nA,1,2\nB,2,3\n');
    writeFileSync(b, 'sku,reorder_point,order_up_to\nC,1,2\nA,3,4\n');
    const out = previousOut('merged.csv');
    const r = await runCli(['stock', 'merge', '--in', a, b, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SKU "A" is also in .*m-a\.csv:2/);
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
    writeFileSync(b, 'sku,order_up_to,reorder_point\nC,1,2\n');
    const h = await runCli(['stock', 'merge', '--in', a, b, '--out', out]);
    expect(h.code).toBe(2);
    expect(h.stderr).toMatch(/m-b\.csv:1: header differs/);
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
  });

  it('refuses a file that is not a policy and a record with the wrong number of fields, writing nothing', async () => {
    const out = previousOut('merged-2.csv');
    const other = join(dir, 'm-other.csv');
    writeFileSync(other, 'sku,a\nX,1\n');
    const r = await runCli(['stock', 'merge', '--in', other, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/m-other\.csv: not a stock simulate output \(no reorder_point, order_up_to column\)/);
    const ragged = join(dir, 'm-ragged.csv');
    writeFileSync(ragged, 'sku,reorder_point,order_up_to\nX,1,2\nY,1,2,3\n');
    const g = await runCli(['stock', 'merge', '--in', ragged, '--out', out]);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/m-ragged\.csv:3: wrong number of fields/);
    const sub = join(dir, 'a-folder');
    mkdirSync(sub, { recursive: true });
    const folder = await runCli(['stock', 'merge', '--in', sub, '--out', out]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/cannot read .*: it is a folder, not a file/);
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
  });

  it('refuses N files that are not the N shards of one run (a shard missing, or given twice), and warns on a single file', async () => {
    const skus = Array.from({ length: 30 }, (_, i) => `S${i}`);
    const lines = ['sku,date,forecast,sd'];
    for (const s of skus) for (const d of ['2026-11-01', '2026-11-02']) lines.push(`${s},${d},5,1`);
    const forecast = join(dir, 'shard-set.csv');
    writeFileSync(forecast, `${lines.join('\n')}\n`);
    const base = ['stock', 'simulate', '--forecast', forecast, '--lead-time', '1', '--paths', '100', '--quiet'];
    const shard = async (k: number, n: number) => {
      const p = join(dir, `set-${k}-of-${n}.csv`);
      const r = await runCli([...base, '--shard', `${k}/${n}`, '--out', p], { env: ENV });
      expect(r.code, r.stderr).toBe(0);
      return p;
    };
    // Without --quiet, a shard's run says how to merge it.
    const talk = await runCli(['stock', 'simulate', '--forecast', forecast, '--lead-time', '1', '--paths', '100', '--shard', '1/3', '--out', join(dir, 'talk.csv')], { env: ENV });
    expect(talk.code, talk.stderr).toBe(0);
    expect(talk.stderr).toMatch(/merge the 3 shard files with: stockcast stock merge --shards 3 --in FILE/);
    const three = [await shard(0, 3), await shard(1, 3), await shard(2, 3)];
    const out = previousOut('merged-3.csv');
    const missing = await runCli(['stock', 'merge', '--in', three[0]!, three[2]!, '--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/the 2 files are not the 2 shards K\/2 of one run/);
    expect(missing.stderr).toMatch(/is in shard [01]\/2/);
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
    // Shards 0/4 and 2/4 (half of a 4-shard run) are both in shard 0/2.
    const twice = await runCli(['stock', 'merge', '--in', await shard(0, 4), await shard(2, 4), '--out', out]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/set-2-of-4\.csv:2: holds shard 0\/2, as .*set-0-of-4\.csv does/);
    // Shards 0/4 and 1/4 pass as a whole 2-shard run; --shards 4 says they are not.
    const half = [await shard(0, 4), await shard(1, 4)];
    const looksWhole = await runCli(['stock', 'merge', '--in', ...half], { env: ENV });
    expect(looksWhole.code, looksWhole.stderr).toBe(0);
    const halfOfFour = await runCli(['stock', 'merge', '--shards', '4', '--in', ...half, '--out', out]);
    expect(halfOfFour.code).toBe(2);
    expect(halfOfFour.stderr).toMatch(/--shards 4: expected 4 shard files, got 2/);
    expect(halfOfFour.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
    const bad = await runCli(['stock', 'merge', '--shards', '0', '--in', ...three, '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shards: expected a number >= 1, got "0"/);
    const all4 = [half[0]!, half[1]!, await shard(2, 4), await shard(3, 4)];
    const four = await runCli(['stock', 'merge', '--shards', '4', '--in', ...all4], { env: ENV });
    expect(four.code, four.stderr).toBe(0);
    expect(four.stdout).toBe((await runCli(base, { env: ENV })).stdout);
    const whole = await runCli(['stock', 'merge', '--shards', '3', '--in', ...three], { env: ENV });
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout).toBe((await runCli(base, { env: ENV })).stdout);
    // Under --escape-formulas a shard holds the escaped ids ('=A1): the shard check reads the ids --shard saw.
    const escLines = ['sku,date,forecast,sd'];
    for (const s of ['=A1', '-x', '@y', '+z', 'plain', '=B2', '-q']) for (const d of ['2026-11-01', '2026-11-02']) escLines.push(`"${s}",${d},5,1`);
    writeFileSync(forecast, `${escLines.join('\n')}\n`);
    const esc = [...base, '--escape-formulas'];
    const escShards: string[] = [];
    for (const k of [0, 1, 2]) {
      const p = join(dir, `esc-${k}.csv`);
      expect((await runCli([...esc, '--shard', `${k}/3`, '--out', p], { env: ENV })).code).toBe(0);
      escShards.push(p);
    }
    expect(escShards.map((p) => readFileSync(p, 'utf8')).join('')).toMatch(/"'=A1"/);
    const escMerged = await runCli(['stock', 'merge', '--in', ...escShards], { env: ENV });
    expect(escMerged.code, escMerged.stderr).toBe(0);
    expect(escMerged.stdout).toBe((await runCli(esc, { env: ENV })).stdout);
    const one = await runCli(['stock', 'merge', '--in', three[1]!], { env: ENV });
    expect(one.code).toBe(0);
    expect(one.stderr).toMatch(/one file to merge: .* the other shards are missing/);
    expect(one.stdout).toBe(readFileSync(three[1]!, 'utf8'));
    // --shards 1: one file is the whole run, nothing to warn about.
    const single = await runCli(['stock', 'merge', '--shards', '1', '--in', three[1]!], { env: ENV });
    expect(single.code, single.stderr).toBe(0);
    expect(single.stderr).not.toMatch(/one file to merge/);
    expect(single.stdout).toBe(readFileSync(three[1]!, 'utf8'));
  });
});
