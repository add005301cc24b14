/**
 * Defects found by a hostile-input audit of every command, one test each: exit code, message, no
 * stack trace, and nothing written or replaced that should not be. In-process runs
 * (tests/helpers/cli.ts) on small files written here; no model is trained.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateSpec } from '../../src/commands/forecast/evaluate.options.js';
import { predictSpec } from '../../src/commands/forecast/predict.options.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hostile-audit-'));
const PREVIOUS = 'previous output, must survive\n';

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function noStack(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(stderr).not.toMatch(/unexpected failure/);
}

/** Two SKUs, 40 days of daily sales. */
function sales(): string {
  const lines = ['date,sku,units'];
  for (let d = 0; d < 40; d++) {
    const day = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
    lines.push(`${day},A,${5 + (d % 7)}`, `${day},B,${10 + (d % 3)}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('--levels with more than 4 decimals (column names lo-L,hi-L carry 4)', () => {
  it('80,80.00001 is refused: it wrote lo-80,hi-80 twice', async () => {
    for (const spec of [predictSpec, evaluateSpec]) {
      expect(() => spec.parse({ model: 'm', data: 's.csv', holdout: '7', levels: '80,80.00001' })).toThrow(/--levels: expected levels with at most 4 decimals .*got 80\.00001/);
      expect(() => spec.parse({ model: 'm', data: 's.csv', holdout: '7', levels: '99.99999' })).toThrow(/at most 4 decimals/);
      expect(spec.parse({ model: 'm', data: 's.csv', holdout: '7', levels: '80.1234,97.5' }).levels).toEqual([80.1234, 97.5]);
    }
    const out = file('levels.csv', PREVIOUS);
    const r = await runCli(['forecast', 'evaluate', '--data', file('sales.csv', sales()), '--holdout', '7', '--models', 'naive', '--levels', '80,80.00001', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--levels: expected levels with at most 4 decimals/);
    expect(readFileSync(out, 'utf8')).toBe(PREVIOUS);
    noStack(r.stderr);
  });
});
