/** The synthetic grocery panel of the forecast bench (bench/grocery.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GROCERY_CONFIG, GROCERY_HARD, groceryCsv } from '../../bench/grocery.js';
import { readSales } from '../../src/io/sales.js';

const rows = (text: string) => text.trim().split('\n').slice(1).map((l) => l.split(','));

describe('synthetic grocery panel', () => {
  const text = groceryCsv(GROCERY_CONFIG);

  it('same seed -> identical, other seed -> different', () => {
    const small = { ...GROCERY_CONFIG, stores: 3, brands: 4, weeks: 30 };
    expect(groceryCsv(small)).toBe(groceryCsv(small));
    expect(groceryCsv({ ...small, seed: 7 })).not.toBe(groceryCsv(small));
  });

  it('stockcast reads it as is: 913 weekly series over 120 weeks, price/deal/feature, about 5% of the weeks absent', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'grocery-')), 'sales.csv');
    writeFileSync(path, text);
    const { data, report } = await readSales(path, {
      dateCol: 'date', skuCol: 'sku', targetCol: 'units', delimiter: ',', dateFormat: 'YYYY-MM-DD', fill: 'missing', negative: 'error',
    });
    expect(report).toMatchObject({ skus: 913, freq: 'W', negatives: 0 });
    expect(data.covariates).toEqual(['price', 'deal', 'feature']);
    expect(data.series.every((s) => s.units.length === 120)).toBe(true);
    const observed = data.series.reduce((a, s) => a + s.observed.reduce((x, o) => x + o, 0), 0);
    expect(observed / (913 * 120)).toBeGreaterThan(0.93);
    expect(observed / (913 * 120)).toBeLessThan(0.97);
  });

  it('deals cut the price by 10-40% and lift sales; feature ads come mostly with deals', () => {
    const regular = new Map<string, number>();
    let deals = 0, features = 0, featuredDeals = 0, dealUnits = 0, otherUnits = 0, minCut = 1, maxCut = 0;
    const all = rows(text);
    for (const [, sku, , price, deal] of all) if (deal === '0') regular.set(sku!, Math.max(regular.get(sku!) ?? 0, Number(price)));
    for (const [, sku, u, price, deal, feature] of all) {
      if (deal === '1') {
        deals++;
        dealUnits += Number(u);
        const cut = 1 - Number(price) / regular.get(sku!)!;
        minCut = Math.min(minCut, cut);
        maxCut = Math.max(maxCut, cut);
      } else otherUnits += Number(u);
      if (feature === '1') {
        features++;
        if (deal === '1') featuredDeals++;
      }
    }
    // Against the highest regular price: a regular price step of up to 10% may sit between.
    expect(minCut).toBeGreaterThan(0.05);
    expect(maxCut).toBeLessThan(0.5);
    expect(deals / all.length).toBeGreaterThan(0.15);
    expect(deals / all.length).toBeLessThan(0.35);
    expect(featuredDeals / features).toBeGreaterThan(0.75);
    expect(dealUnits / deals / (otherUnits / (all.length - deals))).toBeGreaterThan(2);
  });

  it('the hard variant keeps the plan columns, and adds post-deal dips and noise', () => {
    const small = { stores: 20, brands: 11, weeks: 60 };
    const plain = rows(groceryCsv({ ...GROCERY_CONFIG, ...small }));
    const hard = rows(groceryCsv({ ...GROCERY_HARD, ...small }));
    const key = (r: string[]) => [r[0], r[1], r[3], r[4], r[5]].join(',');
    expect(hard.map(key)).toEqual(plain.map(key));
    // Mean log units of the weeks right after a deal, relative to the series' other regular weeks.
    const dip = (all: string[][]) => {
      let after = 0, nAfter = 0, other = 0, nOther = 0;
      for (let i = 1; i < all.length; i++) {
        const [r, prev] = [all[i]!, all[i - 1]!];
        if (r[1] !== prev[1] || r[4] === '1') continue;
        const v = Math.log(Number(r[2]) + 1);
        if (prev[4] === '1') [after, nAfter] = [after + v, nAfter + 1];
        else [other, nOther] = [other + v, nOther + 1];
      }
      return after / nAfter - other / nOther;
    };
    expect(dip(hard) - dip(plain)).toBeLessThan(-0.08);
  });
});
