/**
 * Models saved by earlier versions (tests/fixtures/saved-models/README.md) load and forecast
 * byte-identically to what the version that saved them wrote: feature version 1 (one scale per
 * SKU), 2 (each window's own scale, no Easter flag in the calendar) and 3 (the Easter flag, the
 * version this stockcast writes: any change to its forecasts must be deliberate). Two forecasts each: from the
 * end of the fixture's history, and from 2026-03-31 over the week of Easter 2026 (the history cut
 * there, the plan taken from the actual covariates), where the versions' scales and calendars differ.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const FIXTURES = join(REPO_ROOT, 'tests/fixtures/saved-models');
const SALES = join(FIXTURES, 'sales.csv');

/** The history up to 2026-03-31 and the plan of the 7 days after it, from the fixture's sales (date,sku,units,price,promo,holiday). */
function easterWeek(): { sales: string; plan: string } {
  const [head, ...rows] = readFileSync(SALES, 'utf8').trim().split('\n');
  const dir = mkdtempSync(join(tmpdir(), 'saved-models-'));
  const sales = join(dir, 'sales.csv');
  const plan = join(dir, 'plan.csv');
  writeFileSync(sales, [head, ...rows.filter((r) => r.slice(0, 10) <= '2026-03-31')].join('\n') + '\n');
  const week = rows.filter((r) => r.slice(0, 10) >= '2026-04-01' && r.slice(0, 10) <= '2026-04-07').map((r) => r.split(',').filter((_, i) => i !== 2).join(','));
  writeFileSync(plan, ['date,sku,price,promo,holiday', ...week].join('\n') + '\n');
  return { sales, plan };
}

describe('models saved by earlier versions', () => {
  const early = easterWeek();
  for (const version of [1, 2, 3]) {
    const dir = join(FIXTURES, `feature-v${version}`);
    const predict = (sales: string, plan: string) =>
      runCli(['forecast', 'predict', '--model', join(dir, 'model'), '--data', sales, '--future', plan, '--levels', '80,95', '--backend', 'wasm']);

    test(`feature version ${version}: forecast predict writes the bytes the saving version wrote`, async () => {
      const meta = JSON.parse(readFileSync(join(dir, 'model/metadata.json'), 'utf8')) as { features: { version: number } };
      expect(meta.features.version).toBe(version);
      const end = await predict(SALES, join(FIXTURES, 'plan.csv'));
      expect([end.code, end.stderr]).toEqual([0, expect.not.stringMatching(/error/i)]);
      expect(end.stdout).toBe(readFileSync(join(dir, 'expected.csv'), 'utf8'));
      const easter = await predict(early.sales, early.plan);
      expect(easter.code).toBe(0);
      expect(easter.stdout).toBe(readFileSync(join(dir, 'expected-early.csv'), 'utf8'));
    });
  }
});
