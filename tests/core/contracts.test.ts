/**
 * core/contracts: the score tables and holdout forecasts of `forecast evaluate` (evaluate.ts), the
 * replan's --plans file (replan-plans.ts), the sales history (sales.ts) and the promotion plan (plan.ts).
 * Their round trips through the readers: tests/io/sales.test.ts, tests/io/plan.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { dayFromYmd } from '../../src/core/calendar.js';
import { SCORE_TABLES, holdoutForecastContract, scoreContract } from '../../src/core/contracts/evaluate.js';
import { REPLAN_PLANS_CONTRACT } from '../../src/core/contracts/replan-plans.js';
import { planContract } from '../../src/core/contracts/plan.js';
import { BOOLEAN_CELLS, MISSING_CELLS, salesContract, salesCovariateColumns } from '../../src/core/contracts/sales.js';

const scores = { n: 3, wape: 0.25, accuracy: 0.75, mae: 2, rmse: 2.5, mase: Number.NaN, bias: -0.1, coverage80: 0.8, levels: [{ level: 80, coverage: 0.8, winkler: 9, pinball: 1 }, { level: 97.5, coverage: 1, winkler: 12, pinball: 0.5 }] };

describe('evaluate contracts', () => {
  it('score tables: keys, n, the fixed scores, then per level coverage (80 already fixed), winkler, pinball', () => {
    const c = scoreContract(SCORE_TABLES.perCutoff, [80, 97.5]);
    expect(c.names).toEqual(['model', 'cutoff', 'n', 'wape', 'accuracy', 'mae', 'rmse', 'mase', 'bias', 'coverage80', 'winkler80', 'pinball80', 'coverage97.5', 'winkler97.5', 'pinball97.5']);
    // an undefined score is an empty cell, the cutoff a date
    expect(c.row({ model: 'naive', cutoff: dayFromYmd(2024, 3, 4), scores })).toEqual(['naive', '2024-03-04', 3, 0.25, 0.75, 2, 2.5, null, -0.1, 0.8, 9, 1, 1, 12, 0.5]);
    expect(scoreContract(SCORE_TABLES.perSku, []).names.slice(0, 3)).toEqual(['sku', 'model', 'n']);
    expect(c.rule('mase')).toMatchObject({ kind: 'number', allowEmpty: true });
  });

  it('holdout forecasts: the forecast columns with cutoff, step and actual, then lo-L,hi-L', () => {
    const c = holdoutForecastContract([95]);
    expect(c.names).toEqual(['sku', 'cutoff', 'date', 'step', 'model', 'actual', 'forecast', 'sd', 'p10', 'p90', 'lo-95', 'hi-95']);
    const d = dayFromYmd(2024, 1, 1);
    expect(c.row({ sku: 'A', cutoff: d, day: d + 7, step: 1, model: 'ets', actual: 5, forecast: 4, sd: 1, p10: 3, p90: 5, bounds: [2, 6] })).toEqual(['A', '2024-01-01', '2024-01-08', 1, 'ets', 5, 4, 1, 3, 5, 2, 6]);
  });
});

describe('the --plans contract', () => {
  it('one row per SKU and replan, fresh as 0/1', () => {
    expect(REPLAN_PLANS_CONTRACT.names).toEqual(['replan_date', 'policy', 'service_level_target', 'sku', 'reorder_point', 'order_up_to', 'fresh']);
    const day = dayFromYmd(2024, 4, 20);
    expect(REPLAN_PLANS_CONTRACT.row({ day, policy: 'sQ', serviceLevel: 0.95, sku: 'A', reorderPoint: 12, orderUpTo: 40, fresh: false })).toEqual(['2024-04-20', 'sQ', 0.95, 'A', 12, 40, 0]);
  });
});

describe('the sales contract', () => {
  it('date, sku, units, then the covariates; an unknown value is an empty cell', () => {
    const c = salesContract(['price', 'promo']);
    expect(c.names).toEqual(['date', 'sku', 'units', 'price', 'promo']);
    const day = dayFromYmd(2026, 10, 30);
    expect(c.row({ day, sku: 'SKU-001', units: 14, covariates: [4.99, 0] })).toEqual(['2026-10-30', 'SKU-001', 14, 4.99, 0]);
    expect(c.row({ day, sku: 'A', units: Number.NaN, covariates: [Number.NaN, 1] })).toEqual(['2026-10-30', 'A', null, null, 1]);
  });

  it('the fixed columns under the names the reader is given (--date-col, --sku-col, --target-col)', () => {
    const c = salesContract(['IsHoliday'], { date: 'Date', sku: 'Store_Dept', target: 'Weekly_Sales' });
    expect(c.names).toEqual(['Date', 'Store_Dept', 'Weekly_Sales', 'IsHoliday']);
    expect(c.rule('Date').kind).toBe('date');
    expect(c.rule('Store_Dept').kind).toBe('string');
  });

  it('target and covariates: empty allowed (unknown), at most 1e12 either way', () => {
    const c = salesContract(['price']);
    for (const name of ['units', 'price']) expect(c.rule(name)).toMatchObject({ kind: 'number', allowEmpty: true, min: -1e12, max: 1e12 });
    expect(c.rule('date').allowEmpty).toBeUndefined();
    expect(c.rules().every((r) => r.required !== false)).toBe(true);
  });

  it('covariate columns: every other named column, once, in header order', () => {
    expect(salesCovariateColumns(['promo', 'date', 'sku', 'units', '', 'price', 'promo'])).toEqual(['promo', 'price']);
    expect(salesCovariateColumns(['ds', 'unique_id', 'y', 'units'], { date: 'ds', sku: 'unique_id', target: 'y' })).toEqual(['units']);
  });

  it('cell words: NA and empty are unknown, TRUE/FALSE are 1/0', () => {
    expect([...MISSING_CELLS]).toEqual(['', 'NA', 'N/A', 'na', 'n/a']);
    expect(BOOLEAN_CELLS.get('True')).toBe(1);
    expect(BOOLEAN_CELLS.get('FALSE')).toBe(0);
  });
});

describe('the plan contract', () => {
  it('date, sku, then the model\'s covariates in its order; every covariate a required number', () => {
    const c = planContract(['price', 'promo', 'holiday']);
    expect(c.names).toEqual(['date', 'sku', 'price', 'promo', 'holiday']);
    expect(c.row({ day: dayFromYmd(2026, 11, 1), sku: 'SKU-002', values: [19.99, 1, 0] })).toEqual(['2026-11-01', 'SKU-002', 19.99, 1, 0]);
    expect(c.rule('promo')).toEqual({ name: 'promo', kind: 'number' });
    expect(planContract([], { date: 'Tag', sku: 'Artikel' }).names).toEqual(['Tag', 'Artikel']);
  });
});
