/** The seeded sample generator and the committed data/samples files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDay } from '../../src/core/calendar.js';
import { readSales } from '../../src/io/sales.js';
import { generateSamples } from '../../scripts/samples/files.js';
import { DEFAULT_CONFIG, holidays } from '../../scripts/samples/sales.js';
import { REPO_ROOT } from '../helpers/cli.js';

const files = generateSamples(DEFAULT_CONFIG);
const rows = (text: string) => text.trim().split('\n').slice(1).map((l) => l.split(','));

describe('sample data', () => {
  it('the committed files are exactly what the generator writes (run npm run samples after changing it)', () => {
    for (const [name, content] of Object.entries(files)) expect(readFileSync(join(REPO_ROOT, 'data/samples', name), 'utf8'), name).toBe(content);
  });

  it('same seed -> identical, other seed -> different', () => {
    const small = { ...DEFAULT_CONFIG, skus: 4, historyDays: 120 };
    expect(generateSamples(small)).toEqual(generateSamples(small));
    expect(generateSamples({ ...small, seed: 'other' })['sales.csv']).not.toBe(generateSamples(small)['sales.csv']);
  });

  it('sales.csv: schema, ~50 SKUs over 3 years to 2026-10-31, integer units >= 0, under 3 MB', async () => {
    const text = files['sales.csv'];
    expect(text.length).toBeLessThan(3_000_000);
    expect(text.split('\n')[0]).toBe('date,sku,units,price,promo,holiday');
    const badUnits = rows(text).filter((r) => !/^\d+$/.test(r[2]!));
    expect(badUnits).toEqual([]);
    const { data, report } = await readSales(join(REPO_ROOT, 'data/samples/sales.csv'), {
      dateCol: 'date', skuCol: 'sku', targetCol: 'units', delimiter: ',', dateFormat: 'YYYY-MM-DD', fill: 'missing', negative: 'error',
    });
    expect(report).toMatchObject({ skus: 50, freq: 'D', lastDay: parseDay('2026-10-31'), gaps: [], negatives: 0 });
    expect(report.lastDay - report.firstDay + 1).toBe(1095);
    expect(data.covariates).toEqual(['price', 'promo', 'holiday']);
    expect(data.series[0]!.sku).toBe('SKU-001');
    const lengths = data.series.map((s) => s.units.length).sort((a, b) => a - b);
    expect(lengths[0]).toBeLessThan(60); // a new SKU too short to train on
    expect(lengths[1]).toBeLessThan(365); // and another new one
    expect(lengths[2]).toBe(1095);
  });

  it('promotions cut the price and lift sales; holidays lift sales; slow movers are intermittent', () => {
    let promo = 0, promoN = 0, base = 0, baseN = 0, hol = 0, holN = 0, cheaper = 0;
    const zeroShare = new Map<string, [number, number]>();
    const basePrice = new Map<string, number>();
    for (const [, sku, u, price, p, h] of rows(files['sales.csv'])) {
      const units = Number(u);
      const z = zeroShare.get(sku!) ?? [0, 0];
      zeroShare.set(sku!, [z[0] + (units === 0 ? 1 : 0), z[1] + 1]);
      if (p === '1') {
        promo += units;
        promoN++;
        if (Number(price) < basePrice.get(sku!)!) cheaper++;
      } else if (h === '1') {
        hol += units;
        holN++;
      } else {
        base += units;
        baseN++;
        basePrice.set(sku!, Number(price));
      }
    }
    expect(promo / promoN / (base / baseN)).toBeGreaterThan(1.4);
    expect(hol / holN / (base / baseN)).toBeGreaterThan(1.2);
    expect(cheaper).toBe(promoN);
    const intermittent = [...zeroShare.values()].filter(([z, n]) => z / n > 0.5);
    expect(intermittent.length).toBeGreaterThanOrEqual(3);
  });

  it('holidays include Black Friday and Christmas Eve', () => {
    const h = holidays(2025, 2025);
    expect(h.has(parseDay('2025-11-28'))).toBe(true);
    expect(h.has(parseDay('2025-12-24'))).toBe(true);
    expect(h.size).toBe(7);
  });

  it('promo_plan.csv: the 56 days after the history for every SKU', () => {
    const plan = rows(files['promo_plan.csv']);
    expect(files['promo_plan.csv'].split('\n')[0]).toBe('date,sku,price,promo,holiday');
    expect(plan).toHaveLength(56 * 50);
    expect(plan[0]![0]).toBe('2026-11-01');
    expect(plan[plan.length - 1]![0]).toBe('2026-12-26');
    expect(new Set(plan.map((r) => r[1])).size).toBe(50);
  });

  it('lead_times.csv: a mean and sd per SKU, several observed rows (sd empty) for a few', () => {
    const lt = rows(files['lead_times.csv']);
    const bySku = new Map<string, string[][]>();
    for (const r of lt) bySku.set(r[0]!, [...(bySku.get(r[0]!) ?? []), r]);
    expect(bySku.size).toBe(50);
    const multi = [...bySku.values()].filter((v) => v.length > 1);
    expect(multi.length).toBeGreaterThanOrEqual(4);
    expect(multi.length).toBeLessThanOrEqual(7);
    for (const v of multi) for (const r of v) expect(r[2]).toBe('');
    for (const v of bySku.values()) if (v.length === 1) expect(Number(v[0]![2])).toBeGreaterThan(0);
  });

  it('inventory.csv: one row per SKU, constraints for some', () => {
    const inv = rows(files['inventory.csv']);
    expect(files['inventory.csv'].split('\n')[0]).toBe('sku,on_hand,on_order,backorders,moq,pack_size,max_qty');
    expect(inv).toHaveLength(50);
    for (const c of [4, 5, 6]) {
      const filled = inv.filter((r) => r[c] !== '').length;
      expect(filled).toBeGreaterThan(0);
      expect(filled).toBeLessThan(50);
    }
    expect(inv.some((r) => r[1] === '0' && Number(r[3]) > 0)).toBe(true); // out of stock with backorders
  });
});
