/**
 * CSV dialects (issue 11, section 3): --delimiter on every command that reads CSV, --decimal ',' on
 * input, --output-delimiter / --output-decimal on output, and the hints when a file was read with
 * the wrong delimiter or decimal mark.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/io/csv-out.js';
import { numberCell, numberCellComma, parseNumberWith } from '../../src/io/numbers.js';
import { readSales } from '../../src/io/sales.js';
import { readPolicy } from '../../src/io/policy-file.js';
import { parseIngestOptions } from '../../src/commands/_ingest-options.js';
import { buildProgram } from '../../src/cli.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const FIX = resolve(REPO_ROOT, 'tests/fixtures/interop-decimal');
const fx = (name: string) => join(FIX, name);
const tmp = () => mkdtempSync(join(tmpdir(), 'stockcast-decimal-'));
const SIM = ['--lead-time', '3', '--paths', '500', '--seed', '7'];

describe('decimal comma numbers', () => {
  it.each([
    ['4,99', 4.99],
    ['-0,5', -0.5],
    [',5', 0.5],
    ['12', 12],
    ['1,5e3', 1500],
  ])('%s reads as %d with a decimal comma', (cell, value) => {
    expect(numberCellComma(cell)).toBe(value);
    expect(parseNumberWith(` ${cell} `, ',')).toBe(value);
  });
  it.each(['1.234', '1.234,5', '1,2,3', '4,99abc', ','])('%s is refused with a decimal comma', (cell) => {
    expect(numberCellComma(cell)).toBeNaN();
  });
  it('the default decimal point is unchanged: 4,99 is not a number', () => {
    expect(numberCell('4,99')).toBeNaN();
    expect(parseNumberWith('4.99', '.')).toBe(4.99);
  });
});

describe('options', () => {
  it('--decimal , with --delimiter , is a usage error (exit 2)', async () => {
    expect(() => parseIngestOptions({ decimal: ',' })).toThrow(/--decimal ',' needs another field delimiter/);
    const r = await runCli(['stock', 'reorder', '--policy', fx('forecast.csv'), '--inventory', fx('inventory.csv'), '--decimal', ',']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--delimiter ';'/);
  });
  it('--output-decimal , with the output delimiter , is refused', async () => {
    const r = await runCli(['stock', 'simulate', '--forecast', fx('forecast.csv'), ...SIM, '--output-decimal', ',']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--output-decimal ',' needs another field delimiter/);
    expect(r.stdout).toBe('');
  });
  it('a bad decimal mark is a usage error', async () => {
    const r = await runCli(['data', 'inspect', '--data', fx('sales-semicolon-dot.csv'), '--delimiter', ';', '--decimal', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--decimal: expected '.' or ','/);
  });
  it('every command that reads CSV has --delimiter with the same choices and help; --decimal alongside', () => {
    const program = buildProgram();
    const readers = [['data', 'inspect'], ['forecast', 'train'], ['forecast', 'predict'], ['forecast', 'evaluate'], ['stock', 'simulate'], ['stock', 'reorder'], ['stock', 'backtest'], ['stock', 'merge'], ['report']];
    const helps = new Set<string>();
    for (const path of readers) {
      let cmd = program;
      for (const name of path) cmd = cmd.commands.find((c) => c.name() === name)!;
      const delimiter = cmd.options.find((o) => o.long === '--delimiter');
      expect(delimiter, path.join(' ')).toBeDefined();
      helps.add(delimiter!.description);
      if (path[1] !== 'merge') expect(cmd.options.find((o) => o.long === '--decimal'), path.join(' ')).toBeDefined();
    }
    expect([...helps]).toEqual(["field delimiter of the input files: ',' ';' '|' or 'tab'"]);
  });
});

describe('sales with a decimal comma', () => {
  const ingest = (extra: Record<string, unknown>) => parseIngestOptions({ delimiter: ';', ...extra });
  it('--decimal , reads 4,99 as 4.99, the same as a decimal point', async () => {
    const comma = await readSales(fx('sales-semicolon-comma.csv'), ingest({ decimal: ',' }));
    const point = await readSales(fx('sales-semicolon-dot.csv'), ingest({}));
    expect(comma.data.covariates).toEqual(['price']);
    expect(comma.data).toEqual(point.data);
    expect(comma.data.series[0]!.covariates[0]![0]).toBe(4.99);
  });
  it('without --decimal ,, a price of 4,99 is an error naming file, line, column and the fix (not a silently dropped covariate)', async () => {
    const r = await runCli(['data', 'inspect', '--data', fx('sales-semicolon-comma.csv'), '--delimiter', ';']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sales-semicolon-comma\.csv:2:4/);
    expect(r.stderr).toMatch(/price/);
    expect(r.stderr).toMatch(/--decimal ','/);
    expect(r.stdout).toBe('');
  });
  it('a header that does not split says ; may be the delimiter', async () => {
    const r = await runCli(['data', 'inspect', '--data', fx('sales-semicolon-dot.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the header contains ';': pass --delimiter ';'/);
  });
});

describe('typed tables with a decimal comma', () => {
  it('a ;-file with decimal commas read with --decimal , equals the default file', async () => {
    const dir = tmp();
    const out = join(dir, 'p.csv');
    const r = await runCli(['stock', 'simulate', '--forecast', fx('forecast-semicolon-comma.csv'), '--delimiter', ';', '--decimal', ',', ...SIM, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const d = await runCli(['stock', 'simulate', '--forecast', fx('forecast.csv'), ...SIM]);
    expect(readFileSync(out, 'utf8')).toBe(d.stdout);
  });
  it('without --decimal , the forecast cell 100,5 is refused with the fix', async () => {
    const r = await runCli(['stock', 'simulate', '--forecast', fx('forecast-semicolon-comma.csv'), '--delimiter', ';', ...SIM]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/forecast-semicolon-comma\.csv:2:3/);
    expect(r.stderr).toMatch(/decimal comma\? pass --decimal ','/);
  });
  it('a ;-file read with the default delimiter: the missing-columns error suggests --delimiter ;', async () => {
    const r = await runCli(['stock', 'reorder', '--policy', fx('policy-semicolon.csv'), '--inventory', fx('inventory.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/policy-semicolon\.csv: missing required columns/);
    expect(r.stderr).toMatch(/the header contains ';': pass --delimiter ';'/);
  });
});

describe('output dialect', () => {
  it('toCsv default is unchanged; ; and , write numbers with a decimal comma and quote the delimiter', () => {
    const cols = ['sku', 'x', 'n'];
    const rows = [['A;1', 4.99, 12], ['B,2', -0.5, 0]];
    expect(toCsv(cols, rows)).toBe('sku,x,n\nA;1,4.99,12\n"B,2",-0.5,0\n');
    expect(toCsv(cols, rows, { delimiter: ';', decimal: ',' })).toBe('sku;x;n\n"A;1";4,99;12\n"B,2";-0,5;0\n');
    expect(toCsv(cols, rows, { delimiter: '\t' })).toBe('sku\tx\tn\nA;1\t4.99\t12\n"B,2"\t-0.5\t0\n');
    expect(() => toCsv(cols, rows, { decimal: ',' })).toThrow();
  });
  it('round trip: simulate --output-delimiter ; --output-decimal , then reorder --delimiter ; --decimal , gives the default orders', async () => {
    const dir = tmp();
    const euro = join(dir, 'policy-eu.csv');
    const plain = join(dir, 'policy.csv');
    const a = await runCli(['stock', 'simulate', '--forecast', fx('forecast.csv'), ...SIM, '--output-delimiter', ';', '--output-decimal', ',', '--out', euro]);
    expect(a.code, a.stderr).toBe(0);
    const text = readFileSync(euro, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^sku;/);
    expect(text).toMatch(/\d,\d/);
    expect(text).toMatch(/"C;X"/);
    const b = await runCli(['stock', 'simulate', '--forecast', fx('forecast.csv'), ...SIM, '--out', plain]);
    expect(b.code, b.stderr).toBe(0);
    expect((await readPolicy(euro, { delimiter: ';', decimal: ',' })).policies).toEqual((await readPolicy(plain)).policies);

    const eu = await runCli(['stock', 'reorder', '--policy', euro, '--inventory', fx('inventory-semicolon-comma.csv'), '--delimiter', ';', '--decimal', ',', '--all']);
    const def = await runCli(['stock', 'reorder', '--policy', plain, '--inventory', fx('inventory.csv'), '--all']);
    expect(eu.code, eu.stderr).toBe(0);
    expect(def.code, def.stderr).toBe(0);
    expect(eu.stdout).toBe(def.stdout);
    expect(def.stdout.split('\n').length).toBeGreaterThan(3);
    // And the orders themselves can go out for a European ERP.
    const euOut = await runCli(['stock', 'reorder', '--policy', plain, '--inventory', fx('inventory.csv'), '--all', '--output-delimiter', ';', '--output-decimal', ',']);
    expect(euOut.stdout.split('\n')[0]).toBe('sku;inventory_position;reorder_point;order_up_to;order_qty;reason');
  });
  it('the shards of a ;-output merge with --delimiter ;', async () => {
    const dir = tmp();
    const parts = [0, 1].map((k) => join(dir, `s${k}.csv`));
    for (const [k, p] of parts.entries()) {
      const r = await runCli(['stock', 'simulate', '--forecast', fx('forecast.csv'), ...SIM, '--shard', `${k}/2`, '--output-delimiter', ';', '--output-decimal', ',', '--out', p]);
      expect(r.code, r.stderr).toBe(0);
    }
    const whole = await runCli(['stock', 'simulate', '--forecast', fx('forecast.csv'), ...SIM, '--output-delimiter', ';', '--output-decimal', ',']);
    const merged = await runCli(['stock', 'merge', '--in', ...parts, '--delimiter', ';']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(whole.stdout);
  });
  it('data inspect writes the European dialect too', async () => {
    const r = await runCli(['data', 'inspect', '--data', fx('sales-semicolon-comma.csv'), '--delimiter', ';', '--decimal', ',', '--format', 'csv', '--output-delimiter', ';', '--output-decimal', ',']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toContain(';');
    expect(r.stdout).not.toMatch(/\d\.\d/);
  });
});

describe('stock backtest reads every input file with --delimiter and --decimal', () => {
  it('the ;-and-, copies of the sales, policy and lead-time files give the same backtest', async () => {
    const { copyFileSync, writeFileSync } = await import('node:fs');
    const stock = resolve(REPO_ROOT, 'tests/fixtures/stock');
    const dir = tmp();
    // Plain numeric CSV (no quotes): ',' -> ';' then '.' -> ','.
    for (const f of ['sales.csv', 'bt-policy.csv', 'lead_times.csv']) {
      copyFileSync(join(stock, f), join(dir, `plain-${f}`));
      writeFileSync(join(dir, `eu-${f}`), readFileSync(join(stock, f), 'utf8').replace(/,/g, ';').replace(/\./g, ','));
    }
    const args = (p: string) => ['stock', 'backtest', '--data', `${p}sales.csv`, '--policy', `${p}bt-policy.csv`, '--lead-times', `${p}lead_times.csv`, '--from', '2024-02-01', '--format', 'csv'];
    const plain = await runCli(args('plain-'), { cwd: dir });
    const eu = await runCli([...args('eu-'), '--delimiter', ';', '--decimal', ',', '--output-delimiter', ';', '--output-decimal', ','], { cwd: dir });
    expect(plain.code, plain.stderr).toBe(0);
    expect(eu.code, eu.stderr).toBe(0);
    expect(plain.stdout).toMatch(/\d\.\d/);
    expect(eu.stdout).toBe(plain.stdout.replace(/plain-/g, 'eu-').replace(/,/g, ';').replace(/(\d)\.(\d)/g, '$1,$2'));
  });
});

describe('a quoted ;-file read with the default delimiter', () => {
  it('the CSV syntax error suggests --delimiter ;', async () => {
    const r = await runCli(['stock', 'simulate', '--forecast', fx('forecast-semicolon-comma.csv'), ...SIM]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/forecast-semicolon-comma\.csv:30/);
    expect(r.stderr).toMatch(/pass --delimiter ';'/);
  });
});

describe('a quoted ;-sales file read with the default delimiter', () => {
  it('the header error suggests --delimiter ;, and the right options read it', async () => {
    const r = await runCli(['data', 'inspect', '--data', fx('sales-semicolon-quoted.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sales-semicolon-quoted\.csv:1: missing required column/);
    expect(r.stderr).toMatch(/pass --delimiter ';'/);
    const ok = await runCli(['data', 'inspect', '--data', fx('sales-semicolon-quoted.csv'), '--delimiter', ';', '--decimal', ',', '--format', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
  });
});

describe('report inputs', () => {
  it('a ;-policy with decimal commas is read with --decimal , and refused with the fix without it', async () => {
    const dir = tmp();
    const out = join(dir, 'r.html');
    const ok = await runCli(['report', '--policy', fx('policy-semicolon.csv'), '--delimiter', ';', '--decimal', ',', '--out', out]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('20.5');
    const bad = await runCli(['report', '--policy', fx('policy-semicolon.csv'), '--delimiter', ';', '--out', join(dir, 'r2.html')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/policy-semicolon\.csv:2:2/);
    expect(bad.stderr).toMatch(/pass --decimal ','/);
  });
});
