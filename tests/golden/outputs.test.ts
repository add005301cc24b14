/**
 * Golden outputs: the seeded pipeline on data/samples, each output file's sha256 compared with
 * tests/golden/hashes.json. A refactoring must leave every hash unchanged; a change that is meant
 * to change an output updates the hash in the same commit and says so.
 *
 * Regenerate (build first, as npm test does: `npx tsc -p tsconfig.json`):
 *   UPDATE_GOLDEN=1 npx vitest run tests/golden          every entry
 *   UPDATE_GOLDEN=forecast npx vitest run tests/golden   only the `forecast` group (train + predict),
 *                                                        e.g. after a change to the forecasting model;
 *                                                        the other groups are still compared
 * then review `git diff tests/golden/hashes.json` and commit it.
 *
 * Groups: `samples` (the generator, which must also equal the committed data/samples), `stock`
 * (simulate, static backtest, a short replanned backtest; the forecast they read is built here from
 * the sample sales, so it does not depend on the forecasting model), `forecast` (a tiny
 * `forecast train` + `forecast predict`, timings stripped from metadata.json, and `forecast evaluate`
 * of the baselines at rolling origins).
 * Runs through the built binary (bin/stockcast.js) in a temporary folder; about 15 s.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { generateSamples } from '../../scripts/samples/files.js';
import { DEFAULT_CONFIG } from '../../scripts/samples/sales.js';
import { REPO_ROOT, runBin } from '../helpers/cli.js';

type Group = 'samples' | 'stock' | 'forecast';
type Hashes = Record<Group, Record<string, string>>;

const HASHES_FILE = join(REPO_ROOT, 'tests/golden/hashes.json');
const SAMPLES = join(REPO_ROOT, 'data/samples');
const UPDATE = process.env.UPDATE_GOLDEN;
const updating = (group: Group) => UPDATE === '1' || UPDATE === 'all' || UPDATE === group;

const committed: Hashes = JSON.parse(readFileSync(HASHES_FILE, 'utf8')) as Hashes;
const computed: Hashes = { samples: {}, stock: {}, forecast: {} };
const dir = mkdtempSync(join(tmpdir(), 'golden-'));

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

function check(group: Group, name: string, bytes: string | Buffer): void {
  const hash = sha256(bytes);
  computed[group][name] = hash;
  if (!updating(group)) expect(hash, `${group}/${name} changed (see the top of tests/golden/outputs.test.ts to regenerate)`).toBe(committed[group]?.[name]);
}

function stockcast(args: string[]): void {
  const r = runBin(args, { cwd: dir, env: { NO_COLOR: '1' } });
  expect(r.stderr).not.toMatch(/^error/m);
  expect(r.code, `stockcast ${args.join(' ')}\n${r.stderr}`).toBe(0);
}

const file = (name: string) => readFileSync(join(dir, name));
const sample = (name: string) => join(SAMPLES, name);

/**
 * A model-free forecast from the sample sales: per SKU, the mean and sd of the last 28 days,
 * flat over the 56 days after the data. Written here so that the stock group does not move when
 * the forecasting model does.
 */
function flatForecast(): string {
  const units = new Map<string, number[]>();
  for (const line of readFileSync(sample('sales.csv'), 'utf8').trim().split('\n').slice(1)) {
    const [, sku, u] = line.split(',');
    units.set(sku!, [...(units.get(sku!) ?? []), Number(u)]);
  }
  const rows = ['sku,date,forecast,sd'];
  for (const [sku, xs] of [...units].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const w = xs.slice(-28);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / (w.length - 1));
    for (let i = 0; i < 56; i++) rows.push(`${sku},${new Date(Date.UTC(2026, 10, 1 + i)).toISOString().slice(0, 10)},${mean.toFixed(3)},${sd.toFixed(3)}`);
  }
  return `${rows.join('\n')}\n`;
}

/**
 * The flat forecast as `forecast predict` writes it: the mean taken as the median, with a
 * right-skewed 80% interval (p10 = 0.6 x, p90 = 1.7 x), read by simulate as a median.
 */
function medianForecast(): string {
  const [head, ...rows] = flatForecast().trim().split('\n');
  const body = rows.map((r) => {
    const m = Number(r.split(',')[2]);
    return `${r},${(0.6 * m).toFixed(3)},${(1.7 * m).toFixed(3)},flat`;
  });
  return `${[`${head},p10,p90,model`, ...body].join('\n')}\n`;
}

/** metadata.json without the training timings (seconds, samples per second), which vary run to run. */
function withoutTimings(json: Buffer): string {
  return JSON.stringify(JSON.parse(json.toString('utf8'), (key, value: unknown) => (key === 'seconds' || key === 'samplesPerSecond' ? undefined : value)), null, 2);
}

afterAll(() => {
  if (UPDATE === undefined) return;
  const next: Hashes = { ...committed };
  for (const group of Object.keys(computed) as Group[]) if (updating(group)) next[group] = computed[group];
  writeFileSync(HASHES_FILE, `${JSON.stringify(next, null, 2)}\n`);
});

describe('golden outputs on data/samples', () => {
  test('samples: the generator writes the committed data/samples, byte for byte', () => {
    const files = generateSamples(DEFAULT_CONFIG);
    for (const [name, content] of Object.entries(files)) {
      expect(content === readFileSync(sample(name), 'utf8'), `${name} differs from data/samples (run npm run samples)`).toBe(true);
      check('samples', name, content);
    }
  });

  test('stock: simulate (s,Q) and (R,S), static backtest, replanned backtest', () => {
    writeFileSync(join(dir, 'forecast.csv'), flatForecast());
    const lt = ['--lead-times', sample('lead_times.csv')];
    stockcast(['stock', 'simulate', '--forecast', 'forecast.csv', ...lt, '--service-level', '0.95', '--paths', '2000', '--seed', '42', '--out', 'policy.csv']);
    check('stock', 'simulate/policy.csv', file('policy.csv'));
    stockcast(['stock', 'simulate', '--forecast', 'forecast.csv', ...lt, '--service-level', '0.9', '--review-period', '7', '--paths', '1000', '--seed', '5', '--format', 'csv', '--out', 'policy-rs.csv']);
    check('stock', 'simulate/policy-rs.csv', file('policy-rs.csv'));
    writeFileSync(join(dir, 'forecast-median.csv'), medianForecast());
    stockcast(['stock', 'simulate', '--forecast', 'forecast-median.csv', ...lt, '--service-level', '0.95', '--paths', '2000', '--seed', '42', '--out', 'policy-median.csv']);
    check('stock', 'simulate-median/policy.csv', file('policy-median.csv'));

    const replay = ['stock', 'backtest', '--data', sample('sales.csv'), ...lt, '--seed', '7', '--format', 'csv'];
    stockcast([...replay, '--policy', 'policy.csv', '--from', '2026-08-01', '--per-sku', 'bt-per-sku.csv', '--baseline', 'classic', '--out', 'bt.csv']);
    check('stock', 'backtest/summary.csv', file('bt.csv'));
    check('stock', 'backtest/per-sku.csv', file('bt-per-sku.csv'));
    // No --review-period: the file says RS every 7 days (its review_period column), and so it is replayed.
    stockcast([...replay, '--policy', 'policy-rs.csv', '--from', '2026-08-01', '--inventory', sample('inventory.csv'), '--per-sku', 'bt-rs-per-sku.csv', '--out', 'bt-rs.csv']);
    check('stock', 'backtest-rs/summary.csv', file('bt-rs.csv'));
    check('stock', 'backtest-rs/per-sku.csv', file('bt-rs-per-sku.csv'));
    stockcast([...replay, '--from', '2026-10-01', '--replan', '14d', '--forecaster', 'moving_average', '--paths', '500', '--service-levels', '0.9,0.95', '--per-sku', 'replan-per-sku.csv', '--out', 'replan.csv']);
    check('stock', 'backtest-replan/summary.csv', file('replan.csv'));
    // 31 days replanned every 14: SKUs without a completed cycle have an empty cycle_service_level.
    expect(file('replan-per-sku.csv').toString()).toMatch(/^SKU-001,\d+,\d+,\d+,[\d.]+,,/m);
    check('stock', 'backtest-replan/per-sku.csv', file('replan-per-sku.csv'));
  });

  test('forecast: a tiny train + predict (the group to regenerate when the model changes)', () => {
    stockcast(['forecast', 'train', '--data', sample('sales.csv'), '--model', 'model', '--horizon', '14', '--epochs', '1', '--ensemble', '1', '--window', '14', '--units', '8', '--samples-per-epoch', '256', '--batch-size', '64', '--backend', 'wasm', '--seed', '3']);
    check('forecast', 'train/metadata.json', withoutTimings(file('model/metadata.json')));
    check('forecast', 'train/model.json', file('model/model.json'));
    check('forecast', 'train/weights.bin', file('model/weights.bin'));
    stockcast(['forecast', 'predict', '--model', 'model', '--data', sample('sales.csv'), '--future', sample('promo_plan.csv'), '--backend', 'wasm', '--out', 'forecast-lstm.csv']);
    check('forecast', 'predict/forecast.csv', file('forecast-lstm.csv'));
  });

  test('forecast: evaluate the baselines at rolling origins (summary, per SKU, cutoff and step)', () => {
    stockcast(['forecast', 'evaluate', '--data', sample('sales.csv'), '--holdout', '14', '--windows', '3', '--models', 'naive,seasonal_naive,ets,moving_average,croston', '--levels', '80,95',
      '--per-sku', 'ev-sku.csv', '--per-cutoff', 'ev-cutoff.csv', '--per-step', 'ev-step.csv', '--format', 'csv', '--out', 'ev.csv']);
    for (const [name, f] of [['summary', 'ev.csv'], ['per-sku', 'ev-sku.csv'], ['per-cutoff', 'ev-cutoff.csv'], ['per-step', 'ev-step.csv']] as const) check('forecast', `evaluate/${name}.csv`, file(f));
  });
});
