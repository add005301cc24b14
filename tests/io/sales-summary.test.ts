/** summarizeSales: what data inspect reports, on small in-memory tables. */
import { describe, expect, it } from 'vitest';
import { summarizeSales, summaryPairs } from '../../src/io/sales-summary.js';
import type { IngestReport } from '../../src/io/sales.js';
import { parseDay } from '../../src/core/calendar.js';
import { makeSalesData } from '../../src/sales-data.js';

const data = makeSalesData('D', ['promo'], [
  { sku: 'A', start: '2024-01-01', units: [0, 2, NaN, NaN, 4, 0], covariates: [[1, 1, 0, 0, 0, 0]] },
  { sku: 'B', start: '2024-01-03', units: [5], covariates: [[0]] },
]);
const report: IngestReport = {
  file: 'x.csv', rows: 5, skus: 2, firstDay: parseDay('2024-01-01'), lastDay: parseDay('2024-01-06'), freq: 'D', freqDetected: true,
  gaps: [{ sku: 'A', missing: 2, longest: 2 }], negatives: 0, duplicatesAggregated: 0, shortSkus: ['B'], ignoredColumns: [], missingTargets: 0, covariateCellsFilled: 0,
};

const SHORT = { skus: new Set(['B']), pairs: [['lstm_window', 8], ['lstm_min_observed', 2]] as [string, number][], models: new Map([['A', 'lstm+promo_regression'], ['B', 'moving_average']]) };

describe('summarizeSales', () => {
  it('per SKU: periods, observed, gaps, zero share, promotion share, too short', () => {
    const s = summarizeSales(data, report, SHORT);
    expect(s.skus[0]).toMatchObject({ sku: 'A', first: '2024-01-01', last: '2024-01-06', periods: 6, observed: 4, missing: 2, longestGap: 2, zeroShare: 0.5, meanUnits: 1.5, tooShort: false, predictModel: 'lstm+promo_regression' });
    expect(s.skus[0]!.activeShare[0]).toBeCloseTo(2 / 6);
    expect(s.skus[1]).toMatchObject({ sku: 'B', periods: 1, observed: 1, missing: 0, zeroShare: 0, tooShort: true, predictModel: 'moving_average' });
  });

  it('overall: totals, worst gap, covariate shares', () => {
    const s = summarizeSales(data, report, SHORT);
    expect(s).toMatchObject({ periods: 7, observed: 5, missing: 2, skusWithGaps: 1, worstGap: { sku: 'A', longest: 2 }, tooShort: ['B'] });
    expect(s.zeroShare).toBeCloseTo(2 / 5);
    expect(s.covariates[0]).toMatchObject({ name: 'promo', min: 0, max: 1 });
    expect(s.covariates[0]!.activeShare).toBeCloseTo(2 / 7);
    const pairs = Object.fromEntries(summaryPairs(s));
    expect(pairs).toMatchObject({ skus: 2, first_date: '2024-01-01', frequency: 'daily (detected)', worst_gap: '2 periods (A)', lstm_window: 8, lstm_min_observed: 2, too_short_skus: 1, too_short: 'B', single_row: 'B' });
    const keys = summaryPairs(s).map(([k]) => k);
    expect(keys.slice(keys.indexOf('lstm_window'), keys.indexOf('too_short') + 1)).toEqual(['lstm_window', 'lstm_min_observed', 'too_short_skus', 'too_short']);
  });

  it('without a rule (the caller says which SKUs are too short), none is', () => {
    const s = summarizeSales(data, report);
    expect(s.tooShort).toEqual([]);
    expect(s.skus.map((k) => [k.tooShort, k.predictModel])).toEqual([[false, ''], [false, '']]);
  });
});
