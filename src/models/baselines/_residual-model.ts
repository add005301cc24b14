/**
 * The error model of `promo_regression`: what part of the current deviation from the regression
 * carries into the forecast. Candidates: none, AR(1) (a deviation that fades, phi^h) and a local
 * level (exponentially smoothed residuals that persist, like ARIMA(0,1,1) errors). The one with
 * the lowest in-sample mean squared error over horizons 1..H wins, so a series with level shifts
 * gets the level and one with short-lived deviations the AR(1). Pure.
 */
import { MAX_ORIGINS } from './local-forecaster.js';

const LEVEL_ALPHAS = [0.05, 0.1, 0.2, 0.35, 0.5];
const MAX_PHI = 0.95;

export interface ResidualFit {
  /** 'none', 'ar1' or 'level'. */
  kind: string;
  param: number;
  /** Correction of steps 1..H after the last history period (origin). */
  correction: Float64Array;
  /** In-sample errors r[t + h] - correction(t, h) per step h = 1..H. */
  errors: number[][];
}

/** States after each period (NaN-safe): for AR(1) the last observed residual and its age. */
type Rule = (t: number, h: number) => number;

function ar1Phi(r: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let t = 1; t < r.length; t++) {
    if (Number.isNaN(r[t]!) || Number.isNaN(r[t - 1]!)) continue;
    num += r[t]! * r[t - 1]!;
    den += r[t - 1]! * r[t - 1]!;
  }
  return den > 0 ? Math.min(MAX_PHI, Math.max(0, num / den)) : 0;
}

function candidates(r: Float64Array): { kind: string; param: number; rule: Rule }[] {
  const n = r.length;
  const lastObs = new Int32Array(n);
  for (let t = 0, last = -1; t < n; t++) {
    if (!Number.isNaN(r[t]!)) last = t;
    lastObs[t] = last;
  }
  const phi = ar1Phi(r);
  const out: { kind: string; param: number; rule: Rule }[] = [{ kind: 'none', param: 0, rule: () => 0 }];
  out.push({
    kind: 'ar1',
    param: phi,
    rule: (t, h) => {
      const j = lastObs[t]!;
      return j < 0 ? 0 : Math.pow(phi, h + t - j) * r[j]!;
    },
  });
  for (const alpha of LEVEL_ALPHAS) {
    const level = new Float64Array(n);
    let l = 0;
    for (let t = 0; t < n; t++) {
      if (!Number.isNaN(r[t]!)) l += alpha * (r[t]! - l);
      level[t] = l;
    }
    out.push({ kind: 'level', param: alpha, rule: (t) => level[t]! });
  }
  return out;
}

/** Choose and apply the error model on residuals r (NaN = missing), index r.length - 1 = origin. */
export function fitResidualModel(r: Float64Array, horizon: number, enabled: boolean): ResidualFit {
  const n = r.length;
  const all = candidates(r);
  const from = Math.max(0, n - 1 - MAX_ORIGINS);
  let best: ResidualFit | undefined;
  let bestErr = Number.POSITIVE_INFINITY;
  for (const c of enabled ? all : all.slice(0, 1)) {
    const errors: number[][] = Array.from({ length: horizon }, () => []);
    let ss = 0;
    let cnt = 0;
    for (let t = from; t < n - 1; t++) {
      for (let h = 1; h <= horizon && t + h < n; h++) {
        const a = r[t + h]!;
        if (Number.isNaN(a)) continue;
        const e = a - c.rule(t, h);
        errors[h - 1]!.push(e);
        ss += e * e;
        cnt++;
      }
    }
    const err = cnt > 0 ? ss / cnt : 0;
    if (best === undefined || err < bestErr - 1e-12) {
      bestErr = err;
      const correction = Float64Array.from({ length: horizon }, (_, i) => c.rule(n - 1, i + 1));
      best = { kind: c.kind, param: c.param, correction, errors };
    }
  }
  return best!;
}
