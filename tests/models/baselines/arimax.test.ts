/** arimax: regression with ARIMA errors (src/models/baselines/_regarima.ts, arimax.ts). */
import { describe, expect, it } from 'vitest';
import { ArimaxForecaster, BASELINES } from '../../../src/models/baselines/index.js';
import { fitRegArima, forecastRegArima, kpss } from '../../../src/models/baselines/_regarima.js';
import { splitHoldout } from '../../../src/models/holdout.js';
import { scoreForecasts } from '../../../src/models/metrics.js';
import { mulberry32 } from '../../../src/core/random.js';
import { syntheticSales } from '../../fixtures/forecast/synthetic.js';

function gauss(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** y = 2 + 0.7 promo - 1.5 logPrice + u, u ARMA(phi, theta) (or a random walk), seeded. */
function simulate(n: number, seed: number, phi: number, theta: number, randomWalk = false) {
  const rng = mulberry32(seed);
  const promo = new Float64Array(n);
  const price = new Float64Array(n);
  const y = new Float64Array(n);
  let u = 0;
  let ePrev = 0;
  for (let t = 0; t < n; t++) {
    promo[t] = rng() < 0.2 ? 1 : 0;
    price[t] = promo[t] === 1 ? Math.log(0.7 + 0.2 * rng()) : 0.05 * gauss(rng);
    const e = 0.3 * gauss(rng);
    u = randomWalk ? u + e : phi * u + e + theta * ePrev;
    ePrev = e;
    y[t] = 2 + 0.7 * promo[t]! - 1.5 * price[t]! + u;
  }
  return { y, cols: [new Float64Array(n).fill(1), promo, price] };
}

describe('regression with ARIMA errors', () => {
  it('recovers the regression coefficients and an AR(1) error', () => {
    const { y, cols } = simulate(400, 1, 0.6, 0);
    const fit = fitRegArima(y, cols);
    expect(fit.d).toBe(0);
    expect(fit.beta[0]!).toBeCloseTo(2, 0);
    expect(Math.abs(fit.beta[1]! - 0.7)).toBeLessThan(0.06);
    expect(Math.abs(fit.beta[2]! + 1.5)).toBeLessThan(0.2);
    expect(fit.phi.length).toBeGreaterThanOrEqual(1);
    expect(Math.abs(fit.phi[0]! - 0.6)).toBeLessThan(0.12);
    expect(Math.sqrt(fit.sigma2)).toBeGreaterThan(0.26);
    expect(Math.sqrt(fit.sigma2)).toBeLessThan(0.34);
  });

  it('recovers an MA(1) error', () => {
    const { y, cols } = simulate(400, 2, 0, 0.6);
    const fit = fitRegArima(y, cols);
    expect(fit.d).toBe(0);
    expect(fit.theta.length).toBeGreaterThanOrEqual(1);
    expect(fit.phi.length).toBe(0);
    expect(Math.abs(fit.theta[0]! - 0.6)).toBeLessThan(0.12);
    expect(Math.abs(fit.beta[1]! - 0.7)).toBeLessThan(0.06);
  });

  it('white errors give a low order; a random walk error is differenced (KPSS) and still recovers the lift', () => {
    const white = fitRegArima(...(Object.values(simulate(300, 3, 0, 0)) as [Float64Array, Float64Array[]]));
    expect(white.d).toBe(0);
    expect(white.phi.length + white.theta.length).toBeLessThanOrEqual(1);
    const rw = simulate(300, 4, 0, 0, true);
    expect(kpss(rw.y)).toBeGreaterThan(0.463);
    const fit = fitRegArima(rw.y, rw.cols);
    expect(fit.d).toBe(1);
    expect(Math.abs(fit.beta[1]! - 0.7)).toBeLessThan(0.08);
  });

  it('skips missing values and forecasts with the planned regressors; the sd grows with the horizon', () => {
    const { y, cols } = simulate(300, 5, 0.5, 0);
    for (let t = 10; t < 300; t += 17) y[t] = Number.NaN;
    const fit = fitRegArima(y, cols);
    expect(Math.abs(fit.beta[1]! - 0.7)).toBeLessThan(0.08);
    const H = 6;
    const future = [new Float64Array(H).fill(1), Float64Array.from([0, 1, 0, 1, 0, 0]), new Float64Array(H)];
    const { mu, sd } = forecastRegArima(fit, y, cols, future, H);
    expect(mu[1]! - mu[0]!).toBeGreaterThan(0.4);
    expect(mu[3]! - mu[4]!).toBeGreaterThan(0.4);
    for (let h = 1; h < H; h++) expect(sd[h]!).toBeGreaterThanOrEqual(sd[h - 1]!);
  });
});

describe('arimax forecaster', () => {
  const data = syntheticSales({ freq: 'W', skus: 12, periods: 156, seed: 21, missing: 0.02 });
  const split = splitHoldout(data, 13);
  const insample = new Map(split.history.series.map((s) => [s.sku, s.units]));

  it('uses the promotion plan: beats ets and seasonal naive on promotional data, deterministically', async () => {
    const score = async (name: 'arimax' | 'ets' | 'seasonal_naive') => {
      const m = BASELINES[name]();
      await m.fit(split.history);
      return scoreForecasts(split.actual, await m.predict(split.history, split.origin, 13, split.plan), insample, 52).overall;
    };
    const a = await score('arimax');
    expect(a.wape).toBeLessThan(0.75 * (await score('ets')).wape);
    expect(a.wape).toBeLessThan(0.75 * (await score('seasonal_naive')).wape);
    expect(a.coverage80).toBeGreaterThan(0.6);
    const m = new ArimaxForecaster();
    await m.fit(split.history);
    const f1 = await m.predict(split.history, split.origin, 13, split.plan);
    const f2 = await m.predict(split.history, split.origin, 13, split.plan);
    for (const [sku, f] of f1) {
      expect([...f.mean]).toEqual([...f2.get(sku)!.mean]);
      for (let h = 0; h < 13; h++) {
        expect(f.p10[h]!).toBeLessThanOrEqual(f.mean[h]!);
        expect(f.mean[h]!).toBeLessThanOrEqual(f.p90[h]!);
        expect(f.p10[h]!).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('falls back for short and empty series without throwing', async () => {
    const short = { ...split.history, series: split.history.series.slice(0, 3).map((s, i) => ({ ...s, units: i === 0 ? s.units.slice(0, 2) : i === 1 ? new Float64Array(5).fill(Number.NaN) : s.units.slice(0, 20), covariates: s.covariates.map((c) => c.slice(0, i === 0 ? 2 : i === 1 ? 5 : 20)), observed: s.observed.slice(0, i === 0 ? 2 : i === 1 ? 5 : 20) })) };
    const m = new ArimaxForecaster();
    await m.fit(short);
    const f = await m.predict(short, split.origin, 13, split.plan);
    for (const x of f.values()) for (const v of [...x.mean, ...x.p10, ...x.p90, ...x.sd]) expect(Number.isFinite(v)).toBe(true);
    expect([...f.get(short.series[1]!.sku)!.mean]).toEqual(new Array(13).fill(0));
  });

  it('keeps a numeric covariate that carries the promotions and neutralizes one that is noise', async () => {
    const rng = mulberry32(8);
    const withAmount = (useful: boolean) => ({
      ...split.history,
      covariates: ['price', 'amount', 'holiday'],
      series: split.history.series.map((s) => ({
        ...s,
        covariates: [s.covariates[0]!, Float64Array.from(s.covariates[1]!, (p) => (useful ? p * (5 + 5 * rng()) : rng() < 0.2 ? 5 + 5 * rng() : 0)), s.covariates[2]!],
      })),
    });
    const useful = new ArimaxForecaster();
    await useful.fit(withAmount(true));
    expect(useful.numericKept).toBe(true);
    const noise = new ArimaxForecaster();
    await noise.fit(withAmount(false));
    expect(noise.numericKept).toBe(false);
  });
});
