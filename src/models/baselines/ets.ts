/**
 * `ets`: additive damped-trend exponential smoothing with additive seasonality (Holt-Winters) where
 * the history supports it (>= 2 seasons from the first observation), the strong classical model
 * that ignores the promotion plan. Smoothing parameters come from a small grid, chosen per series
 * by in-sample one-step mean squared error. Daily series with more than a year of history also try
 * a smooth yearly profile (_yearly.ts), kept where it lowers that error. Missing periods skip the update (the state coasts on
 * its own forecast). Uncertainty: in-sample h-step residuals of the fitted model.
 */
import { seasonPeriods } from '../../core/calendar.js';
import type { Freq } from '../../core/types.js';
import type { SeriesForecast } from '../forecaster.js';
import { type Cut, LocalForecaster, MAX_ORIGINS, observedSd, unitForecast } from './local-forecaster.js';
import { yearlyFactors } from './_yearly.js';

export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

const ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9];
const BETAS = [0, 0.01, 0.05];
const GAMMAS = [0, 0.05, 0.15, 0.3];
const PHIS = [0.8, 0.9, 0.98];

interface Init {
  first: number;
  /** Season length used (0 = no seasonality). */
  m: number;
  level: number;
  trend: number;
  season: Float64Array;
}

function mean(y: Float64Array, from: number, to: number): { m: number; n: number } {
  let s = 0;
  let n = 0;
  for (let i = from; i < Math.min(to, y.length); i++) {
    if (Number.isNaN(y[i]!)) continue;
    s += y[i]!;
    n++;
  }
  return { m: n > 0 ? s / n : Number.NaN, n };
}

/** Initial state from the first seasons (or the first few observations without seasonality). */
export function initialState(y: Float64Array, season: number): Init | undefined {
  let first = 0;
  while (first < y.length && Number.isNaN(y[first]!)) first++;
  if (first >= y.length) return undefined;
  const len = y.length - first;
  const seasons = season > 1 ? Math.min(3, Math.floor(len / season)) : 0;
  if (seasons >= 2) {
    const means = Array.from({ length: seasons }, (_, k) => mean(y, first + k * season, first + (k + 1) * season));
    if (means.every((s) => s.n >= season / 2)) {
      const s = new Float64Array(season);
      for (let p = 0; p < season; p++) {
        let sum = 0;
        let n = 0;
        for (let k = 0; k < seasons; k++) {
          const v = y[first + k * season + p]!;
          if (Number.isNaN(v)) continue;
          sum += v - means[k]!.m;
          n++;
        }
        s[p] = n > 0 ? sum / n : 0;
      }
      let avg = 0;
      for (const v of s) avg += v / season;
      for (let p = 0; p < season; p++) s[p] = s[p]! - avg;
      return { first, m: season, level: means[0]!.m, trend: (means[1]!.m - means[0]!.m) / season, season: s };
    }
  }
  return { first, m: 0, level: mean(y, first, first + 4).m, trend: 0, season: new Float64Array(0) };
}

/**
 * One pass of the filter; returns the mean squared one-step error after the first season (errors
 * times `scale[t]` when given: the error on the original scale of a rescaled series).
 */
function sse(y: Float64Array, init: Init, p: EtsParams, scale?: Float64Array): number {
  const { m, first } = init;
  const s = Float64Array.from(init.season);
  let l = init.level;
  let b = init.trend;
  let sum = 0;
  let n = 0;
  const burn = first + Math.max(m, 1);
  for (let t = first; t < y.length; t++) {
    const si = m > 0 ? s[(t - first) % m]! : 0;
    const base = l + p.phi * b;
    const v = y[t]!;
    if (Number.isNaN(v)) {
      l = base;
      b = p.phi * b;
      continue;
    }
    const e = v - base - si;
    if (t >= burn) {
      const es = scale === undefined ? e : e * scale[t]!;
      sum += es * es;
      n++;
    }
    l = base + p.alpha * e;
    b = p.phi * b + p.beta * e;
    if (m > 0) s[(t - first) % m] = si + p.gamma * e;
  }
  return n > 0 ? sum / n : Number.POSITIVE_INFINITY;
}

/** Grid search of the smoothing parameters on in-sample one-step MSE (first best wins ties). */
export function chooseParams(y: Float64Array, init: Init, scale?: Float64Array): { params: EtsParams; mse: number } {
  let best: EtsParams = { alpha: 0.2, beta: 0, gamma: 0, phi: 0.9 };
  let bestErr = Number.POSITIVE_INFINITY;
  for (const alpha of ALPHAS) {
    for (const beta of BETAS) {
      if (beta > alpha) continue;
      for (const phi of beta === 0 && init.trend === 0 ? [0.9] : PHIS) {
        for (const gamma of init.m > 0 ? GAMMAS : [0]) {
          if (gamma > 1 - alpha) continue;
          const p = { alpha, beta, gamma, phi };
          const err = sse(y, init, p, scale);
          if (err < bestErr) {
            bestErr = err;
            best = p;
          }
        }
      }
    }
  }
  return { params: best, mse: bestErr };
}

/**
 * Run the filter with fixed parameters; returns the forecast of steps 1..horizon from the end and
 * the in-sample h-step residuals from the last MAX_ORIGINS origins.
 */
export function etsForecast(y: Float64Array, init: Init, p: EtsParams, horizon: number): { mean: Float64Array; res: number[][] } {
  const { m, first } = init;
  const n = y.length;
  const L = new Float64Array(n);
  const B = new Float64Array(n);
  /** Seasonal value of position t after the update at t (m > 0). */
  const W = new Float64Array(m > 0 ? n : 0);
  const s = Float64Array.from(init.season);
  let l = init.level;
  let b = init.trend;
  for (let t = first; t < n; t++) {
    const pos = m > 0 ? (t - first) % m : 0;
    const si = m > 0 ? s[pos]! : 0;
    const base = l + p.phi * b;
    const v = y[t]!;
    if (Number.isNaN(v)) {
      l = base;
      b = p.phi * b;
    } else {
      const e = v - base - si;
      l = base + p.alpha * e;
      b = p.phi * b + p.beta * e;
      if (m > 0) s[pos] = si + p.gamma * e;
    }
    L[t] = l;
    B[t] = b;
    if (m > 0) W[t] = s[pos]!;
  }
  const seasonal = (t: number, h: number): number => {
    if (m === 0) return 0;
    const j = t + h - m * Math.ceil(h / m);
    return j >= first ? W[j]! : init.season[(t + h - first) % m]!;
  };
  const point = (t: number, h: number, damp: Float64Array): number => L[t]! + damp[h - 1]! * B[t]! + seasonal(t, h);
  const damp = new Float64Array(horizon);
  for (let h = 1, acc = 0, ph = 1; h <= horizon; h++) {
    ph *= p.phi;
    acc += ph;
    damp[h - 1] = acc;
  }
  const mean = new Float64Array(horizon);
  for (let h = 1; h <= horizon; h++) mean[h - 1] = point(n - 1, h, damp);
  const res: number[][] = Array.from({ length: horizon }, () => []);
  const from = Math.max(first + Math.max(m, 1), n - 1 - MAX_ORIGINS);
  for (let t = from; t < n - 1; t++) {
    for (let h = 1; h <= horizon && t + h < n; h++) {
      const a = y[t + h]!;
      if (!Number.isNaN(a)) res[h - 1]!.push(a - point(t, h, damp));
    }
  }
  return { mean, res };
}

interface Fitted {
  y: Float64Array;
  init: Init;
  params: EtsParams;
  mse: number;
}

function fitEts(y: Float64Array, season: number, scale?: Float64Array): Fitted | undefined {
  const init = initialState(y, season);
  if (init === undefined) return undefined;
  return { y, init, ...chooseParams(y, init, scale) };
}

export class EtsForecaster extends LocalForecaster {
  readonly name = 'ets';

  protected forecastSeries(cut: Cut, horizon: number, step: number, freq: Freq): SeriesForecast {
    const season = seasonPeriods(freq);
    const plain = fitEts(cut.y, season);
    if (plain === undefined) return unitForecast(this.name, new Float64Array(horizon), [], 0);
    // Daily data with more than a year: try a smooth yearly profile, keep it where it fits better.
    const yearly = freq === 'D' ? yearlyFactors(cut.y, cut.start, step, horizon) : undefined;
    let best = plain;
    let factors: Float64Array | undefined;
    if (yearly !== undefined) {
      const adjusted = fitEts(cut.y.map((v, i) => v / yearly.hist[i]!), season, yearly.hist);
      if (adjusted !== undefined && adjusted.mse < plain.mse) {
        best = adjusted;
        factors = yearly.future;
      }
    }
    const { mean, res } = etsForecast(best.y, best.init, best.params, horizon);
    // Degrees-of-freedom correction: the initial states and parameters were fitted on the same data.
    let n = 0;
    for (const r of res) n = Math.max(n, r.length);
    const k = best.init.m + 2 + 4;
    const inflate = n > 0 ? Math.sqrt(n / Math.max(n - k, n / 3)) : 1;
    for (const r of res) for (let i = 0; i < r.length; i++) r[i] = r[i]! * inflate;
    const f = unitForecast(this.name, mean, res, observedSd(best.y) * inflate);
    if (factors !== undefined) {
      for (const arr of [f.mean, f.sd, f.p10, f.p90]) for (let h = 0; h < horizon; h++) arr[h] = arr[h]! * factors[h]!;
    }
    return f;
  }
}
