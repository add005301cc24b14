/**
 * Numeric covariates that only started to vary less than a yearly cycle before the end
 * (models/covariate-kind.ts shortLivedCovariates): `data inspect` and `forecast train` say so, and
 * the saved model records them (`validation.shortLived`) and feeds them as neutral.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDay, parseDay } from '../../src/core/calendar.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-short-lived-'));
const TRAIN = ['--horizon', '4', '--ensemble', '1', '--window', '8', '--units', '8', '--epochs', '2', '--samples-per-epoch', '256', '--batch-size', '64', '--backend', 'wasm', '--seed', '3', '--combine', 'none'];

beforeAll(() => {
  // 80 weeks, 3 SKUs: markdown is 0 until week 60 and then amounts (20 weeks: short-lived);
  // temperature varies from the first week.
  const start = parseDay('2022-01-03');
  const lines = ['date,sku,units,markdown,temperature'];
  for (let k = 0; k < 3; k++) {
    for (let t = 0; t < 80; t++) {
      const markdown = t < 60 ? 0 : 100 * (1 + ((t + k) % 4));
      lines.push([formatDay(start + 7 * t), `S${k}`, 20 + k + (t % 5), markdown, (10 + 8 * Math.sin(t / 8)).toFixed(2)].join(','));
    }
  }
  writeFileSync(join(dir, 'sales.csv'), `${lines.join('\n')}\n`);
});

describe('short-lived numeric covariates', () => {
  it('data inspect names them and says every model feeds them as neutral', async () => {
    const r = await runCli(['data', 'inspect', '--data', 'sales.csv', '--format', 'csv', '--summary'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/covariate\(s\) "?markdown"? only started to vary less than a year before the end of the data: forecast train, predict and evaluate feed them as neutral/);
    expect(r.stderr).not.toMatch(/temperature"? only started/);
  });

  it('forecast train warns, records them in metadata.json and feeds them as neutral', async () => {
    const r = await runCli(['forecast', 'train', '--data', 'sales.csv', '--model', 'model', ...TRAIN], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: covariates fed as neutral \(they only started to vary less than a year before the end of the training periods.*\): markdown$/m);
    const meta = JSON.parse(readFileSync(join(dir, 'model', 'metadata.json'), 'utf8'));
    expect(meta.validation.shortLived).toEqual(['markdown']);
    expect(meta.features.covariates.map((c: { name: string; neutral?: boolean }) => [c.name, c.neutral === true])).toEqual([
      ['markdown', true],
      ['temperature', false],
    ]);
  });
});
