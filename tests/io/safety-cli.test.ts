/**
 * Output and input paths through the commands, in process (issue 8, items 1, 4, 12-15, 19 and the
 * cases found beside them): every case asserts the exit code, the message, that the previous
 * output is untouched and that no stack trace is printed.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fsError } from '../../src/io/fs-ops.js';
import { fsOps, injectFs } from '../../src/io/output.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const STOCK = resolve(REPO_ROOT, 'tests/fixtures/stock');
const SIM = resolve(REPO_ROOT, 'tests/fixtures/simulate');
const SAFETY = resolve(REPO_ROOT, 'tests/fixtures/io-safety');
const tmp = () => mkdtempSync(join(tmpdir(), 'stockcast-safety-cli-'));
const NO_STACK = /\n\s+at .*:\d+:\d+|unexpected failure|this is a bug/;
const BACKTEST = ['stock', 'backtest', '--data', join(STOCK, 'sales.csv'), '--policy', join(STOCK, 'bt-policy.csv'), '--lead-times', join(STOCK, 'lead_times.csv'), '--from', '2024-02-01'];
const SIMULATE = ['stock', 'simulate', '--forecast', join(SIM, 'normal.csv'), '--lead-times', join(SIM, 'lead-times.csv'), '--lead-time', '3', '--paths', '200', '--seed', '1'];

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

function expectClean(r: { stderr: string }): void {
  expect(r.stderr).not.toMatch(NO_STACK);
}

describe('output paths are checked before the work (item 13), exit 2', () => {
  it.each([
    ['--out is a folder', (d: string) => (mkdirSync(join(d, 'o')), join(d, 'o')), /--out .*o is a folder/],
    ['--out in a missing folder (not created)', (d: string) => join(d, 'unmounted-share', 'o.csv'), /--out .*o\.csv: the folder .*unmounted-share does not exist/],
  ])('%s: refused before the input is even read', async (_what, make, message) => {
    const dir = tmp();
    const out = make(dir);
    const before = readdirSync(dir);
    // The forecast file is bad: had the run started, the message would be about it.
    const r = await runCli(['stock', 'simulate', '--forecast', join(SIM, 'forecast-bad.csv'), '--lead-time', '3', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/forecast-bad/);
    expectClean(r);
    expect(readdirSync(dir)).toEqual(before);
  });

  it.each([
    ['data inspect', ['data', 'inspect', '--data', join(STOCK, 'sales.csv')]],
    ['stock reorder', ['stock', 'reorder', '--policy', join(STOCK, 'policy.csv'), '--inventory', join(STOCK, 'inventory.csv')]],
    ['stock backtest', BACKTEST],
    ['forecast predict', ['forecast', 'predict', '--model', join(STOCK, 'no-model'), '--data', join(STOCK, 'sales.csv')]],
    ['forecast evaluate', ['forecast', 'evaluate', '--data', join(STOCK, 'sales.csv'), '--holdout', '7']],
  ])('%s checks --out first', async (_name, argv) => {
    const r = await runCli([...argv, '--out', join(tmp(), 'missing', 'o.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .*o\.csv: the folder .*missing does not exist/);
    expectClean(r);
  });

  it('--out naming the input file is refused: the sales file is not replaced by its summary', async () => {
    const dir = tmp();
    copyFileSync(join(STOCK, 'sales.csv'), join(dir, 'sales.csv'));
    const r = await runCli(['data', 'inspect', '--data', 'sales.csv', '--out', 'sales.csv'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .*sales\.csv is the input file of --data/);
    expect(readFileSync(join(dir, 'sales.csv'), 'utf8')).toBe(readFileSync(join(STOCK, 'sales.csv'), 'utf8'));
    expectClean(r);
  });

  it('--per-sku and --out naming the same file are refused', async () => {
    const r = await runCli([...BACKTEST, '--per-sku', join(tmp(), 'x.csv'), '--out', join(tmp(), 'y.csv')]);
    expect(r.code).toBe(0);
    const dir = tmp();
    const same = await runCli([...BACKTEST, '--per-sku', join(dir, 'x.csv'), '--out', join(dir, 'x.csv')]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/--out and --per-sku are the same file/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('--out through a symlink (item 3)', () => {
  it('stock simulate --out LINK replaces the file the link points to; the link stays a link', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'erp'));
    writeFileSync(join(dir, 'erp', 'policy.csv'), 'stale\n');
    symlinkSync(join(dir, 'erp', 'policy.csv'), join(dir, 'policy.csv'));
    const r = await runCli([...SIMULATE, '--out', 'policy.csv'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, 'policy.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'erp', 'policy.csv'), 'utf8')).toBe((await runCli(SIMULATE)).stdout);
    expect(readdirSync(join(dir, 'erp'))).toEqual(['policy.csv']);
  });
});

describe('stock backtest: --per-sku and --out appear together or not at all (item 4)', () => {
  it('a failing rename of the summary leaves both previous files as they were (exit 1)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'per-sku.csv'), 'old per-sku\n');
    writeFileSync(join(dir, 'summary.csv'), 'old summary\n');
    const real = fsOps.rename;
    restore = injectFs({ rename: async (a, b) => (String(b).endsWith('summary.csv') ? Promise.reject(fsError('EIO', 'rename', String(a))) : real(a, b)) });
    const r = await runCli([...BACKTEST, '--per-sku', 'per-sku.csv', '--out', 'summary.csv'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not write .*summary\.csv: EIO/);
    expectClean(r);
    expect(readFileSync(join(dir, 'per-sku.csv'), 'utf8')).toBe('old per-sku\n');
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8')).toBe('old summary\n');
    expect(readdirSync(dir).sort()).toEqual(['per-sku.csv', 'summary.csv']);
  });

  it('--per-sku - --out F: per-SKU rows on stdout and the summary in F (F was ignored before)', async () => {
    const dir = tmp();
    const r = await runCli([...BACKTEST, '--per-sku', '-', '--out', 'summary.csv'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('sku,demand,served,unmet,fill_rate,cycle_service_level,stockout_days,avg_on_hand,orders');
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8').split('\n')[0]).toMatch(/^policy,skus,demand/);
  });
});

describe('stdin is read by one option at most (item 14)', () => {
  it.each([
    ['forecast predict', ['forecast', 'predict', '--model', 'm', '--data', '-', '--future', '-'], /--data and --future cannot both read stdin/],
    ['stock simulate', ['stock', 'simulate', '--forecast', '-', '--lead-times', '-'], /--forecast and --lead-times cannot both read stdin/],
    ['stock backtest --compare', ['stock', 'backtest', '--data', join(STOCK, 'sales.csv'), '--policy', '-', '--compare', '-', '--from', '2024-02-01'], /--policy and --compare cannot both read stdin/],
    ['stock reorder --constraints', ['stock', 'reorder', '--policy', '-', '--inventory', join(STOCK, 'inventory.csv'), '--constraints', '-'], /--policy and --constraints cannot both read stdin/],
  ])('%s', async (_name, argv, message) => {
    const r = await runCli(argv, { stdin: 'sku,x\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/empty file/);
    expectClean(r);
  });

  it('stock backtest --compare - reads stdin (it used to ignore the stdin given to the command)', async () => {
    const policy = readFileSync(join(STOCK, 'bt-policy-lean.csv'), 'utf8');
    const r = await runCli([...BACKTEST, '--compare', '-'], { stdin: policy });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<stdin>,2,585,570,15,/m);
  });
});

describe('I/O errors on inputs are not CSV errors (item 15)', () => {
  function eioAfter(file: string, bytes: number): void {
    const real = fsOps.createReadStream;
    restore = injectFs({
      createReadStream: ((path: string, opts?: unknown) => {
        if (path !== file) return real(path, opts as undefined);
        const head = readFileSync(file).subarray(0, bytes);
        let sent = false;
        return new Readable({
          read() {
            if (!sent) {
              sent = true;
              this.push(head);
            } else this.destroy(fsError('EIO', 'read', file, 'i/o error'));
          },
        });
      }) as typeof fsOps.createReadStream,
    });
  }

  it('EIO in the middle of the sales file: exit 1, "I/O error reading FILE", not "CSV syntax"', async () => {
    const file = join(STOCK, 'sales.csv');
    eioAfter(file, 100);
    const dir = tmp();
    writeFileSync(join(dir, 'old.csv'), 'previous\n');
    const r = await runCli(['data', 'inspect', '--data', file, '--out', join(dir, 'old.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/I\/O error reading .*sales\.csv: EIO: i\/o error/);
    expect(r.stderr).not.toMatch(/CSV|parse/);
    expectClean(r);
    expect(readFileSync(join(dir, 'old.csv'), 'utf8')).toBe('previous\n');
  });

  it('EIO on a small table (lead times): exit 1, not "cannot parse as CSV"', async () => {
    const file = join(SIM, 'lead-times.csv');
    eioAfter(file, 10);
    const r = await runCli(['stock', 'simulate', '--forecast', join(SIM, 'normal.csv'), '--lead-times', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/I\/O error reading .*lead-times\.csv: EIO/);
    expect(r.stderr).not.toMatch(/CSV/);
    expectClean(r);
  });

  it.each([
    ['a folder (EISDIR)', () => ({ path: tmp() }), /cannot read .*: it is a folder, not a file/],
    ['missing (ENOENT)', () => ({ path: join(tmp(), 'nope.csv') }), /cannot read .*nope\.csv: no such file/],
    [
      'unreadable (EACCES, injected)',
      () => {
        const path = join(tmp(), 'locked.csv');
        copyFileSync(join(STOCK, 'inventory.csv'), path);
        const real = fsOps.open;
        restore = injectFs({ open: (async (p: string, f?: string, m?: number) => (p === path ? Promise.reject(fsError('EACCES', 'open', p)) : real(p, f, m))) as typeof fsOps.open });
        return { path };
      },
      /cannot read .*locked\.csv: permission denied/,
    ],
  ])('an input that is %s: exit 2 naming the file', async (_what, make, message) => {
    const { path } = make();
    const r = await runCli(['stock', 'reorder', '--policy', join(STOCK, 'policy.csv'), '--inventory', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/CSV/);
    expectClean(r);
    const sales = await runCli(['data', 'inspect', '--data', path]);
    expect(sales.code).toBe(2);
    expect(sales.stderr).toMatch(message);
  });
});

describe('a CRLF header over LF rows (item 19)', () => {
  it('the sales file reads exactly as its LF-only version', async () => {
    const mixed = await runCli(['data', 'inspect', '--data', join(SAFETY, 'crlf-header-sales.csv'), '--format', 'csv']);
    const lf = readFileSync(join(SAFETY, 'crlf-header-sales.csv'), 'utf8').replace(/\r\n/g, '\n');
    const plain = await runCli(['data', 'inspect', '--data', '-', '--format', 'csv'], { stdin: lf });
    expect(mixed.code).toBe(0);
    expect(mixed.stderr).not.toMatch(/wrong number of fields/);
    expect(mixed.stdout).toBe(plain.stdout);
  });

  it('a small table (lead times) too', async () => {
    const mixed = await runCli(SIMULATE.map((a) => (a === join(SIM, 'lead-times.csv') ? join(SAFETY, 'crlf-header-lead-times.csv') : a)));
    const plain = await runCli(SIMULATE);
    expect(mixed.code).toBe(0);
    expect(mixed.stdout).toBe(plain.stdout);
  });
});

describe('forecast train --model replaces only a model directory (item 1)', () => {
  function workspace() {
    const dir = tmp();
    copyFileSync(join(STOCK, 'sales.csv'), join(dir, 'sales.csv'));
    return dir;
  }
  const train = (dir: string, model: string) => runCli(['forecast', 'train', '--data', 'sales.csv', '--model', model, '--epochs', '1'], { cwd: dir });

  it('a folder holding other files (the data folder) is refused, exit 2, nothing deleted', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'notes.txt'), 'keep me');
    copyFileSync(join(STOCK, 'sales.csv'), join(dir, 'data', 'sales-copy.csv'));
    const r = await train(dir, 'data/');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model data\/ is a folder that is not a stockcast model .*2 entries: (notes\.txt, sales-copy\.csv|sales-copy\.csv, notes\.txt)/);
    expectClean(r);
    expect(readdirSync(join(dir, 'data')).sort()).toEqual(['notes.txt', 'sales-copy.csv']);
    expect(readFileSync(join(dir, 'data', 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('the input file itself is refused and kept', async () => {
    const dir = workspace();
    const r = await train(dir, 'sales.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model sales\.csv is the input file of --data/);
    expect(readFileSync(join(dir, 'sales.csv'), 'utf8')).toBe(readFileSync(join(STOCK, 'sales.csv'), 'utf8'));
  });

  it('a folder that contains the input file is refused', async () => {
    const dir = workspace();
    const r = await runCli(['forecast', 'train', '--data', join(dir, 'sales.csv'), '--model', dir], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model .* contains the input file of --data/);
    expect(existsSync(join(dir, 'sales.csv'))).toBe(true);
  });

  it('any other file is refused', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'report.pdf'), 'pdf');
    const r = await train(dir, 'report.pdf');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model report\.pdf is a file, not a model directory/);
    expect(readFileSync(join(dir, 'report.pdf'), 'utf8')).toBe('pdf');
  });

  it('a model directory holding a file stockcast did not write is refused', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'model'));
    writeFileSync(join(dir, 'model', 'metadata.json'), JSON.stringify({ format: 'stockcast-lstm', formatVersion: 2 }));
    writeFileSync(join(dir, 'model', 'README'), 'mine');
    const r = await train(dir, 'model');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model model holds files stockcast did not write: README/);
    expect(readdirSync(join(dir, 'model')).sort()).toEqual(['README', 'metadata.json']);
  });

  it('a folder whose metadata.json is not a stockcast model is refused', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm', 'metadata.json'), '{"name":"some other tool"}');
    const r = await train(dir, 'm');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a folder that is not a stockcast model/);
    expect(readFileSync(join(dir, 'm', 'metadata.json'), 'utf8')).toBe('{"name":"some other tool"}');
  });

  it('an unwritable parent folder is refused before training (EACCES injected: the tests may run as root)', async () => {
    const dir = workspace();
    const real = fsOps.access;
    restore = injectFs({ access: async (p, m) => (String(p) === dir ? Promise.reject(fsError('EACCES', 'access', dir)) : real(p, m)) });
    const r = await train(dir, 'model');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model model: cannot create folders in .* \(permission denied\)/);
    expect(readdirSync(dir)).toEqual(['sales.csv']);
  });

  it('--model - is refused (a model cannot go to stdout; it used to create a folder named -)', async () => {
    const dir = workspace();
    const r = await train(dir, '-');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model -: a model is a folder/);
    expect(readdirSync(dir)).toEqual(['sales.csv']);
  });

  it('a missing parent folder is refused (not created)', async () => {
    const dir = workspace();
    const r = await train(dir, 'models/v2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model models\/v2: the folder .*models does not exist/);
    expect(existsSync(join(dir, 'models'))).toBe(false);
  });
});
