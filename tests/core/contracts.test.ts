/** core/contracts: the score tables and holdout forecasts of `forecast evaluate` (evaluate.ts), the replan's --plans file (replan-plans.ts). */
import { describe, expect, it } from 'vitest';
import { dayFromYmd } from '../../src/core/calendar.js';
import { SCORE_TABLES, holdoutForecastContract, scoreContract } from '../../src/core/contracts/evaluate.js';
import { REPLAN_PLANS_CONTRACT } from '../../src/core/contracts/replan-plans.js';

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
