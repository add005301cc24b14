/**
 * forecast train / predict / evaluate through the built binary (run `npx tsc -p tsconfig.json`
 * first; npm test does), plus argv -> options tables for the three commands.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { evaluateSpec } from '../../../src/commands/forecast/evaluate.options.js';
import { predictSpec } from '../../../src/commands/forecast/predict.options.js';
import { trainSpec } from '../../../src/commands/forecast/train.options.js';
import { formatDay } from '../../../src/core/calendar.js';
import { splitHoldout } from '../../../src/models/holdout.js';
import type { SalesData } from '../../../src/core/types.js';
import { syntheticSales } from '../../fixtures/forecast/synthetic.js';

const BIN = resolve(__dirname, '../../../bin/stockcast.js');
const dir = mkdtempSync(join(tmpdir(), 'forecast-cli-'));
const H = 4;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function toCsv(data: SalesData, cols: string[], withUnits = true): string {
  const lines = [['date', 'sku', ...(withUnits ? ['units'] : []), ...cols].join(',')];
  for (const s of data.series) {
    for (let i = 0; i < s.units.length; i++) {
      const u = Number.isNaN(s.units[i]!) ? '' : String(s.units[i]);
      const cov = cols.map((c) => String(s.covariates[data.covariates.indexOf(c)]![i]));
      lines.push([formatDay(s.start + i * data.step), s.sku, ...(withUnits ? [u] : []), ...cov].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

const TRAIN_ARGS = ['--horizon', String(H), '--ensemble', '1', '--window', '8', '--units', '8', '--epochs', '2', '--samples-per-epoch', '256', '--batch-size', '64', '--backend', 'wasm', '--seed', '3'];

beforeAll(() => {
  const data = syntheticSales({ freq: 'W', skus: 6, periods: 100, seed: 5 });
  const split = splitHoldout(data, H);
  const cols = ['price', 'promo', 'holiday'];
  writeFileSync(join(dir, 'sales.csv'), toCsv(split.history, cols));
  writeFileSync(join(dir, 'full.csv'), toCsv(data, cols));
  writeFileSync(join(dir, 'no-promo.csv'), toCsv(split.history, ['price', 'holiday']));
  const future = { ...data, series: data.series.map((s) => ({ ...s, start: split.origin + data.step, units: s.units.slice(-H), covariates: s.covariates.map((c) => c.slice(-H)) })) };
  const plan = toCsv(future, cols, false);
  writeFileSync(join(dir, 'plan.csv'), plan);
  writeFileSync(join(dir, 'plan-short.csv'), plan.split('\n').filter((l, i) => i === 0 || !l.startsWith(formatDay(split.origin + H * data.step))).join('\n'));
  const daily = syntheticSales({ freq: 'D', skus: 2, periods: 60, seed: 1 });
  writeFileSync(join(dir, 'daily.csv'), toCsv(daily, cols));
  const r = run(['forecast', 'train', '--data', 'sales.csv', '--model', 'model', ...TRAIN_ARGS]);
  if (r.code !== 0) throw new Error(`train failed: ${r.stderr}`);
});

describe('forecast train -> predict (binary)', () => {
  test('train writes the model directory and logs one line per epoch when not on a TTY', () => {
    expect(readdirSync(join(dir, 'model')).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
    const meta = JSON.parse(readFileSync(join(dir, 'model', 'metadata.json'), 'utf8'));
    expect(meta).toMatchObject({ format: 'stockcast-lstm', formatVersion: 3, freq: 'W', covariates: ['price', 'promo', 'holiday'], window: 8, horizon: H, seed: 3, backend: 'wasm' });
    expect(meta.dataHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(meta.skus).toHaveLength(6);
    expect(meta.combine).toMatchObject({ model: 'auto', chosenBy: expect.stringMatching(/^(cv|default)$/) });
    expect(meta.combine.members.length).toBeGreaterThan(0);
  });

  test('predict writes sku,date,forecast,sd,p10,p90,model then the error correlation, sorted, byte-identical on rerun', () => {
    const a = run(['forecast', 'predict', '--model', 'model', '--data', 'sales.csv', '--future', 'plan.csv', '--backend', 'wasm']);
    expect(a.stderr).not.toMatch(/error/);
    expect(a.code).toBe(0);
    const lines = a.stdout.trim().split('\n');
    expect(lines[0]).toBe('sku,date,forecast,sd,p10,p90,model,error_corr');
    expect(lines).toHaveLength(1 + 6 * H);
    const keys = lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','));
    expect(keys).toEqual([...keys].sort());
    const meta = JSON.parse(readFileSync(join(dir, 'model', 'metadata.json'), 'utf8'));
    const shipped = meta.combine.members.map((m: { model: string }) => m.model).join('+');
    const corr = meta.conformal.shipped.errorCorrelation;
    expect(corr).toBeGreaterThanOrEqual(0);
    expect(corr).toBeLessThanOrEqual(1);
    for (const l of lines.slice(1)) {
      const [, , f, sd, p10, p90, model, errorCorr] = l.split(',');
      expect(model).toBe(shipped);
      expect(Number(errorCorr)).toBe(corr);
      expect(Number(p10)).toBeLessThanOrEqual(Number(f));
      expect(Number(f)).toBeLessThanOrEqual(Number(p90));
      expect(Number(sd)).toBeGreaterThanOrEqual(0);
    }
    const b = run(['forecast', 'predict', '--model', 'model', '--data', 'sales.csv', '--future', 'plan.csv', '--backend', 'wasm', '--out', 'fc.csv']);
    expect(b.code).toBe(0);
    expect(readFileSync(join(dir, 'fc.csv'), 'utf8')).toBe(a.stdout);
    expect(b.stderr).toMatch(/^forecast for 6 SKU\(s\) x 4 period\(s\), \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d, written to fc\.csv$/m);
    const short = run(['forecast', 'predict', '--model', 'model', '--data', 'sales.csv', '--future', 'plan.csv', '--horizon', '2', '--format', 'json']);
    expect(JSON.parse(short.stdout)).toHaveLength(12);
  });

  test('predict --levels appends lo-L,hi-L after the unchanged contract columns, then error_corr; simulate reads the file', () => {
    const plain = run(['forecast', 'predict', '--model', 'model', '--data', 'sales.csv', '--future', 'plan.csv']);
    const r = run(['forecast', 'predict', '--model', 'model', '--data', 'sales.csv', '--future', 'plan.csv', '--levels', '95,80', '--out', 'levels.csv']);
    expect(r.code).toBe(0);
    const lines = readFileSync(join(dir, 'levels.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('sku,date,forecast,sd,p10,p90,model,lo-80,hi-80,lo-95,hi-95,error_corr');
    const first7 = (l: string) => l.split(',').slice(0, 7).join(',');
    expect(lines.map(first7)).toEqual(plain.stdout.trim().split('\n').map(first7));
    expect(lines.map((l) => l.split(',')[11])).toEqual(plain.stdout.trim().split('\n').map((l) => l.split(',')[7]));
    for (const l of lines.slice(1)) {
      const [, , f, , p10, p90, , lo80, hi80, lo95, hi95] = l.split(',').map((x, i) => (i === 0 || i === 1 || i === 6 ? x : Number(x))) as number[];
      expect(lo80).toBe(p10);
      expect(hi80).toBe(p90);
      expect(lo95).toBeLessThanOrEqual(lo80!);
      expect(lo95).toBeGreaterThanOrEqual(0);
      expect(hi95).toBeGreaterThanOrEqual(hi80!);
      expect(f).toBeLessThanOrEqual(hi80!);
    }
    writeFileSync(join(dir, 'lead.csv'), `sku,lead_time_days\n${[0, 1, 2, 3, 4, 5].map((i) => `SKU00${i},14`).join('\n')}\n`);
    const sim = run(['stock', 'simulate', '--forecast', 'levels.csv', '--lead-times', 'lead.csv', '--seed', '1', '--paths', '200']);
    expect(sim.stderr).not.toMatch(/^error/im);
    expect(sim.code).toBe(0);
    // The model's error correlation reached the simulation (a 14-day lead time spans two weekly periods).
    expect(sim.stderr).toMatch(/forecast errors correlated between periods \(error_corr column/);
    expect(() => predictSpec.parse({ model: 'm', data: 's.csv', levels: '0,95' })).toThrow(/between 0 and 100/);
    expect(predictSpec.parse({ model: 'm', data: 's.csv' }).levels).toEqual([]);
  });

  test('missing plan rows are an error listing them (exit 2), unless a fill policy is given', () => {
    const r = run(['forecast', 'predict', '--model', 'model', '--data', 'sales.csv', '--future', 'plan-short.csv', '--out', 'x.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing plan rows for 6 SKUs/);
    expect(r.stderr).toMatch(/no plan row for sku SKU000 on \d{4}-\d\d-\d\d/);
    expect(r.stderr).toMatch(/--plan-fill/);
    expect(readdirSync(dir)).not.toContain('x.csv');
    const filled = run(['forecast', 'predict', '--model', 'model', '--data', 'sales.csv', '--future', 'plan-short.csv', '--plan-fill', 'last']);
    expect(filled.code).toBe(0);
    expect(filled.stderr).toMatch(/missing plan rows \(SKU x date\) filled with the SKU's previous plan values .*\(--plan-fill last\)/);
  });

  test('predict refuses data whose covariates or frequency differ from the model (exit 2)', () => {
    const cov = run(['forecast', 'predict', '--model', 'model', '--data', 'no-promo.csv', '--future', 'plan.csv']);
    expect(cov.code).toBe(2);
    expect(cov.stderr).toMatch(/covariates do not match the model: missing promo/);
    const freq = run(['forecast', 'predict', '--model', 'model', '--data', 'daily.csv', '--future', 'plan.csv']);
    expect(freq.code).toBe(2);
    expect(freq.stderr).toMatch(/daily but the model was trained on weekly data/);
    const noPlan = run(['forecast', 'predict', '--model', 'model', '--data', 'sales.csv']);
    expect(noPlan.code).toBe(2);
    expect(noPlan.stderr).toMatch(/--future PLAN is required/);
    const noModel = run(['forecast', 'predict', '--model', 'nowhere', '--data', 'sales.csv']);
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toMatch(/no model directory at/);
    expect(noModel.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  test('evaluate scores the LSTM and every baseline on the holdout', () => {
    const r = run(['forecast', 'evaluate', '--data', 'full.csv', '--holdout', String(H), '--per-sku', 'per-sku.csv', ...TRAIN_ARGS.filter((_, i, a) => a[i] !== '--horizon' && a[i - 1] !== '--horizon')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('model,n,wape,accuracy,mae,rmse,mase,bias,coverage80,winkler80,pinball80,coverage95,winkler95,pinball95');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['lstm', expect.stringMatching(/^default:[a-z_+]+$/), 'naive', 'seasonal_naive', 'moving_average', 'ets', 'promo_regression', 'arimax', 'croston']);
    const perSku = readFileSync(join(dir, 'per-sku.csv'), 'utf8').trim().split('\n');
    expect(perSku).toHaveLength(1 + 6 * 9);
  });

  test('evaluate --windows: rolling origin with the LSTM trained once, per-cutoff and per-step scores, every forecast saved', () => {
    const args = ['forecast', 'evaluate', '--data', 'full.csv', '--holdout', '3', '--windows', '2', '--step', '2', '--levels', '50,95', '--per-cutoff', 'cut.csv', '--per-step', 'step.csv', '--forecasts', 'cv.csv'];
    const r = run([...args, ...TRAIN_ARGS.filter((_, i, a) => a[i] !== '--horizon' && a[i - 1] !== '--horizon')]);
    expect(r.stderr).toMatch(/cutoff 1\/2: \d{4}-\d\d-\d\d/);
    expect(r.stderr.match(/trained \d+ epochs/g)).toHaveLength(1);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('model,n,wape,accuracy,mae,rmse,mase,bias,coverage80,coverage50,winkler50,pinball50,coverage95,winkler95,pinball95');
    const cut = readFileSync(join(dir, 'cut.csv'), 'utf8').trim().split('\n');
    expect(cut).toHaveLength(1 + 9 * 2);
    const cutoffs = [...new Set(cut.slice(1).map((l) => l.split(',')[1]))];
    expect(cutoffs).toHaveLength(2);
    expect(readFileSync(join(dir, 'step.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 9 * 3);
    const cv = readFileSync(join(dir, 'cv.csv'), 'utf8').trim().split('\n');
    expect(cv[0]).toBe('sku,cutoff,date,step,model,actual,forecast,sd,p10,p90,lo-50,hi-50,lo-95,hi-95');
    expect(cv.length - 1).toBe(6 * 2 * 3 * 9);
    for (const l of cv.slice(1)) {
      const [, cutoff, date, step, , actual, f, , p10, p90, lo50, hi50, lo95, hi95] = l.split(',');
      expect(date! > cutoff!).toBe(true);
      expect(Number(step)).toBeGreaterThanOrEqual(1);
      expect(actual).not.toBe('');
      expect(Number(lo95)).toBeLessThanOrEqual(Number(p10));
      expect(Number(p10)).toBeLessThanOrEqual(Number(lo50));
      expect(Number(lo50)).toBeLessThanOrEqual(Number(f));
      expect(Number(f)).toBeLessThanOrEqual(Number(hi50));
      expect(Number(hi50)).toBeLessThanOrEqual(Number(p90));
      expect(Number(p90)).toBeLessThanOrEqual(Number(hi95));
    }
  });

  test('evaluate --models without the LSTM is deterministic, and too many windows are a usage error (exit 2, no file)', () => {
    const args = ['forecast', 'evaluate', '--data', 'full.csv', '--holdout', '4', '--windows', '3', '--models', 'ets,naive', '--forecasts'];
    const a = run([...args, 'a.csv']);
    const b = run([...args, 'b.csv']);
    expect(a.code).toBe(0);
    expect(a.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[0])).toEqual(['naive', 'ets']);
    expect(a.stdout).toBe(b.stdout);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe(readFileSync(join(dir, 'b.csv'), 'utf8'));
    const bad = run(['forecast', 'evaluate', '--data', 'full.csv', '--holdout', '10', '--windows', '11', '--models', 'naive', '--forecasts', 'bad.csv']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/first cutoff before the start of the data/);
    expect(readdirSync(dir)).not.toContain('bad.csv');
  });
});

describe('--workers: the same bytes whatever the thread count', () => {
  const noTimings = (file: string) =>
    JSON.stringify(JSON.parse(readFileSync(file, 'utf8'), (key, value: unknown) => (key === 'seconds' || key === 'samplesPerSecond' ? undefined : value)));

  test('train (weights, metadata but timings), predict and evaluate with 1 and 3 threads', () => {
    for (const w of ['1', '3']) {
      const r = run(['forecast', 'train', '--data', 'sales.csv', '--model', `model-w${w}`, ...TRAIN_ARGS, '--workers', w]);
      expect(r.code, r.stderr).toBe(0);
    }
    for (const other of ['model-w1', 'model-w3']) {
      expect(readFileSync(join(dir, other, 'weights.bin')).equals(readFileSync(join(dir, 'model', 'weights.bin')))).toBe(true);
      expect(noTimings(join(dir, other, 'metadata.json'))).toBe(noTimings(join(dir, 'model', 'metadata.json')));
    }
    const predict = (w: string) => run(['forecast', 'predict', '--model', 'model', '--data', 'sales.csv', '--future', 'plan.csv', '--backend', 'wasm', '--workers', w]);
    const p1 = predict('1');
    expect(p1.code, p1.stderr).toBe(0);
    expect(predict('3').stdout).toBe(p1.stdout);
    const evaluate = (w: string) => run(['forecast', 'evaluate', '--data', 'full.csv', '--holdout', '4', '--windows', '2', '--models', 'ets,arimax,promo_regression,naive', '--workers', w, '--forecasts', `ev-w${w}.csv`]);
    const e1 = evaluate('1');
    expect(e1.code, e1.stderr).toBe(0);
    expect(evaluate('3').stdout).toBe(e1.stdout);
    expect(readFileSync(join(dir, 'ev-w3.csv'), 'utf8')).toBe(readFileSync(join(dir, 'ev-w1.csv'), 'utf8'));
    expect(run(['forecast', 'train', '--data', 'sales.csv', '--model', 'model-w0', ...TRAIN_ARGS, '--workers', '0']).code).toBe(2);
  }, 120_000);
});

describe('argv -> options', () => {
  test('train: defaults and strict numbers', () => {
    const o = trainSpec.parse({ data: 's.csv', model: 'm', units: '64', epochs: '40', seed: '42', backend: 'auto' });
    expect(o.settings).toMatchObject({ units: 64, epochs: 40, seed: 42, horizon: undefined, window: undefined, members: 5, refit: false });
    expect(trainSpec.parse({ data: 's.csv', model: 'm', ensemble: '2', refit: true }).settings).toMatchObject({ members: 2, refit: true });
    expect(() => trainSpec.parse({ data: 's.csv', model: 'm', ensemble: '0' })).toThrow(/--ensemble/);
    expect(o.backend).toBe('auto');
    expect(() => trainSpec.parse({ data: 's.csv', model: 'm', epochs: '1e3' })).toThrow(/--epochs: expected a whole number/);
    expect(() => trainSpec.parse({ data: 's.csv', model: 'm', learningRate: '0' })).toThrow(/--learning-rate/);
    expect(() => trainSpec.parse({ data: 's.csv', model: 'm', backend: 'tpu' })).toThrow(/--backend: expected one of/);
    expect(() => trainSpec.parse({ data: 's.csv', model: 'm', horizon: '8', validation: '4' })).toThrow(/--validation \(4\) must be at least --horizon/);
    expect(trainSpec.parse({ data: 's.csv', model: 'm', samplesPerEpoch: '0' }).settings.samplesPerEpoch).toBe(0);
    expect(trainSpec.parse({ data: 's.csv', model: 'm' }).settings.samplesPerEpoch).toBeUndefined();
    expect(trainSpec.parse({ data: 's.csv', model: 'm', combine: 'none' }).settings.combine).toBe('none');
    expect(trainSpec.parse({ data: 's.csv', model: 'm', combine: 'arimax' }).settings.combine).toBe('arimax');
    expect(trainSpec.parse({ data: 's.csv', model: 'm' }).settings.combine).toBe('auto');
    expect(() => trainSpec.parse({ data: 's.csv', model: 'm', combine: 'croston' })).toThrow(/--combine: expected one of auto, none, promo_regression, arimax, ets/);
  });

  test('predict and evaluate', () => {
    const p = predictSpec.parse({ model: 'm', data: 's.csv', planFill: 'zero', horizon: '3' });
    expect(p).toMatchObject({ planFill: 'zero', horizon: 3, future: undefined, format: undefined });
    expect(() => predictSpec.parse({ model: 'm', data: 's.csv', planFill: 'mean' })).toThrow(/--plan-fill: expected one of last, zero/);
    const e = evaluateSpec.parse({ data: 's.csv', holdout: '13' });
    expect(e.holdout).toBe(13);
    expect(() => evaluateSpec.parse({ data: 's.csv', holdout: '0' })).toThrow(/--holdout/);
    expect(e).toMatchObject({ windows: 1, step: 13, retrain: false, levels: [80, 95], models: ['lstm', 'naive', 'seasonal_naive', 'moving_average', 'ets', 'promo_regression', 'arimax', 'croston'] });
    expect(evaluateSpec.parse({ data: 's.csv', holdout: '13', windows: '3', step: '4', levels: '95,50', models: 'ets,lstm', retrain: true })).toMatchObject({
      windows: 3,
      step: 4,
      levels: [50, 95],
      models: ['lstm', 'ets'],
      retrain: true,
    });
    expect(() => evaluateSpec.parse({ data: 's.csv', holdout: '13', levels: '80,100' })).toThrow(/between 0 and 100/);
    expect(() => evaluateSpec.parse({ data: 's.csv', holdout: '13', levels: '80,80' })).toThrow(/given twice/);
    expect(() => evaluateSpec.parse({ data: 's.csv', holdout: '13', levels: '8e1' })).toThrow(/--levels: expected interval levels/);
    expect(() => evaluateSpec.parse({ data: 's.csv', holdout: '13', models: 'arima' })).toThrow(/--models: unknown model arima/);
    expect(() => evaluateSpec.parse({ data: 's.csv', holdout: '13', windows: '0' })).toThrow(/--windows/);
  });
});
