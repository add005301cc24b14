/** models/covariate-kind.ts: one classifier of covariates, shared by the LSTM (scaling.ts) and the regressions (baselines/_features.ts). */
import { describe, expect, it } from 'vitest';
import { classifyCovariates } from '../../src/models/baselines/_features.js';
import { type CovariateKind, covariateKind } from '../../src/models/covariate-kind.js';
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
