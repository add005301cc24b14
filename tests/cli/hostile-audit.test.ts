/**
 * Defects found by a hostile-input audit of every command, one test each: exit code, message, no
 * stack trace, and nothing written or replaced that should not be. In-process runs
 * (tests/helpers/cli.ts) on small files written here; no model is trained.
 */
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateSpec } from '../../src/commands/forecast/evaluate.options.js';
import { predictSpec } from '../../src/commands/forecast/predict.options.js';
import { noStack, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hostile-audit-'));
const PREVIOUS = 'previous output, must survive\n';

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Two SKUs, 40 days of daily sales. */
function sales(): string {
  const lines = ['date,sku,units'];
  for (let d = 0; d < 40; d++) {
    const day = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
    lines.push(`${day},A,${5 + (d % 7)}`, `${day},B,${10 + (d % 3)}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('--levels with more than 4 decimals (column names lo-L,hi-L carry 4)', () => {
  it('80,80.00001 is refused: it wrote lo-80,hi-80 twice', async () => {
    for (const spec of [predictSpec, evaluateSpec]) {
      expect(() => spec.parse({ model: 'm', data: 's.csv', holdout: '7', levels: '80,80.00001' })).toThrow(/--levels: expected levels with at most 4 decimals .*got 80\.00001/);
      expect(() => spec.parse({ model: 'm', data: 's.csv', holdout: '7', levels: '99.99999' })).toThrow(/at most 4 decimals/);
      expect(spec.parse({ model: 'm', data: 's.csv', holdout: '7', levels: '80.1234,97.5' }).levels).toEqual([80.1234, 97.5]);
    }
    const out = file('levels.csv', PREVIOUS);
    const r = await runCli(['forecast', 'evaluate', '--data', file('sales.csv', sales()), '--holdout', '7', '--models', 'naive', '--levels', '80,80.00001', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--levels: expected levels with at most 4 decimals/);
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
    noStack(r.stderr);
  });
});

describe('a small table whose only data row has the wrong number of fields', () => {
  // It said "header only, no data rows": the row was dropped as ragged before the rows were counted.
  const forecast = () => file('fc.csv', 'sku,date,forecast,sd\nA,2026-11-01,5,1\nA,2026-11-02,5,1\n');
  const cases: [string, () => string[], RegExp][] = [
    ['lead times', () => ['stock', 'simulate', '--forecast', forecast(), '--lead-times', file('lt.csv', 'sku,lead_time_days\nA,4,1.4\n'), '--paths', '200'], /lt\.csv: invalid lead-time file: 1 problem[\s\S]*lt\.csv:2: wrong number of fields \(expected 2 fields, got "3 fields"\)/],
    ['forecast', () => ['stock', 'simulate', '--forecast', file('fc-rag.csv', 'sku,date,forecast,sd\nA,2026-11-01,5\n'), '--lead-time', '2', '--paths', '200'], /fc-rag\.csv:2: wrong number of fields \(expected 4 fields, got "3 fields"\)/],
    ['inventory', () => ['stock', 'reorder', '--policy', file('pol.csv', 'sku,reorder_point,order_up_to\nA,1,5\n'), '--inventory', file('inv.csv', 'sku,on_hand\nA,3,4\n')], /inv\.csv:2: wrong number of fields \(expected 2 fields, got "3 fields"\)/],
    ['policy', () => ['stock', 'reorder', '--policy', file('pol-rag.csv', 'sku,reorder_point,order_up_to\nA,1,2,3\n'), '--inventory', file('inv-ok.csv', 'sku,on_hand\nA,3\n')], /pol-rag\.csv:2: wrong number of fields \(expected 3 fields, got "4 fields"\)/],
  ];
  it.each(cases)('%s', async (_name, argv, message) => {
    const r = await runCli(argv());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/header only/);
    expect(r.stdout).toBe('');
    noStack(r.stderr);
  });
});

describe('stock merge checks --out before reading, like every other command', () => {
  it('--out naming one of the shards is refused and the shard kept (it was replaced by the merge)', async () => {
    const a = file('shard-0.csv', 'sku,reorder_point\nA,1\n');
    const b = file('shard-1.csv', 'sku,reorder_point\nB,2\n');
    const r = await runCli(['stock', 'merge', '--in', a, b, '--out', a]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .*shard-0\.csv is the input file of --in/);
    expect(readFileSync(a, 'utf8')).toBe('sku,reorder_point\nA,1\n');
    noStack(r.stderr);
  });

  it('--out in a missing folder is a usage error (exit 2, it was 1 after the merge)', async () => {
    const a = file('shard-a.csv', 'sku,reorder_point\nA,1\n');
    const r = await runCli(['stock', 'merge', '--in', a, '--out', join(dir, 'no-such-folder', 'merged.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the folder .*no-such-folder does not exist/);
    noStack(r.stderr);
  });
});

describe('report --out', () => {
  const policy = () => file('policy.csv', 'sku,reorder_point,order_up_to\nA,10,40\nB,20,60\n');

  it('- is stdout (it wrote a file named "-" into the working folder)', async () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const r = await runCli(['report', '--data', file('sales-r.csv', sales()), '--policy', policy(), '--out', '-'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^<!doctype html>/i);
    expect(r.stderr).toMatch(/wrote the report to stdout/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a missing folder is a usage error before the work (exit 2, it was 1 after building the page)', async () => {
    const r = await runCli(['report', '--policy', policy(), '--out', join(dir, 'no-such-folder', 'r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .*the folder .*no-such-folder does not exist/);
    noStack(r.stderr);
  });

  it('the --lead-times file, or an input named through a symlink, is never replaced', async () => {
    const lt = file('lead-r.csv', 'sku,lead_time_days\nA,3\nB,4\n');
    const r = await runCli(['report', '--policy', policy(), '--lead-times', lt, '--out', lt]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is the input file of --lead-times/);
    expect(readFileSync(lt, 'utf8')).toBe('sku,lead_time_days\nA,3\nB,4\n');
    const link = join(dir, 'policy-link.csv');
    symlinkSync(policy(), link);
    const s = await runCli(['report', '--policy', link, '--out', join(dir, 'policy.csv')]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/is the input file of --policy/);
  });
});

describe('stock backtest --replan --model: no output inside the model directory', () => {
  it('--per-sku or --plans inside --model is refused before the work (forecast train then refused the folder)', async () => {
    const model = mkdtempSync(join(dir, 'model-'));
    writeFileSync(join(model, 'metadata.json'), '{}');
    const base = ['stock', 'backtest', '--data', file('sales-bt.csv', sales()), '--lead-times', file('lead-bt.csv', 'sku,lead_time_days\nA,3\nB,4\n'), '--from', '2026-02-01', '--replan', '7d', '--model', model];
    for (const flag of ['--per-sku', '--plans']) {
      const r = await runCli([...base, flag, join(model, 'x.csv'), ...(flag === '--per-sku' ? ['--out', join(dir, 'bt.csv')] : [])]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${flag} .*x\\.csv is inside --model`));
      expect(readdirSync(model)).toEqual(['metadata.json']);
      noStack(r.stderr);
    }
  });
});

describe('one table on stdout at most', () => {
  // `forecast evaluate --forecasts -` printed the holdout forecasts and then the summary, one
  // stream holding two CSV tables with different headers.
  const data = () => file('sales-out.csv', sales());
  const evaluate = (...more: string[]) => ['forecast', 'evaluate', '--data', data(), '--holdout', '7', '--models', 'naive', ...more];
  const backtest = (...more: string[]) => ['stock', 'backtest', '--data', data(), '--lead-times', file('lead-out.csv', 'sku,lead_time_days\nA,3\nB,4\n'), '--from', '2026-02-01', '--replan', '7d', ...more];
  const refused: [string, string[], RegExp][] = [
    ['evaluate --forecasts - (and the summary)', evaluate('--forecasts', '-'), /--forecasts and the summary \(stdout without --out\) cannot both write to stdout/],
    ['evaluate --per-cutoff - --per-step - --out F', evaluate('--per-cutoff', '-', '--per-step', '-', '--out', join(dir, 'summary.csv')), /--per-cutoff and --per-step cannot both write to stdout/],
    ['evaluate --forecasts - --per-sku -', evaluate('--forecasts', '-', '--per-sku', '-'), /--forecasts and --per-sku cannot both/],
    ['backtest --replan --plans - (and the summary)', backtest('--plans', '-'), /--plans and the summary \(stdout without --out\) cannot both write to stdout/],
    ['backtest --replan --plans - --per-sku -', backtest('--plans', '-', '--per-sku', '-'), /--plans and --per-sku cannot both/],
  ];
  it.each(refused)('%s: exit 2, nothing on stdout', async (_name, argv, message) => {
    const r = await runCli(argv);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    noStack(r.stderr);
  });

  it('one table on stdout is still fine: --forecasts - --out F, --per-sku - (summary on stderr)', async () => {
    const summary = join(dir, 'summary-ok.csv');
    const f = await runCli(evaluate('--forecasts', '-', '--out', summary));
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout.split('\n').filter((l) => l.startsWith('sku,') || l.startsWith('model,'))).toEqual([f.stdout.split('\n')[0]]);
    expect(readFileSync(summary, 'utf8')).toMatch(/^model,n,wape/);
    const p = await runCli(evaluate('--per-sku', '-', '--out', '-'));
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/^sku,model,n,wape/);
    expect(p.stdout).not.toMatch(/\nmodel,n,wape/);
  });
});
