/**
 * `stock simulate` through the built binary, where worker threads really run (build first:
 * `npx tsc -p tsconfig.json`; `npm test` does). Same seed -> byte-identical output whatever the
 * number of workers; shards add up to the unsharded run; another seed changes the numbers.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDay, parseDay } from '../../../src/core/calendar.js';
import { REPO_ROOT, runBin } from '../../helpers/cli.js';

let forecast = '';
let leadTimes = '';

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'dist/src/simulation/montecarlo/worker.js'))) throw new Error('build first: npx tsc -p tsconfig.json');
  const dir = mkdtempSync(join(tmpdir(), 'simulate-e2e-'));
  const start = parseDay('2024-01-01');
  const rows = ['sku,date,forecast,sd'];
  const lt = ['sku,lead_time_days,lead_time_sd_days'];
  for (let k = 0; k < 40; k++) {
    const sku = `SKU-${String(k).padStart(3, '0')}`;
    const mu = [2, 30, 120, 400][k % 4]!;
    const cv = [0.2, 0.7, 0.3, 0.1][k % 3]!;
    for (let w = 0; w < 8; w++) rows.push(`${sku},${formatDay(start + 7 * w)},${mu * 7},${(mu * cv * Math.sqrt(7)).toFixed(3)}`);
    if (k % 5 === 0) lt.push(`${sku},${4 + (k % 7)},`, `${sku},${6 + (k % 9)},`);
    else lt.push(`${sku},${3 + (k % 11)},${k % 2 === 0 ? 0 : 1.5}`);
  }
  forecast = join(dir, 'forecast.csv');
  leadTimes = join(dir, 'lead_times.csv');
  writeFileSync(forecast, `${rows.join('\n')}\n`);
  writeFileSync(leadTimes, `${lt.join('\n')}\n`);
});

function simulate(extra: string[]): string {
  const r = runBin(['stock', 'simulate', '--forecast', forecast, '--lead-times', leadTimes, '--paths', '2000', ...extra]);
  expect(r.stderr).not.toMatch(/error/);
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('stock simulate, built binary', () => {
  it('same seed: byte-identical CSV with 1 or 2 worker threads; shards add up to it; another seed differs', () => {
    const one = simulate(['--workers', '1']);
    const two = simulate(['--workers', '2']);
    expect(two).toBe(one);
    const lines = one.trimEnd().split('\n');
    expect(lines).toHaveLength(41);

    const shards = [0, 1, 2].map((k) => simulate(['--workers', '2', '--shard', `${k}/3`]).trimEnd().split('\n'));
    for (const s of shards) expect(s[0]).toBe(lines[0]);
    const union = shards.flatMap((s) => s.slice(1)).sort();
    expect(union).toEqual(lines.slice(1));
    expect(shards.every((s) => s.length > 1)).toBe(true);

    const other = simulate(['--workers', '2', '--seed', '43']).trimEnd().split('\n');
    expect(other[0]).toBe(lines[0]);
    const changed = other.slice(1).filter((l, i) => l !== lines[i + 1]);
    expect(changed.length).toBeGreaterThan(30);
  });

  it('reports worker threads on stderr', () => {
    const r = runBin(['stock', 'simulate', '--forecast', forecast, '--lead-times', leadTimes, '--paths', '200', '--workers', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/simulated 40 SKU\(s\) x 200 paths in [\d.]+s on 2 worker thread\(s\)/);
  });
});
