/**
 * Words of issue 11, section 2, on one tiny model: training names the model its validation WAPE
 * belongs to and the model predict ships; evaluate no longer says "shipped forecast"; `data
 * inspect`'s too_short and predict_model agree with what `forecast predict` does per SKU, and
 * predict says which SKUs got a fallback; predict --out prints its summary line on stderr.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDay } from '../../src/core/calendar.js';
import { syntheticSales } from '../fixtures/forecast/synthetic.js';
import { type CliResult, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-wording-'));
const TRAIN = ['--horizon', '4', '--ensemble', '1', '--window', '8', '--units', '8', '--epochs', '2', '--samples-per-epoch', '256', '--batch-size', '64', '--backend', 'wasm', '--seed', '3'];
let train: CliResult;
/** The members of the trained model's shipped forecast, as predict's model column names them. */
const shipped = (): string => JSON.parse(readFileSync(join(dir, 'model', 'metadata.json'), 'utf8')).combine.members.map((m: { model: string }) => m.model).join('+');

beforeAll(async () => {
  const data = syntheticSales({ freq: 'W', skus: 4, periods: 60, seed: 5 });
  const lines = ['date,sku,units,price,promo,holiday'];
  for (const s of data.series) {
    for (let i = 0; i < s.units.length; i++) {
      const u = Number.isNaN(s.units[i]!) ? '' : String(s.units[i]);
      lines.push([formatDay(s.start + i * data.step), s.sku, u, ...s.covariates.map((c) => String(c[i]))].join(','));
    }
  }
  const last = data.series[0]!.start + (data.series[0]!.units.length - 1) * data.step;
  // NEW1: one observed week (below the 2 that a window of 8 needs): a fallback. NEW3: three, enough for the LSTM.
  lines.push(`${formatDay(last)},NEW1,5,2,0,0`);
  for (let k = 2; k >= 0; k--) lines.push(`${formatDay(last - 7 * k)},NEW3,6,2,0,0`);
  writeFileSync(join(dir, 'sales.csv'), `${lines.join('\n')}\n`);
  train = await runCli(['forecast', 'train', '--data', 'sales.csv', '--model', 'model', ...TRAIN], { cwd: dir });
  if (train.code !== 0) throw new Error(`train failed: ${train.stderr}`);
});

describe('training and evaluate name their models', () => {
  it('the validation WAPE is the LSTM alone (model lstm); training names the model predict ships', () => {
    expect(train.stderr).toMatch(/on 4 rolling origins in the validation periods \(\d+ points\): the LSTM alone \(model lstm\) has WAPE \d/);
    expect(train.stderr).toMatch(new RegExp(`forecast predict ships model ${shipped().replace(/\+/g, '\\+')} \\(equal weights`));
    expect(train.stderr).not.toMatch(/shipped forecast/);
  });

  it('evaluate says which scored row predict ships, not "shipped forecast"', async () => {
    const r = await runCli(['forecast', 'evaluate', '--data', 'sales.csv', '--holdout', '4', '--models', 'lstm', '--format', 'csv', ...TRAIN.slice(2)], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/shipped forecast/);
    expect(r.stderr).toMatch(/forecast predict ships model [a-z_+]+ \(equal weights/);
    const rows = r.stdout.split('\n').map((l) => l.split(',')[0]);
    expect(rows).toContain('lstm');
    expect(rows.some((x) => /^default:[a-z_+]+$/.test(x!))).toBe(true);
  });
});

describe('data inspect and forecast predict agree on the SKUs too short for the LSTM', () => {
  it("inspect's too_short and predict_model are predict's model column, SKU by SKU", async () => {
    const inspect = await runCli(['data', 'inspect', '--data', 'sales.csv', '--window', '8', '--format', 'csv'], { cwd: dir });
    expect(inspect.code).toBe(0);
    const [head, ...rows] = inspect.stdout.trim().split('\n');
    const cols = head!.split(',');
    expect(cols.slice(-2)).toEqual(['too_short', 'predict_model']);
    const said = new Map(rows.map((r) => r.split(',')).map((c) => [c[0]!, { short: c[cols.length - 2], model: c[cols.length - 1] }]));
    expect(said.get('NEW1')).toEqual({ short: 'true', model: 'moving_average' });
    expect(said.get('NEW3')).toEqual({ short: 'false', model: 'shipped' });
    expect(inspect.stderr).toMatch(/1 SKU\(s\) too short for the LSTM \(fewer than 2 observed periods in the last 8 before the forecast origin\): forecast predict gives them a fallback baseline, named in predict_model: "?NEW1"? \(moving_average\)/);

    const predict = await runCli(['forecast', 'predict', '--model', 'model', '--data', 'sales.csv', '--plan-fill', 'last', '--backend', 'wasm', '--out', 'fc.csv'], { cwd: dir });
    expect(predict.code).toBe(0);
    const used = new Map(readFileSync(join(dir, 'fc.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).map((c) => [c[0]!, c[6]!]));
    expect(used.size).toBe(said.size);
    for (const [sku, s] of said) expect([sku, used.get(sku)]).toEqual([sku, s.model === 'shipped' ? shipped() : s.model]);
    expect(predict.stderr).toMatch(/1 SKU\(s\) too short for the LSTM \(fewer than 2 observed periods in the last 8\) got a fallback baseline, named in the model column: "?NEW1"? \(moving_average\)/);
    // --out: the summary line on stderr, nothing on stdout
    expect(predict.stdout).toBe('');
    expect(predict.stderr).toMatch(/^forecast for 6 SKU\(s\) x 4 period\(s\), \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d, written to fc\.csv$/m);
  });

  it('the default window is forecast train\'s, and --min-periods says what replaced it', async () => {
    const r = await runCli(['data', 'inspect', '--data', 'sales.csv', '--summary', '--format', 'csv'], { cwd: dir });
    expect(r.stdout).toMatch(/^lstm_window,26$/m);
    expect(r.stdout).toMatch(/^lstm_min_observed,7$/m);
    const old = await runCli(['data', 'inspect', '--data', 'sales.csv', '--min-periods', '60'], { cwd: dir });
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/--min-periods was removed/);
    expect(old.stderr).toMatch(/give --window N/);
  });
});
