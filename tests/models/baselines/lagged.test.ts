/**
 * Lagged promotion regressors of promo_regression and arimax (_features.ts `lagged`): the week
 * after a promotion sells less (pantry loading), and the models see it from the plan.
 */
import { describe, expect, it } from 'vitest';
import { ArimaxForecaster, PromoRegressionForecaster } from '../../../src/models/baselines/index.js';
import type { Forecaster } from '../../../src/models/forecaster.js';
import { splitHoldout } from '../../../src/models/holdout.js';
import { scoreForecasts } from '../../../src/models/metrics.js';
import { mulberry32 } from '../../../src/core/random.js';
import { makeSalesData } from '../../../src/sales-data.js';

/** 30 weekly SKUs over 130 weeks: log units = level + 0.6 promo - 0.5 promo last week + noise. */
function panel(dip: number) {
  const rng = mulberry32(21);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return makeSalesData(
    'W',
    ['promo'],
    Array.from({ length: 30 }, (_, s) => {
      const promo = Array.from({ length: 130 }, () => (rng() < 0.2 ? 1 : 0));
      const level = 3 + 2 * rng();
      const units = promo.map((p, t) => Math.round(Math.exp(level + 0.6 * p - dip * (t > 0 ? promo[t - 1]! : 0) + 0.15 * gauss())));
      return { sku: `S${s}`, start: '2024-01-01', units, covariates: [promo] };
    }),
  );
}

async function holdout(m: Forecaster, dip: number) {
  const split = splitHoldout(panel(dip), 13);
  await m.fit(split.history);
  const f = await m.predict(split.history, split.origin, 13, split.plan);
  const insample = new Map(split.history.series.map((s) => [s.sku, s.units]));
  return scoreForecasts(split.actual, f, insample, 52).overall.wape;
}

describe('lagged promotion regressors', () => {
  for (const [name, make] of [
    ['promo_regression', (lagged: boolean) => new PromoRegressionForecaster({ lagged })],
    ['arimax', (lagged: boolean) => new ArimaxForecaster({ lagged })],
  ] as const) {
    it(`${name} forecasts the post-promotion dip, and costs little where there is none`, async () => {
      const withLag = await holdout(make(true), 0.5);
      const without = await holdout(make(false), 0.5);
      expect(withLag).toBeLessThan(0.85 * without);
      expect(await holdout(make(true), 0)).toBeLessThan(1.03 * (await holdout(make(false), 0)));
    });
  }

  it("'auto' (the default) keeps the lagged regressors where they help, not where there is no dip", async () => {
    for (const dip of [0.5, 0]) {
      const split = splitHoldout(panel(dip), 13);
      const pr = new PromoRegressionForecaster();
      await pr.fit(split.history);
      expect(pr.laggedChosen).toBe(dip > 0);
      const ax = new ArimaxForecaster();
      await ax.fit(split.history);
      expect(ax.laggedKept).toBe(dip > 0);
    }
  });

  it('the week after a planned promotion is forecast lower than a week after none', async () => {
    const split = splitHoldout(panel(0.5), 4);
    const plan = new Map([...split.plan].map(([sku, [p]]) => [sku, [Float64Array.from([1, 0, 0, 0].map((v, h) => (h < p!.length ? v : 0)))]]));
    const m = new PromoRegressionForecaster();
    await m.fit(split.history);
    const f = await m.predict(split.history, split.origin, 4, plan);
    let lower = 0;
    for (const x of f.values()) if (x.mean[1]! < 0.8 * x.mean[2]!) lower++;
    expect(lower).toBeGreaterThan(0.8 * f.size);
  });
});
