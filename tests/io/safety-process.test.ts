/**
 * The real binary against a full disk, closed pipes and kill -9 at the worst moment (issue 8,
 * items 2, 11, 12, 20). Needs the build (`npx tsc -p tsconfig.json`; npm test does it first).
 * STOCKCAST_TEST_PAUSE=<point> makes the binary stop for a minute at that point of a write and say
 * so on stderr, so the test can kill it there.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT } from '../helpers/cli.js';

const STOCK = resolve(REPO_ROOT, 'tests/fixtures/stock');
const SIM = resolve(REPO_ROOT, 'tests/fixtures/simulate');
const tmp = () => mkdtempSync(join(tmpdir(), 'stockcast-safety-proc-'));
const NO_STACK = /\n\s+at .*:\d+:\d+|unexpected failure|this is a bug/;
const ENV = { PATH: process.env.PATH, NO_COLOR: '1' };
const BACKTEST = ['stock', 'backtest', '--data', join(STOCK, 'sales.csv'), '--policy', join(STOCK, 'bt-policy.csv'), '--lead-times', join(STOCK, 'lead_times.csv'), '--from', '2024-02-01'];
const SIMULATE = ['stock', 'simulate', '--forecast', join(SIM, 'normal.csv'), '--lead-times', join(SIM, 'lead-times.csv'), '--lead-time', '3', '--paths', '200', '--seed', '1'];
export const TRAIN = ['--horizon', '7', '--window', '7', '--units', '4', '--decoder-units', '4', '--epochs', '1', '--ensemble', '1', '--samples-per-epoch', '64', '--batch-size', '32', '--backend', 'wasm', '--seed', '3'];

function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, env: { ...ENV, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Spawn with both output pipes closed by the reader right away (`2>&1 | head -0`), wait for the exit code. */
function runWithClosedPipes(argv: string[], cwd: string, close: ('stdout' | 'stderr')[]): Promise<number | null> {
  const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const s of close) child[s]!.destroy();
  for (const s of ['stdout', 'stderr'] as const) if (!close.includes(s)) child[s]!.resume();
  return new Promise((r) => child.on('close', (code) => r(code)));
}

/** Start the binary paused at `point`; resolves once it says it is there. */
function startPaused(argv: string[], cwd: string, point: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: { ...ENV, STOCKCAST_TEST_PAUSE: point }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes(`stockcast-test: paused at ${point}`)) resolve(child);
    });
    child.on('close', (code) => reject(new Error(`exited ${code} before pausing at ${point}: ${err}`)));
  });
}

async function kill9(child: ChildProcess): Promise<void> {
  child.removeAllListeners('close');
  const closed = new Promise((r) => child.on('close', r));
  child.kill('SIGKILL');
  await closed;
}

describe('stdout on a full disk (item 11)', () => {
  it('> /dev/full: a clean message, exit 1, no stack trace', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'data', 'inspect', '--data', join(STOCK, 'sales.csv'), '--format', 'csv'], { env: ENV, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/cannot write to stdout: ENOSPC: no space left on device/);
      expect(r.stderr).not.toMatch(NO_STACK);
    } finally {
      closeSync(fd);
    }
  });
});

describe('closed pipes never stop a file output (item 12)', () => {
  it('--out F 2>&1 | head: stderr and stdout closed, F is still written, exit 0', async () => {
    const dir = tmp();
    // negative.csv makes the reader warn on stderr, the write that used to crash the process.
    const code = await runWithClosedPipes(['data', 'inspect', '--data', join(REPO_ROOT, 'tests/fixtures/bad/negative.csv'), '--format', 'csv', '--out', 'summary.csv'], dir, ['stdout', 'stderr']);
    expect(code).toBe(0);
    const direct = run(['data', 'inspect', '--data', join(REPO_ROOT, 'tests/fixtures/bad/negative.csv'), '--format', 'csv'], dir);
    expect(direct.stderr).toMatch(/negative units/);
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8')).toBe(direct.stdout);
  });

  it('stock backtest --per-sku - --out F | head: F is written before the exit', async () => {
    const dir = tmp();
    const code = await runWithClosedPipes([...BACKTEST, '--per-sku', '-', '--out', 'summary.csv'], dir, ['stdout']);
    expect(code).toBe(0);
    const direct = run([...BACKTEST, '--per-sku', join(dir, 'per-sku.csv')], dir);
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8')).toBe(direct.stdout);
  });

  it('a closed stdout alone still exits 0 quietly (stockcast ... | head)', async () => {
    expect(await runWithClosedPipes(['data', 'inspect', '--data', join(STOCK, 'sales.csv'), '--format', 'csv'], tmp(), ['stdout'])).toBe(0);
  });
});

describe('--out /dev/stdout', () => {
  it('appends to what the shell opened: `--out /dev/stdout >> log.csv` keeps the earlier lines', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'log.csv'), 'earlier line\n');
    const fd = openSync(join(dir, 'log.csv'), 'a');
    try {
      const r = spawnSync(process.execPath, [BIN, ...SIMULATE, '--out', '/dev/stdout'], { env: ENV, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(join(dir, 'log.csv'), 'utf8')).toBe(`earlier line\n${run(SIMULATE, dir).stdout}`);
  });
});

describe('kill -9 at the worst moment (items 2, 20)', { timeout: 60_000 }, () => {
  it('between the temp write and the rename: the old file stays, the next run removes the temp file', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'policy.csv'), 'previous\n');
    const child = await startPaused([...SIMULATE, '--out', 'policy.csv'], dir, 'before-rename');
    const temps = readdirSync(dir).filter((n) => n.startsWith('.policy.csv.tmp-'));
    expect(temps).toHaveLength(1);
    await kill9(child);
    expect(readFileSync(join(dir, 'policy.csv'), 'utf8')).toBe('previous\n');
    expect(readdirSync(dir).sort()).toEqual([temps[0], 'policy.csv'].sort());
    const again = run([...SIMULATE, '--out', 'policy.csv'], dir);
    expect(again.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['policy.csv']);
    expect(readFileSync(join(dir, 'policy.csv'), 'utf8')).toBe(run(SIMULATE, dir).stdout);
  });

  it('between the two renames of --per-sku and --out: the next run removes the backup it left', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'per-sku.csv'), 'old\n');
    writeFileSync(join(dir, 'summary.csv'), 'old\n');
    const child = await startPaused([...BACKTEST, '--per-sku', 'per-sku.csv', '--out', 'summary.csv'], dir, 'between-outputs');
    await kill9(child);
    // The documented window: the first file is new, the second old, the first one's backup left.
    expect(readdirSync(dir).filter((n) => n.startsWith('.')).length).toBeGreaterThan(0);
    expect(run([...BACKTEST, '--per-sku', 'per-sku.csv', '--out', 'summary.csv'], dir).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['per-sku.csv', 'summary.csv']);
  });

  it('between moving the old model aside and moving the new one in: predict puts a complete model back', async () => {
    const dir = tmp();
    copyFileSync(join(STOCK, 'sales.csv'), join(dir, 'sales.csv'));
    expect(run(['forecast', 'train', '--data', 'sales.csv', '--model', 'model', ...TRAIN], dir).code).toBe(0);
    const v1 = readFileSync(join(dir, 'model', 'metadata.json'), 'utf8');
    const child = await startPaused(['forecast', 'train', '--data', 'sales.csv', '--model', 'model', ...TRAIN.slice(0, -1), '4'], dir, 'mid-swap');
    await kill9(child);
    expect(existsSync(join(dir, 'model'))).toBe(false); // the moment the issue describes
    const leftovers = readdirSync(dir).filter((n) => n.startsWith('.model.tmp-'));
    expect(leftovers).toHaveLength(2);
    const p = run(['forecast', 'predict', '--model', 'model', '--data', 'sales.csv', '--plan-fill', 'last', '--backend', 'wasm'], dir);
    expect(p.code).toBe(0);
    expect(p.stderr).toMatch(/warning: .*model was missing after an interrupted run .*restored the new complete model/);
    expect(readdirSync(dir).sort()).toEqual(['model', 'sales.csv']);
    const v2 = readFileSync(join(dir, 'model', 'metadata.json'), 'utf8');
    expect(v2).not.toBe(v1); // seed 4: the new model, complete
    expect(JSON.parse(v2).seed).toBe(4);
  });
});
