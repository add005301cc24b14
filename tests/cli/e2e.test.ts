/**
 * End to end through the built binary (`npx tsc -p tsconfig.json` first; npm test does it):
 * help, version, data inspect on the samples in every format, stdin, and atomic --out.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runBin, runCli } from '../helpers/cli.js';

const SAMPLES = 'data/samples/sales.csv';

describe('stockcast binary', () => {
  it('--help lists the command groups and --version prints the package version', () => {
    const help = runBin(['--help']);
    expect(help.code, help.stderr).toBe(0);
    for (const g of ['forecast', 'stock', 'data']) expect(help.stdout).toMatch(new RegExp(`^\\s+${g}\\b`, 'm'));
    const dataHelp = runBin(['data', '--help']);
    expect(dataHelp.stdout).toMatch(/inspect \[options\]\s+summarise a sales CSV/);
    const version = runBin(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  it('data inspect on the samples: one CSV row per SKU (binary), summary in JSON and as a table on a terminal (in-process)', async () => {
    const csv = runBin(['data', 'inspect', '--data', SAMPLES]);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stderr).toBe('');
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('sku,first,last,periods,observed,missing,longest_gap,zero_share,mean_units,price_share,promo_share,holiday_share,too_short,predict_model');
    expect(lines).toHaveLength(51);
    // 45 observed days: enough for the LSTM (14 in the last 56), so not too short, as forecast predict does (issue 11)
    expect(lines[50]).toMatch(/^SKU-050,2026-09-17,2026-10-31,45,45,0,0,.*,false,shipped$/);

    const json = await runCli(['data', 'inspect', '--data', SAMPLES, '--format', 'json']);
    const out = JSON.parse(json.stdout) as { summary: Record<string, unknown>; covariates: { covariate: string; nonzero_share: number }[]; skus: unknown[] };
    expect(out.summary).toMatchObject({ rows: 52755, skus: 50, first_date: '2023-11-02', last_date: '2026-10-31', frequency: 'daily (detected)', missing_periods: 0 });
    expect(out.covariates.map((c) => c.covariate)).toEqual(['price', 'promo', 'holiday']);
    expect(out.covariates[1]!.nonzero_share).toBeGreaterThan(0.05);
    expect(out.skus).toHaveLength(50);

    const table = await runCli(['data', 'inspect', '--data', SAMPLES, '--summary'], { tty: true });
    expect(table.stdout).toMatch(/^frequency\s+daily \(detected\)$/m);
    expect(table.stdout).toMatch(/^lstm_window\s+56$/m);
    expect(table.stdout).toMatch(/^lstm_min_observed\s+14$/m);
    expect(table.stdout).toMatch(/^too_short_skus\s+0$/m);
  });

  it('reads stdin with --data - and prints warnings on stderr', () => {
    const r = runBin(['data', 'inspect', '--data', '-', '--summary'], { stdin: 'date,sku,units\n2024-01-01,A,-1\n2024-01-02,A,2\n2024-01-03,B,2\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^file,<stdin>$/m);
    expect(r.stdout).toMatch(/^negative_rows,1$/m);
    expect(r.stderr).toMatch(/^warning: 1 row with negative units set to 0/m);
    expect(r.stderr).toMatch(/^warning: 1 SKU has a single row: B/m);
  });

  it('--out writes atomically; an invalid input leaves the existing file untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockcast-e2e-'));
    const out = join(dir, 'summary.json');
    const ok = runBin(['data', 'inspect', '--data', SAMPLES, '--format', 'json', '--out', out]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('');
    const good = readFileSync(out, 'utf8');
    expect(JSON.parse(good).summary.skus).toBe(50);
    const bad = runBin(['data', 'inspect', '--data', 'tests/fixtures/bad/bad-number.csv', '--format', 'json', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad-number\.csv:3:3/);
    expect(readFileSync(out, 'utf8')).toBe(good);
    expect(readdirSync(dir)).toEqual(['summary.json']);
  });

  it('the forecast and stock shortcuts reach their groups', () => {
    for (const [bin, cmd] of [['forecast', 'train'], ['stock', 'simulate']]) {
      const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', `${bin}.js`), '--help'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: stockcast ${bin}`));
      expect(r.stdout).toContain(cmd);
    }
  });

  it('stockcast | head does not crash on a closed pipe', () => {
    const r = spawnSync('bash', ['-c', `node bin/stockcast.js data inspect --data ${SAMPLES} | head -1`], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.stdout).toMatch(/^sku,first/);
    expect(r.stderr).not.toMatch(/EPIPE/);
  });
});

