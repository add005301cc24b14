/**
 * The Easter regressor of promo_regression and arimax (core/calendar.ts easterFlag): Easter moves
 * over five weeks, so the yearly Fourier terms cannot place its shopping week; the flag can.
 */
import { describe, expect, it } from 'vitest';
import { easterFlag, parseDay } from '../../../src/core/calendar.js';
import { ArimaxForecaster, PromoRegressionForecaster } from '../../../src/models/baselines/index.js';
import type { Forecaster } from '../../../src/models/forecaster.js';
import { splitHoldout } from '../../../src/models/holdout.js';
import { mulberry32 } from '../../../src/core/random.js';
import { makeSalesData } from '../../../src/sales-data.js';

const START = '2021-04-26'; // Mondays; 156 weeks to 2024-04-15, the last 13 holding Easter 2024 (week of 25 March)

/** 30 weekly SKUs: log units = level + lift x (Easter week) + noise; Easters of 2022 and 2023 in the history. */
function panel(lift: number) {
  const rng = mulberry32(5);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const start = parseDay(START);
  return makeSalesData(
    'W',
    [],
    Array.from({ length: 30 }, (_, s) => {
      const level = 3 + 2 * rng();
      const units = Array.from({ length: 156 }, (_, t) => Math.round(Math.exp(level + lift * easterFlag(start + 7 * t, 7) + 0.1 * gauss())));
      return { sku: `S${s}`, start: START, units };
    }),
  );
}

/** The holdout's Easter week: its forecast over the mean forecast of the other weeks, per SKU. */
async function easterRatios(m: Forecaster, lift: number) {
  const split = splitHoldout(panel(lift), 13);
  await m.fit(split.history);
  const f = await m.predict(split.history, split.origin, 13, split.plan);
  const e = Array.from({ length: 13 }, (_, h) => easterFlag(split.origin + 7 * (h + 1), 7)).indexOf(1);
  expect(e).toBeGreaterThanOrEqual(0);
  return [...f.values()].map((x) => {
    const others = Array.from(x.mean).filter((_, h) => h !== e);
    return x.mean[e]! / (others.reduce((a, b) => a + b, 0) / others.length);
  });
}

describe('Easter regressor', () => {
  for (const [name, make] of [
    ['promo_regression', (easter: boolean) => new PromoRegressionForecaster({ easter })],
    ['arimax', (easter: boolean) => new ArimaxForecaster({ easter })],
  ] as const) {
    it(`${name} forecasts the Easter week from the two Easters of the history; without the flag it cannot`, async () => {
      // exp(0.7) = 2.01: the Easter week sells about twice a normal week.
      const withFlag = await easterRatios(make(true), 0.7);
      expect(withFlag.filter((r) => r > 1.6 && r < 2.5).length).toBeGreaterThan(0.8 * withFlag.length);
      const without = await easterRatios(make(false), 0.7);
      expect(without.filter((r) => r > 1.6).length).toBeLessThan(0.2 * without.length);
      // No Easter effect in the data: the flag adds little. promo_regression shrinks each SKU's
      // effect towards the pooled one (about 0); arimax keeps the flag for a SKU where it lowers the
      // AICc, so some SKUs fit their two Easters' noise (sd of the estimate about 0.07 here).
      const none = await easterRatios(make(true), 0);
      expect(none.every((r) => Math.abs(Math.log(r)) < 0.25)).toBe(true);
      expect(none.filter((r) => Math.abs(Math.log(r)) < 0.1).length).toBeGreaterThanOrEqual(0.7 * none.length);
    });
  }
});
