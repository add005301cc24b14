/**
 * A valid model whose networks have not learnt their errors still forecasts: the built binary
 * trains one network for one epoch on 3 of the sample SKUs (its own p10-p90 cover a few percent of
 * the validation actuals, some of zero width, so the conformal factors reach the score cap), and
 * `predict` writes finite intervals no wider than MAX_BOUND_MULTIPLE x the most a SKU sold. Before
 * the cap, `predict` stopped with "sd 5.47e157 ... this is a bug" and wrote nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, test } from 'vitest';
import { MAX_BOUND_MULTIPLE } from '../../src/models/conformal.js';
import { REPO_ROOT, runBin } from '../helpers/cli.js';

const SKUS = new Set(['SKU-001', 'SKU-002', 'SKU-003']);

function subset(file: string, from = ''): string {
  const [head, ...rows] = readFileSync(join(REPO_ROOT, 'data/samples', file), 'utf8').trimEnd().split('\n');
  return `${[head, ...rows.filter((r) => SKUS.has(r.split(',')[1]!) && r.split(',')[0]! >= from)].join('\n')}\n`;
}

describe('a model trained for one epoch (binary)', () => {
  test('train warns that its intervals are uncalibrated by the networks; predict writes finite, capped bounds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'degenerate-'));
    writeFileSync(join(dir, 'sales.csv'), subset('sales.csv', '2026-03-01'));
    writeFileSync(join(dir, 'plan.csv'), subset('promo_plan.csv'));
    const tiny = ['--horizon', '28', '--window', '28', '--epochs', '1', '--ensemble', '1', '--units', '8', '--decoder-units', '8', '--combine', 'none', '--workers', '1'];
    const train = runBin(['forecast', 'train', '--data', 'sales.csv', '--model', 'm', ...tiny], { cwd: dir });
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toMatch(/own p10-p90 cover only 0\.\d+ of the validation actuals/);
    const predict = runBin(['forecast', 'predict', '--model', 'm', '--data', 'sales.csv', '--future', 'plan.csv', '--levels', '95', '--out', 'fc.csv'], { cwd: dir });
    expect(predict.code, predict.stderr).toBe(0);
    const most = new Map<string, number>();
    for (const r of readFileSync(join(dir, 'sales.csv'), 'utf8').trimEnd().split('\n').slice(1)) {
      const [, sku, units] = r.split(',');
      most.set(sku!, Math.max(most.get(sku!) ?? 0, Number(units)));
    }
    const [head, ...rows] = readFileSync(join(dir, 'fc.csv'), 'utf8').trimEnd().split('\n');
    const col = Object.fromEntries(head!.split(',').map((c, i) => [c, i]));
    expect(rows).toHaveLength(3 * 28);
    let capped = 0;
    for (const r of rows) {
      const v = r.split(',');
      const cap = MAX_BOUND_MULTIPLE * Math.max(most.get(v[col.sku!]!)!, Number(v[col.forecast!]), 1);
      for (const c of ['forecast', 'sd', 'p10', 'p90', 'lo-95', 'hi-95']) expect(Number.isFinite(Number(v[col[c]!]))).toBe(true);
      expect(Number(v[col.p90!])).toBeLessThanOrEqual(cap + 1e-3);
      expect(Number(v[col['hi-95']!])).toBeLessThanOrEqual(cap + 1e-3);
      if (Number(v[col['hi-95']!]) >= cap - 1e-3) capped++;
    }
    // The cap is what bounds this model's intervals (without it the 95% bounds ran to 1e150 and beyond).
    expect(capped).toBeGreaterThan(0);
  });
});
