/** commands/forecast/_run-training.ts: how train reports the shipped members' weights. */
import { describe, expect, it } from 'vitest';
import { describeWeights } from '../../../src/commands/forecast/_run-training.js';

describe('describeWeights', () => {
  it('says equal weights when every member has the same weight', () => {
    expect(describeWeights([{ model: 'lstm', weight: 1 / 3 }, { model: 'promo_regression', weight: 1 / 3 }, { model: 'arimax', weight: 1 / 3 }])).toBe('equal weights');
  });

  it('names each member and its weight otherwise', () => {
    expect(describeWeights([{ model: 'lstm', weight: 0.75 }, { model: 'arimax', weight: 0.25 }])).toBe('weights lstm 0.75, arimax 0.25');
    expect(describeWeights([{ model: 'lstm', weight: 0.5 }, { model: 'promo_regression', weight: 0.25 }, { model: 'arimax', weight: 0.25 }])).toBe('weights lstm 0.50, promo_regression 0.25, arimax 0.25');
  });
});
