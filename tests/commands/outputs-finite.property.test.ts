/**
 * Property: for random valid inputs, no command writes an empty, NaN or Infinity cell. Each run
 * either succeeds and every cell of its CSV is a non-empty finite number or a non-empty text, or it
 * fails and writes nothing. Covered: forecast predict (a tiny model trained once), stock simulate
 * ((s,Q) and (R,S), cycle and fill), stock reorder on simulate's policy, stock backtest --per-sku.
 * The only deliberately empty cells: backtest rates of a SKU without demand (documented).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'finite-out-'));
const ENV = { STOCKCAST_TODAY: '2027-01-01' };
const day = (i: number) => new Date(Date.UTC(2026, 8, 1 + i)).toISOString().slice(0, 10);
const NUMBER = /^-?\d+(\.\d+)?$/;
let n = 0;
const file = (name: string, text: string) => {
  const p = join(dir, `${n++}-${name}`);
  writeFileSync(p, text);
  return p;
};

/** Split a CSV written by stockcast (quoted fields allowed). */
function cells(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        f += '"';
        i++;
      } else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(f);
      f = '';
    } else if (c === '\n') {
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
    } else f += c;
  }
  return rows;
}

function expectAllCells(csv: string, numeric: string[], allowEmpty: string[] = []): void {
  const [header, ...rows] = cells(csv);
  expect(header).toBeDefined();
  for (const r of rows) {
    expect(r).toHaveLength(header!.length);
    r.forEach((v, j) => {
      const col = header![j]!;
      if (v === '' && allowEmpty.includes(col)) return;
      expect(v, `${col} of ${r[0]}`).not.toBe('');
      expect(v).not.toMatch(/NaN|Infinity|e[+-]?\d/);
      if (numeric.includes(col)) expect(v, `${col} of ${r[0]}`).toMatch(NUMBER);
    });
  }
}

const TRAIN = ['--horizon', '4', '--window', '8', '--units', '8', '--ensemble', '1', '--epochs', '1', '--samples-per-epoch', '128', '--batch-size', '32', '--backend', 'wasm', '--seed', '2'];
const MODEL = join(dir, 'model');

beforeAll(async () => {
  const r = await runCli(['forecast', 'train', '--data', 'tests/fixtures/hostile/sales-ok.csv', '--model', MODEL, '--quiet', ...TRAIN], { env: ENV });
  if (r.code !== 0) throw new Error(r.stderr);
}, 120_000);

const units = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 1e6, noNaN: true }).map((x) => Math.round(x * 100) / 100));
/** A SKU's history: 1 to 40 days ending at most a few days before the others, with gaps. */
const history = fc.record({ length: fc.integer({ min: 1, max: 40 }), endGap: fc.integer({ min: 0, max: 5 }), cells: fc.array(fc.option(units, { nil: undefined, freq: 6 }), { minLength: 40, maxLength: 40 }), promo: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 40, maxLength: 40 }), price: fc.double({ min: 2, max: 9.99, noNaN: true }) });

describe('no command writes an empty, NaN or Infinity cell', () => {
  it('forecast predict', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(history, { minLength: 1, maxLength: 4 }), async (skus) => {
        const lines = ['date,sku,units,price,promo'];
        skus.forEach((s, k) => {
          const end = 59 - s.endGap;
          for (let i = end - s.length + 1; i <= end; i++) {
            const u = s.cells[i - (end - s.length + 1)];
            if (u === undefined && i !== end) continue; // a gap (the last row is kept)
            lines.push(`${day(i)},R${k},${u ?? 0},${s.price.toFixed(2)},${s.promo[i % 40]}`);
          }
        });
        const sales = file('sales.csv', `${lines.join('\n')}\n`);
        const out = join(dir, `${n++}-forecast.csv`);
        const r = await runCli(['forecast', 'predict', '--model', MODEL, '--data', sales, '--plan-fill', 'last', '--out', out, '--quiet'], { env: ENV });
        expect(r.code, r.stderr).toBe(0);
        expectAllCells(readFileSync(out, 'utf8'), ['forecast', 'sd', 'p10', 'p90']);
      }),
      { numRuns: 8 },
    );
  }, 120_000);

  const forecastRow = fc.record({ mean: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true })), cv: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })) });
  const sku = fc.record({
    days: fc.array(forecastRow, { minLength: 1, maxLength: 40 }),
    lead: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })),
    leadSd: fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 5 }).map(String)),
    onHand: fc.integer({ min: 0, max: 1000 }),
  });

  it('stock simulate, reorder and backtest', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sku, { minLength: 1, maxLength: 5 }),
        fc.constantFrom('cycle', 'fill'),
        fc.option(fc.integer({ min: 1, max: 14 }), { nil: undefined }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        async (skus, serviceType, review, level) => {
          const f = ['sku,date,forecast,sd'];
          const lt = ['sku,lead_time_days,lead_time_sd_days'];
          const inv = ['sku,on_hand'];
          const sales = ['date,sku,units'];
          skus.forEach((s, k) => {
            s.days.forEach((d, i) => f.push(`Q${k},${day(60 + i)},${d.mean.toFixed(3)},${(d.mean * d.cv).toFixed(3)}`));
            lt.push(`Q${k},${s.lead},${s.lead === 0 ? '' : s.leadSd}`);
            inv.push(`Q${k},${s.onHand}`);
            for (let i = 0; i < 30; i++) sales.push(`${day(i)},Q${k},${Math.round(s.days[i % s.days.length]!.mean)}`);
          });
          const policy = join(dir, `${n++}-policy.csv`);
          const sim = await runCli(
            ['stock', 'simulate', '--forecast', file('f.csv', `${f.join('\n')}\n`), '--lead-times', file('lt.csv', `${lt.join('\n')}\n`), '--paths', '200', '--service-type', serviceType, '--service-level', level.toFixed(3), '--extend-horizon', 'repeat-last', '--freq', 'D', '--out', policy, '--quiet', ...(review === undefined ? [] : ['--review-period', String(review)])],
            { env: ENV },
          );
          expect(sim.code, sim.stderr).toBe(0);
          const policyText = readFileSync(policy, 'utf8');
          expectAllCells(policyText, ['lead_time_mean', 'lead_time_sd', 'demand_mean', 'demand_sd', 'safety_stock', 'reorder_point', 'order_up_to', 'service_level_target', 'cycle_service_level', 'fill_rate', 'paths']);
          const ro = await runCli(['stock', 'reorder', '--policy', policy, '--inventory', file('inv.csv', `${inv.join('\n')}\n`), '--all', '--format', 'csv', '--quiet'], { env: ENV });
          expect(ro.code, ro.stderr).toBe(0);
          expectAllCells(ro.stdout, ['inventory_position', 'reorder_point', 'order_up_to', 'order_qty']);
          const bt = await runCli(['stock', 'backtest', '--data', file('s.csv', `${sales.join('\n')}\n`), '--policy', policy, '--from', day(10), '--per-sku', '-', '--quiet', ...(review === undefined ? [] : ['--review-period', String(review)])], { env: ENV });
          expect(bt.code, bt.stderr).toBe(0);
          expectAllCells(bt.stdout, ['demand', 'served', 'unmet', 'fill_rate', 'cycle_service_level', 'stockout_days', 'avg_on_hand', 'orders'], ['fill_rate', 'cycle_service_level']);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);
});
