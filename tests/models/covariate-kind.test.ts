/** models/covariate-kind.ts: one classifier of covariates, shared by the LSTM (scaling.ts) and the regressions (baselines/_features.ts). */
import { describe, expect, it } from 'vitest';
import { classifyCovariates, covFeature } from '../../src/models/baselines/_features.js';
import { type CovariateKind, covariateKind, shortLivedCovariates } from '../../src/models/covariate-kind.js';
import { fitCovariateTransforms } from '../../src/models/scaling.js';
import { makeSalesData } from '../../src/sales-data.js';

/** One covariate named `name`, two SKUs with these values. */
function oneCovariate(name: string, a: number[], b: number[]) {
  return makeSalesData('W', [name], [
    { sku: 'A', start: '2022-01-03', units: a.map(() => 5), covariates: [a] },
    { sku: 'B', start: '2022-01-03', units: b.map(() => 5), covariates: [b] },
  ]);
}

describe('covariateKind', () => {
  const table: [string, number[], number[], CovariateKind][] = [
    ['promo', [0, 1, 0], [1, 1, 0], 'flag'],
    ['holiday', [Number.NaN, Number.NaN], [Number.NaN, Number.NaN], 'flag'],
    ['price', [9.99, 8.99, 9.99], [4.5, 4.5, 3.99], 'price'],
    ['Fuel_Price', [2.5, 2.6], [2.7, 2.5], 'price'],
    ['price', [9.99, Number.NaN], [4.5, 4.5], 'price'],
    // a 0/1 column is a flag whatever its name: as a price both its values would be the neutral 0
    ['price', [0, 1, 1], [1, 0, 0], 'flag'],
    ['price_cut', [0, 1], [0, 0], 'flag'],
    // a "price" with values <= 0 has no log ratio to a usual price
    ['price', [9.99, 0, 2], [4.5, 4.5, 3], 'numeric'],
    ['price', [9.99, -1], [4.5, 4.5], 'numeric'],
    ['markdown', [0, 120.5, 3], [0, 0, 7], 'numeric'],
    ['temperature', [-3, 12], [20, 1], 'numeric'],
  ];
  it.each(table)('%s %j %j -> %s', (name, a, b, kind) => {
    const data = oneCovariate(name, a, b);
    expect(covariateKind(data, 0)).toBe(kind);
    // the LSTM and the regressions see the same kind
    expect(fitCovariateTransforms(data)[0]!.kind).toBe(kind);
    expect(classifyCovariates(data)[0]!.kind).toBe(kind);
  });
});

describe('shortLivedCovariates (numeric columns that only started to vary less than a yearly cycle before the end)', () => {
  // 156 weeks from 2022-01-03 (day numbers: parseDay). Column values by week t.
  const weeks = 156;
  const panel = (cols: Record<string, (t: number, sku: number) => number>) =>
    makeSalesData(
      'W',
      Object.keys(cols),
      [0, 1].map((i) => ({
        sku: `S${i}`,
        start: '2022-01-03',
        units: Array.from({ length: weeks }, () => 5),
        covariates: Object.values(cols).map((f) => Array.from({ length: weeks }, (_, t) => f(t, i))),
      })),
    );
  const data = panel({
    // 0 (or not recorded) until week 120, then amounts: 36 weeks of variation, under a year
    markdown: (t) => (t < 120 ? 0 : 100 + (t % 5)),
    unrecorded: (t) => (t < 120 ? Number.NaN : 100 + (t % 5)),
    // varies from the start
    temperature: (t) => 10 + 10 * Math.sin(t / 8),
    // a flag and a price that only start late are left to the models (not numeric)
    promo: (t) => (t >= 120 && t % 4 === 0 ? 1 : 0),
    price: (t) => (t < 120 ? 10 : 9),
    // constant: never varies (the inert rule's business, not this one's)
    constant: () => 3,
    // starts to vary in one SKU only: the first change over all SKUs counts
    oneSku: (t, i) => (i === 1 && t >= 90 ? t : 0),
  });
  const end = data.series[0]!.start + (weeks - 1) * 7;

  it('names the numeric columns whose first change is less than a year (and half the history) before the end', () => {
    expect(shortLivedCovariates(data, end).map((k) => data.covariates[k])).toEqual(['markdown', 'unrecorded']);
  });

  it('looks at the periods up to `end` only, and the change must be less than 364 days old', () => {
    const change = data.series[0]!.start + 120 * 7;
    // Before the change the markdowns have not varied yet (oneSku has, from week 90: 29 weeks before);
    // 363 days after it they are still short-lived, 364 days after, not.
    expect(shortLivedCovariates(data, change - 7).map((k) => data.covariates[k])).toEqual(['oneSku']);
    expect(shortLivedCovariates(data, change + 363).map((k) => data.covariates[k])).toEqual(['markdown', 'unrecorded']);
    // unrecorded's first change is at week 121, the week after its first recorded value.
    expect(shortLivedCovariates(data, change + 364).map((k) => data.covariates[k])).toEqual(['unrecorded']);
    expect(shortLivedCovariates(data, change + 7 + 364)).toEqual([]);
  });

  it('on a history shorter than two years, less than half of it', () => {
    const short = makeSalesData('W', ['markdown'], [{ sku: 'A', start: '2022-01-03', units: Array.from({ length: 40 }, () => 5), covariates: [Array.from({ length: 40 }, (_, t) => (t < 10 ? 0 : t))] }]);
    const e = short.series[0]!.start + 39 * 7;
    // Varies over 30 of 40 weeks: kept, although under a year.
    expect(shortLivedCovariates(short, e)).toEqual([]);
    const late = makeSalesData('W', ['markdown'], [{ sku: 'A', start: '2022-01-03', units: Array.from({ length: 40 }, () => 5), covariates: [Array.from({ length: 40 }, (_, t) => (t < 25 ? 0 : t))] }]);
    expect(shortLivedCovariates(late, e)).toEqual([0]);
  });

  it('classifyCovariates feeds them as neutral (0) in the regressions', () => {
    const covs = classifyCovariates(data);
    expect(covs.map((c) => c.neutral === true)).toEqual([true, true, false, false, false, false, false]);
    expect(covFeature(covs[0]!, 250, Number.NaN)).toBe(0);
    expect(covFeature(covs[2]!, 20, Number.NaN)).not.toBe(0);
    // Fitted at week 100, before the markdowns changed: only oneSku (from week 90) is short-lived.
    expect(classifyCovariates(data, data.series[0]!.start + 100 * 7).map((c) => c.neutral === true)).toEqual([false, false, false, false, false, false, true]);
  });
});
