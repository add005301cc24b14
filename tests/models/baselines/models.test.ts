import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { BASELINES, BASELINE_NAMES, type BaselineName } from '../../../src/models/baselines/index.js';
import { PromoRegressionForecaster } from '../../../src/models/baselines/promo-regression.js';
import type { FuturePlan, SeriesForecast } from '../../../src/models/forecaster.js';
import { scoreForecasts } from '../../../src/models/metrics.js';
import { dataEnd, makeSalesData, type SeriesInput } from '../../../src/sales-data.js';
import type { Freq, SalesData } from '../../../src/core/types.js';

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * Weekly SKUs with yearly seasonality, a promotion flag (lift `lift`), price discounts (elasticity
 * -2 on price / usual price) and multiplicative noise.
 */
function promoData(seed: string, skus: number, periods: number, lift = 1.8, noise = 0.1, freq: Freq = 'W'): SalesData {
  const perYear = freq === 'W' ? 52.18 : 365.25;
  const r = seedrandom(seed);
  const series: SeriesInput[] = [];
  for (let s = 0; s < skus; s++) {
    const base = Math.exp(2 + 4 * r());
    const phase = 2 * Math.PI * r();
    const amp = 0.2 + 0.3 * r();
    const usual = 1 + 9 * r();
    const units: number[] = [];
    const promo: number[] = [];
    const price: number[] = [];
    for (let t = 0; t < periods; t++) {
      const p = r() < 0.15 ? 1 : 0;
      const disc = r() < 0.2 ? [0.1, 0.2, 0.3][Math.floor(3 * r())]! : 0;
      const pr = usual * (1 - disc);
      // 2020-01-03 is a Friday: daily data gets a weekend bump.
      const dow = freq === 'D' && (t % 7 === 1 || t % 7 === 2) ? 1.5 : 1;
      const mean = dow * base * Math.exp(amp * Math.sin((2 * Math.PI * t) / perYear + phase)) * lift ** p * (pr / usual) ** -2;
      units.push(mean * Math.exp(noise * normal(r)));
      promo.push(p);
      price.push(pr);
    }
    series.push({ sku: `S${String(s).padStart(3, '0')}`, start: '2020-01-03', units, covariates: [promo, price] });
  }
  return makeSalesData(freq, ['promo', 'price'], series);
}

/** Trend + season + noise, no covariates. */
function trendData(seed: string, freq: Freq, skus: number, periods: number, slope: number, season: number): SalesData {
  const r = seedrandom(seed);
  const series: SeriesInput[] = [];
  for (let s = 0; s < skus; s++) {
    const base = 50 + 100 * r();
    const units = Array.from({ length: periods }, (_, t) => base * (1 + slope * t + 0.2 * Math.sin((2 * Math.PI * t) / season)) + 0.03 * base * normal(r));
    series.push({ sku: `T${s}`, start: '2019-01-07', units });
  }
  return makeSalesData(freq, [], series);
}

/** Daily SKUs over 3 years with a strong yearly cycle and a weekend bump, no covariates. */
function yearlyData(seed: string, skus: number): SalesData {
  const r = seedrandom(seed);
  const series: SeriesInput[] = [];
  for (let s = 0; s < skus; s++) {
    const base = 20 + 80 * r();
    const phase = 2 * Math.PI * r();
    const units = Array.from({ length: 1095 }, (_, t) => base * Math.exp(0.5 * Math.sin((2 * Math.PI * t) / 365.25 + phase)) * (t % 7 >= 5 ? 1.4 : 1) * Math.exp(0.1 * normal(r)));
    series.push({ sku: `Y${s}`, start: '2019-01-07', units });
  }
  return makeSalesData('D', [], series);
}

interface Split {
  train: SalesData;
  origin: number;
  actuals: Map<string, Float64Array>;
  insample: Map<string, Float64Array>;
  plan: FuturePlan;
}

/** Hold out the last h periods: train on the rest, actual covariates as the plan. */
function holdout(data: SalesData, h: number): Split {
  const origin = dataEnd(data) - h * data.step;
  const actuals = new Map<string, Float64Array>();
  const insample = new Map<string, Float64Array>();
  const plan: FuturePlan = new Map();
  const series = data.series.map((s) => {
    const n = (origin - s.start) / data.step + 1;
    actuals.set(s.sku, s.units.slice(n, n + h));
    insample.set(s.sku, s.units.slice(0, n));
    plan.set(s.sku, s.covariates.map((c) => c.slice(n, n + h)));
    return { ...s, units: s.units.slice(0, n), observed: s.observed.slice(0, n), covariates: s.covariates.map((c) => c.slice(0, n)) };
  });
  return { train: { ...data, series }, origin, actuals, insample, plan };
}

async function run(name: BaselineName, split: Split, h: number): Promise<Map<string, SeriesForecast>> {
  const m = BASELINES[name]();
  await m.fit(split.train);
  return m.predict(split.train, split.origin, h, split.plan);
}

async function wape(name: BaselineName, data: SalesData, h: number): Promise<number> {
  const split = holdout(data, h);
  const season = data.freq === 'D' ? 7 : 52;
  return scoreForecasts(split.actuals, await run(name, split, h), split.insample, season).overall.wape;
}

describe('baselines on seeded synthetic data: (model, maximum holdout WAPE)', () => {
  const promo = promoData('promo', 30, 156);
  const daily = promoData('daily', 8, 500, 1.8, 0.1, 'D');
  const trend = trendData('trend', 'D', 10, 200, 0.004, 7);
  const yearly = yearlyData('yearly', 6);
  // Ceilings ~15% above the values measured when the table was written: a regression fails it.
  const table: [BaselineName, string, SalesData, number, number][] = [
    ['naive', 'weekly promo', promo, 13, 0.48],
    ['seasonal_naive', 'weekly promo', promo, 13, 0.44],
    ['moving_average', 'weekly promo', promo, 13, 0.44],
    ['ets', 'weekly promo', promo, 13, 0.4],
    ['promo_regression', 'weekly promo', promo, 13, 0.105],
    ['naive', 'daily trend', trend, 28, 0.09],
    ['seasonal_naive', 'daily trend', trend, 28, 0.053],
    ['moving_average', 'daily trend', trend, 28, 0.1],
    ['ets', 'daily trend', trend, 28, 0.026],
    ['promo_regression', 'daily trend', trend, 28, 0.04],
    ['seasonal_naive', 'daily promo', daily, 28, 0.44],
    ['ets', 'daily promo', daily, 28, 0.36],
    ['promo_regression', 'daily promo', daily, 28, 0.1],
    ['seasonal_naive', 'daily yearly', yearly, 91, 0.29],
    // Without its yearly profile ets scores 0.20 here.
    ['ets', 'daily yearly', yearly, 91, 0.1],
    ['promo_regression', 'daily yearly', yearly, 91, 0.1],
  ];
  for (const [name, label, data, h, ceiling] of table) {
    it(`${name} on ${label} data stays under WAPE ${ceiling}`, async () => {
      const w = await wape(name, data, h);
      expect(w).toBeLessThan(ceiling);
    });
  }

  it('promo_regression keeps its accuracy with 15% of the weeks missing (skipped, not zeros)', async () => {
    const r = seedrandom('holes');
    const holes: SalesData = {
      ...promo,
      series: promo.series.map((s) => {
        const units = s.units.map((v, t) => (t < s.units.length - 13 && r() < 0.15 ? Number.NaN : v));
        return { ...s, units, observed: Uint8Array.from(units, (v) => (Number.isNaN(v) ? 0 : 1)) };
      }),
    };
    expect(await wape('promo_regression', holes, 13)).toBeLessThan(0.115);
  });

  it('promo_regression picks a low yearly Fourier order for a smooth yearly cycle', async () => {
    const m = new PromoRegressionForecaster();
    await m.fit(holdout(promo, 13).train);
    expect(m.fourierChosen).toBe(4);
  });

  it('promo_regression beats seasonal naive by more than half on data with promotions', async () => {
    expect(await wape('promo_regression', promo, 13)).toBeLessThan(0.5 * (await wape('seasonal_naive', promo, 13)));
  });

  it('promo_regression recovers the promotion lift and the price elasticity from the plan', async () => {
    const split = holdout(promo, 13);
    const m = new PromoRegressionForecaster();
    await m.fit(split.train);
    const planWith = (promoFlag: number, discount: number): FuturePlan =>
      new Map(split.train.series.map((s) => {
        const usual = [...s.covariates[1]!].sort((a, b) => a - b)[s.covariates[1]!.length >> 1]!;
        return [s.sku, [new Float64Array(13).fill(promoFlag), new Float64Array(13).fill(usual * (1 - discount))]];
      }));
    const base = await m.predict(split.train, split.origin, 13, planWith(0, 0));
    const promoted = await m.predict(split.train, split.origin, 13, planWith(1, 0));
    const discounted = await m.predict(split.train, split.origin, 13, planWith(0, 0.2));
    const ratio = (a: Map<string, SeriesForecast>) => {
      let num = 0;
      let den = 0;
      for (const [sku, f] of a) for (let h = 0; h < 13; h++) {
        num += Math.log(f.mean[h]! / base.get(sku)!.mean[h]!);
        den++;
      }
      return Math.exp(num / den);
    };
    expect(ratio(promoted)).toBeGreaterThan(1.8 * 0.92);
    expect(ratio(promoted)).toBeLessThan(1.8 * 1.08);
    expect(ratio(discounted)).toBeGreaterThan(0.8 ** -2 * 0.92);
    expect(ratio(discounted)).toBeLessThan(0.8 ** -2 * 1.08);
  });

  it('promo_regression lends the global lift to a SKU never promoted before (pooling)', async () => {
    const split = holdout(promo, 13);
    const s0 = split.train.series[0]!;
    // Take the promotions out of S000's history (and their lift out of its units).
    const units = s0.units.map((v, t) => (s0.covariates[0]![t] === 1 ? v / 1.8 : v));
    const never: SalesData = { ...split.train, series: [{ ...s0, units, covariates: [new Float64Array(units.length), s0.covariates[1]!] }, ...split.train.series.slice(1)] };
    const m = new PromoRegressionForecaster();
    await m.fit(never);
    const usual = s0.covariates[1]!.reduce((a, b) => Math.max(a, b), 0);
    const plan = (flag: number): FuturePlan => new Map([[s0.sku, [new Float64Array(13).fill(flag), new Float64Array(13).fill(usual)]]]);
    const one: SalesData = { ...never, series: never.series.slice(0, 1) };
    const base = (await m.predict(one, split.origin, 13, plan(0))).get(s0.sku)!;
    const lifted = (await m.predict(one, split.origin, 13, plan(1))).get(s0.sku)!;
    for (let h = 0; h < 13; h++) {
      expect(lifted.mean[h]! / base.mean[h]!).toBeGreaterThan(1.6);
      expect(lifted.mean[h]! / base.mean[h]!).toBeLessThan(2);
    }
  });

  it('the p10..p90 interval of promo_regression (calibrated by fit) and ets covers roughly 80% of the holdout', async () => {
    for (const [name, data, lo, hi] of [['promo_regression', promo, 0.72, 0.9], ['ets', trend, 0.6, 0.97]] as const) {
      const split = holdout(data, 13);
      const cov = scoreForecasts(split.actuals, await run(name, split, 13), split.insample, 52).overall.coverage80;
      expect(cov).toBeGreaterThan(lo);
      expect(cov).toBeLessThan(hi);
    }
  });

  it('every baseline is deterministic', async () => {
    const split = holdout(promo, 13);
    for (const name of BASELINE_NAMES) {
      const a = await run(name, split, 13);
      const b = await run(name, split, 13);
      expect([...a.values()].map((f) => [...f.mean, ...f.p90])).toEqual([...b.values()].map((f) => [...f.mean, ...f.p90]));
    }
  });
});

export { holdout, promoData, run };
