/**
 * A damaged model directory (issue 8, item 6, load side): truncated or garbage model.json or
 * weights.bin, weights of the right size with random bytes or NaN. Each must exit 2 naming the file,
 * leave the previous --out untouched and print no stack trace. Models saved before the checksums
 * were added still load. Uses the built binary (npm test builds first).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT } from '../helpers/cli.js';

const STOCK = resolve(REPO_ROOT, 'tests/fixtures/stock');
const NO_STACK = /\n\s+at .*:\d+:\d+|unexpected failure|this is a bug/;
const TRAIN = ['--horizon', '7', '--window', '7', '--units', '4', '--decoder-units', '4', '--epochs', '1', '--ensemble', '1', '--samples-per-epoch', '64', '--batch-size', '32', '--backend', 'wasm', '--seed', '3'];
const dir = mkdtempSync(join(tmpdir(), 'stockcast-safety-model-'));

function run(argv: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const predict = (model: string, out?: string) =>
  run(['forecast', 'predict', '--model', model, '--data', 'sales.csv', '--plan-fill', 'last', '--backend', 'wasm', ...(out ? ['--out', out] : [])]);

let good = '';

beforeAll(() => {
  copyFileSync(join(STOCK, 'sales.csv'), join(dir, 'sales.csv'));
  const t = run(['forecast', 'train', '--data', 'sales.csv', '--model', 'model', ...TRAIN]);
  if (t.code !== 0) throw new Error(`train failed: ${t.stderr}`);
  const p = predict('model');
  if (p.code !== 0) throw new Error(`predict failed: ${p.stderr}`);
  good = p.stdout;
}, 120_000);

/** A copy of the trained model with one change. */
function damaged(name: string, change: (m: string) => void): string {
  const m = join(dir, name);
  cpSync(join(dir, 'model'), m, { recursive: true });
  change(m);
  return name;
}

function dropChecksums(m: string): void {
  const meta = JSON.parse(readFileSync(join(m, 'metadata.json'), 'utf8'));
  delete meta.checksums;
  writeFileSync(join(m, 'metadata.json'), JSON.stringify(meta));
}

/** Deterministic "random" bytes. */
function noise(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('the saved model carries a checksum of each network file', () => {
  it('metadata.json lists sha256 of model.json and weights.bin, matching the files', () => {
    const meta = JSON.parse(readFileSync(join(dir, 'model', 'metadata.json'), 'utf8'));
    expect(Object.keys(meta.checksums).sort()).toEqual(['model.json', 'weights.bin']);
    expect(meta.checksums['weights.bin']).toBe(`sha256:${createHash('sha256').update(readFileSync(join(dir, 'model', 'weights.bin'))).digest('hex')}`);
    expect(meta.formatVersion).toBe(3);
  });
});

describe('a damaged model is an input error naming the file (exit 2), the previous output stays', () => {
  const size = () => readFileSync(join(dir, 'model', 'weights.bin')).length;
  it.each([
    ['weights.bin truncated', (m: string) => writeFileSync(join(m, 'weights.bin'), readFileSync(join(m, 'weights.bin')).subarray(0, 100)), /weights\.bin: checksum mismatch/],
    ['weights.bin random bytes of the right size', (m: string) => writeFileSync(join(m, 'weights.bin'), noise(size())), /weights\.bin: checksum mismatch/],
    ['model.json garbage', (m: string) => writeFileSync(join(m, 'model.json'), '{"modelTopology": [tru'), /model\.json: checksum mismatch/],
    [
      'model.json garbage, no checksums (an older model)',
      (m: string) => {
        dropChecksums(m);
        writeFileSync(join(m, 'model.json'), '{"modelTopology": [tru');
      },
      /model\.json: not valid JSON/,
    ],
    [
      'weights.bin truncated, no checksums',
      (m: string) => {
        dropChecksums(m);
        writeFileSync(join(m, 'weights.bin'), readFileSync(join(m, 'weights.bin')).subarray(0, 100));
      },
      /weights\.bin: 100 bytes, model\.json describes \d+ float32 weights \(expected \d+ bytes\)/,
    ],
    [
      'weights.bin NaN of the right size, no checksums',
      (m: string) => {
        dropChecksums(m);
        writeFileSync(join(m, 'weights.bin'), new Uint8Array(new Float32Array(size() / 4).fill(Number.NaN).buffer));
      },
      /weights\.bin: weight 0 of \d+ is NaN \(expected finite weights\)/,
    ],
    ['metadata.json truncated', (m: string) => writeFileSync(join(m, 'metadata.json'), readFileSync(join(m, 'metadata.json')).subarray(0, 50)), /metadata\.json: not a usable model/],
    ['weights.bin emptied', (m: string) => writeFileSync(join(m, 'weights.bin'), ''), /weights\.bin: checksum mismatch/],
  ])('%s', (name, change, message) => {
    const model = damaged(name.replace(/\W+/g, '-'), change);
    writeFileSync(join(dir, 'fc.csv'), 'previous forecast\n');
    const r = predict(model, 'fc.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(model);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(readFileSync(join(dir, 'fc.csv'), 'utf8')).toBe('previous forecast\n');
  });

  it('a model saved before checksums existed still loads and predicts the same', () => {
    const model = damaged('old-format', dropChecksums);
    const r = predict(model);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(good);
  });

  it('--out inside the model directory is refused (it would add a foreign file to the model)', () => {
    const r = predict('model', 'model/forecast.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out model\/forecast\.csv is inside --model model/);
    expect(readdirSync(join(dir, 'model')).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
  });
});

describe('forecast evaluate --per-sku (item 14)', () => {
  it('--per-sku - is stdout (no file named -), the summary goes to --out or stderr; files appear together', () => {
    const argv = ['forecast', 'evaluate', '--data', 'sales.csv', '--holdout', '7', ...TRAIN];
    const toStdout = run([...argv, '--per-sku', '-']);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout.split('\n')[0]).toBe('sku,model,n,wape,accuracy,mae,rmse,mase,bias,coverage80,winkler80,pinball80,coverage95,winkler95,pinball95');
    expect(toStdout.stderr).toMatch(/│ model +│ +n │ +wape/); // the summary table
    expect(readdirSync(dir)).not.toContain('-');
    const files = run([...argv, '--per-sku', 'per-sku.csv', '--out', 'summary.csv']);
    expect(files.code).toBe(0);
    expect(readFileSync(join(dir, 'per-sku.csv'), 'utf8')).toBe(toStdout.stdout);
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8').split('\n')[0]).toBe('model,n,wape,accuracy,mae,rmse,mase,bias,coverage80,winkler80,pinball80,coverage95,winkler95,pinball95');
  }, 60_000);
});

describe('forecast train replaces what it may', () => {
  it('an existing model directory and an empty folder are replaced; the result loads', () => {
    mkdirSync(join(dir, 'empty'));
    for (const target of ['model', 'empty']) {
      const t = run(['forecast', 'train', '--data', 'sales.csv', '--model', target, ...TRAIN]);
      expect(t.code).toBe(0);
      expect(readdirSync(join(dir, target)).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
      expect(readdirSync(dir).filter((n) => n.startsWith(`.${target}.tmp-`))).toEqual([]);
    }
    expect(predict('empty').stdout).toBe(good);
  }, 60_000);
});
