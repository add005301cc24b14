/**
 * Regression with ARMA errors on one series (pure numerics behind `arimax`):
 *
 *   y_t = x_t' beta + w_t,   (1 - phi_1 B - ... - phi_p B^p) (1 - B)^d w_t = (1 + theta_1 B + ... + theta_q B^q) e_t
 *
 * with d in {0, 1} chosen by a KPSS test on the regression residuals (as auto.arima's ndiffs does
 * for xreg models), p, q in 0..maxOrder chosen stepwise by AICc, the ARMA part fitted by conditional
 * sum of squares (Nelder-Mead on at most 4 parameters, stationary and invertible region only), then
 * beta re-estimated by GLS (y and x filtered by the fitted ARMA). Missing values (NaN) are skipped
 * in every sum: an innovation at a missing period is 0 and the period takes its one-step
 * prediction. Deterministic: no randomness anywhere.
 */
import { Gram, ridgeSolve } from './_ridge.js';

export interface RegArimaFit {
  beta: Float64Array;
  phi: number[];
  theta: number[];
  d: 0 | 1;
  /** Innovation variance (sum of squares / (n - parameters)). */
  sigma2: number;
  aicc: number;
  /** Innovations used in the fit. */
  n: number;
}

export interface RegArimaOptions {
  maxOrder: number;
  /** KPSS 5% critical value for level stationarity. */
  kpssCritical: number;
}

export const REGARIMA_DEFAULTS: RegArimaOptions = { maxOrder: 2, kpssCritical: 0.463 };

/** Innovations are counted from this index on for every order, so AICc compares like with like. */
const CONDITION = 2;
const BAD = 1e300;

/** Columns of a design: cols[j][t]. */
export type Columns = Float64Array[];

/** OLS (with a tiny ridge for stability) of y on the columns over the rows where y is finite. */
export function ols(y: Float64Array, cols: Columns, from = 0): Float64Array {
  const k = cols.length;
  const g = new Gram(k);
  const row = new Float64Array(k);
  for (let t = from; t < y.length; t++) {
    if (!Number.isFinite(y[t]!)) continue;
    for (let j = 0; j < k; j++) row[j] = cols[j]![t]!;
    g.add(row, y[t]!);
  }
  g.symmetrize();
  const pen = new Float64Array(k).fill(1e-6 * Math.max(1, g.n));
  return ridgeSolve(g, pen, new Float64Array(k));
}

function residuals(y: Float64Array, cols: Columns, beta: Float64Array): Float64Array {
  const u = new Float64Array(y.length);
  for (let t = 0; t < y.length; t++) {
    if (!Number.isFinite(y[t]!)) {
      u[t] = Number.NaN;
      continue;
    }
    let f = 0;
    for (let j = 0; j < cols.length; j++) f += beta[j]! * cols[j]![t]!;
    u[t] = y[t]! - f;
  }
  return u;
}

/**
 * ARMA innovations of w (NaN = missing: innovation 0, value = its prediction). Writes the filled
 * series into `filled` and the innovations into `e`; returns the sum of squares from CONDITION on.
 */
export function innovations(w: Float64Array, phi: number[], theta: number[], e: Float64Array, filled: Float64Array): { sse: number; n: number } {
  const p = phi.length;
  const q = theta.length;
  // The hot path of every CSS evaluation: for orders up to 2, once t >= 2 every term exists, so the
  // prediction skips the per-term bounds checks (same terms in the same order: the same bits).
  const small = p <= 2 && q <= 2;
  const a1 = p > 0 ? phi[0]! : 0;
  const a2 = p > 1 ? phi[1]! : 0;
  const b1 = q > 0 ? theta[0]! : 0;
  const b2 = q > 1 ? theta[1]! : 0;
  let sse = 0;
  let n = 0;
  for (let t = 0; t < w.length; t++) {
    let pred = 0;
    if (small && t >= 2) {
      if (p > 0) pred += a1 * filled[t - 1]!;
      if (p > 1) pred += a2 * filled[t - 2]!;
      if (q > 0) pred += b1 * e[t - 1]!;
      if (q > 1) pred += b2 * e[t - 2]!;
    } else {
      for (let i = 0; i < p && i < t; i++) pred += phi[i]! * filled[t - 1 - i]!;
      for (let j = 0; j < q && j < t; j++) pred += theta[j]! * e[t - 1 - j]!;
    }
    const v = w[t]!;
    if (Number.isFinite(v)) {
      filled[t] = v;
      const r = v - pred;
      e[t] = r;
      if (t >= CONDITION) {
        sse += r * r;
        n++;
      }
    } else {
      filled[t] = pred;
      e[t] = 0;
    }
  }
  return { sse, n };
}

/** 1 - a1 B - a2 B^2 has its roots outside the unit circle (with a small margin). */
function stable(a: number[]): boolean {
  const m = 0.99;
  if (a.length === 0) return true;
  if (a.length === 1) return Math.abs(a[0]!) < m;
  const [a1, a2] = [a[0]!, a[1]!];
  return a1 + a2 < m && a2 - a1 < m && Math.abs(a2) < m;
}

/** Nelder-Mead minimisation (deterministic), for a handful of parameters. */
export function nelderMead(f: (x: number[]) => number, x0: number[], step = 0.1, iterations = 200): number[] {
  const n = x0.length;
  if (n === 0) return [];
  let simplex = [x0, ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + step : v)))];
  let values = simplex.map(f);
  for (let it = 0; it < iterations; it++) {
    const order = values.map((v, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
    simplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    if (Math.abs(values[n]! - values[0]!) <= 1e-10 * (Math.abs(values[0]!) + 1e-12)) break;
    const centroid = x0.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p[j]!, 0) / n);
    const at = (c: number) => centroid.map((v, j) => v + c * (simplex[n]![j]! - v));
    const xr = at(-1);
    const fr = f(xr);
    if (fr < values[0]!) {
      const xe = at(-2);
      const fe = f(xe);
      [simplex[n], values[n]] = fe < fr ? [xe, fe] : [xr, fr];
    } else if (fr < values[n - 1]!) {
      [simplex[n], values[n]] = [xr, fr];
    } else {
      const xc = fr < values[n]! ? at(-0.5) : at(0.5);
      const fc = f(xc);
      if (fc < Math.min(fr, values[n]!)) [simplex[n], values[n]] = [xc, fc];
      else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i]!.map((v, j) => simplex[0]![j]! + 0.5 * (v - simplex[0]![j]!));
          values[i] = f(simplex[i]!);
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i <= n; i++) if (values[i]! < values[best]!) best = i;
  return simplex[best]!;
}

interface ArmaFit {
  phi: number[];
  theta: number[];
  sse: number;
  n: number;
}

/** CSS fit of ARMA(p, q) to w. */
export function fitArma(w: Float64Array, p: number, q: number): ArmaFit {
  const e = new Float64Array(w.length);
  const filled = new Float64Array(w.length);
  const split = (x: number[]) => [x.slice(0, p), x.slice(p)] as const;
  const css = (x: number[]) => {
    const [phi, theta] = split(x);
    if (!stable(phi) || !stable(theta.map((v) => -v))) return BAD;
    return innovations(w, phi, theta, e, filled).sse;
  };
  const x = nelderMead(css, [...new Array<number>(p).fill(0.1), ...new Array<number>(q).fill(0)]);
  const [phi, theta] = split(x);
  const { sse, n } = innovations(w, phi, theta, e, filled);
  return { phi, theta, sse, n };
}

function aicc(sse: number, n: number, k: number): number {
  if (n - k - 1 <= 0 || !(sse > 0)) return Number.POSITIVE_INFINITY;
  return n * Math.log(sse / n) + 2 * k + (2 * k * (k + 1)) / (n - k - 1);
}

/** KPSS level-stationarity statistic of the finite values of u (Bartlett long-run variance). */
export function kpss(u: Float64Array): number {
  const v = [...u].filter(Number.isFinite);
  const n = v.length;
  if (n < 8) return 0;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const r = v.map((x) => x - mean);
  let s = 0;
  let ss = 0;
  for (const x of r) {
    s += x;
    ss += s * s;
  }
  const lags = Math.floor(3 * Math.sqrt(n) / 13);
  let lrv = r.reduce((a, x) => a + x * x, 0) / n;
  for (let l = 1; l <= lags; l++) {
    let c = 0;
    for (let t = l; t < n; t++) c += r[t]! * r[t - l]!;
    lrv += 2 * (1 - l / (lags + 1)) * (c / n);
  }
  return lrv > 0 ? ss / (n * n * lrv) : 0;
}

function diff(a: Float64Array): Float64Array {
  const out = new Float64Array(a.length).fill(Number.NaN);
  for (let t = 1; t < a.length; t++) out[t] = a[t]! - a[t - 1]!;
  return out;
}

/** Columns that vary over the rows where y is finite (a flag never set carries no information). */
export function informative(y: Float64Array, cols: Columns, keepFirst: boolean): number[] {
  const keep: number[] = [];
  cols.forEach((c, j) => {
    if (keepFirst && j === 0) return keep.push(0);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let t = 0; t < y.length; t++) {
      if (!Number.isFinite(y[t]!) || !Number.isFinite(c[t]!)) continue;
      lo = Math.min(lo, c[t]!);
      hi = Math.max(hi, c[t]!);
    }
    if (hi - lo > 1e-9) keep.push(j);
    return undefined;
  });
  return keep;
}

/**
 * Fit the regression with ARMA errors. `cols[0]` must be the intercept; columns that do not vary
 * over the observed rows get a coefficient of 0. `arma: false` fits the regression alone (white
 * errors), the fallback for short series.
 */
export function fitRegArima(y: Float64Array, cols: Columns, opts: RegArimaOptions = REGARIMA_DEFAULTS, arma = true): RegArimaFit {
  const k = cols.length;
  const beta0 = new Float64Array(k);
  const kept = informative(y, cols, true);
  const sub = kept.map((j) => cols[j]!);
  const b = ols(y, sub);
  kept.forEach((j, i) => (beta0[j] = b[i]!));
  const u = residuals(y, cols, beta0);
  const d: 0 | 1 = arma && kpss(u) > opts.kpssCritical ? 1 : 0;
  // On differences the intercept drops out (no drift) and the other columns are differenced.
  const yd = d === 1 ? diff(y) : y;
  const keptD = d === 1 ? kept.filter((j) => j !== 0) : kept;
  const colsD = d === 1 ? cols.map(diff) : cols;
  const informativeD = d === 1 ? informative(yd, keptD.map((j) => colsD[j]!), false).map((i) => keptD[i]!) : keptD;
  const betaOf = (bb: Float64Array) => {
    const full = new Float64Array(k);
    informativeD.forEach((j, i) => (full[j] = bb[i]!));
    return full;
  };
  let beta = d === 1 ? betaOf(ols(yd, informativeD.map((j) => colsD[j]!), 1)) : beta0;
  const nb = informativeD.length;
  const w = residuals(yd, colsD, beta);
  let best: ArmaFit = { phi: [], theta: [], sse: 0, n: 0 };
  let bestAicc = Number.POSITIVE_INFINITY;
  if (arma) {
    const tried = new Map<string, number>();
    const fits = new Map<string, ArmaFit>();
    const tryOrder = (p: number, q: number) => {
      const key = `${p},${q}`;
      if (p < 0 || q < 0 || p > opts.maxOrder || q > opts.maxOrder || tried.has(key)) return;
      const f = fitArma(w, p, q);
      const a = aicc(f.sse, f.n, p + q + nb + 1);
      tried.set(key, a);
      fits.set(key, f);
      if (a < bestAicc - 1e-9) {
        bestAicc = a;
        best = f;
      }
    };
    for (const [p, q] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) tryOrder(p, q);
    for (let round = 0; round < 6; round++) {
      const before = bestAicc;
      const [p, q] = [best.phi.length, best.theta.length];
      for (const [dp, dq] of [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [-1, -1]] as const) tryOrder(p + dp, q + dq);
      if (bestAicc >= before) break;
    }
  } else {
    const e = new Float64Array(w.length);
    const filled = new Float64Array(w.length);
    const r = innovations(w, [], [], e, filled);
    best = { phi: [], theta: [], sse: r.sse, n: r.n };
    bestAicc = aicc(r.sse, r.n, nb + 1);
  }
  // GLS: filter y and every column by the fitted ARMA, regress again (innovations are linear in beta).
  if (best.phi.length + best.theta.length > 0 && nb > 0) {
    const e = new Float64Array(yd.length);
    const filled = new Float64Array(yd.length);
    const fy = new Float64Array(yd.length);
    innovations(yd, best.phi, best.theta, e, filled);
    const seen = Uint8Array.from(yd, (v) => (Number.isFinite(v) ? 1 : 0));
    for (let t = 0; t < yd.length; t++) fy[t] = seen[t] === 1 ? e[t]! : Number.NaN;
    const c = new Float64Array(yd.length);
    const cFilled = new Float64Array(yd.length);
    const fcols = informativeD.map((j) => {
      const col = colsD[j]!;
      for (let t = 0; t < c.length; t++) c[t] = seen[t] === 1 ? col[t]! : Number.NaN;
      const ec = new Float64Array(c.length);
      innovations(c, best.phi, best.theta, ec, cFilled); // 0 where y is missing (c is NaN there)
      return ec;
    });
    beta = betaOf(ols(fy, fcols, CONDITION));
    const w2 = residuals(yd, colsD, beta);
    const e2 = new Float64Array(w2.length);
    const r = innovations(w2, best.phi, best.theta, e2, new Float64Array(w2.length));
    best = { ...best, sse: r.sse, n: r.n };
    bestAicc = aicc(r.sse, r.n, best.phi.length + best.theta.length + nb + 1);
  }
  const params = best.phi.length + best.theta.length + nb;
  const sigma2 = best.n - params > 0 ? best.sse / (best.n - params) : best.n > 0 ? best.sse / best.n : 0;
  return { beta, phi: best.phi, theta: best.theta, d, sigma2, aicc: bestAicc, n: best.n };
}

/**
 * Forecast H steps: mean (on the scale of y) and sd per step, from the history (y, cols) and the
 * future columns (futureCols[j][h]).
 */
export function forecastRegArima(fit: RegArimaFit, y: Float64Array, cols: Columns, futureCols: Columns, H: number): { mu: Float64Array; sd: Float64Array } {
  const n = y.length;
  const xb = (c: Columns, t: number) => {
    let s = 0;
    for (let j = 0; j < c.length; j++) s += fit.beta[j]! * c[j]![t]!;
    return s;
  };
  const mu = new Float64Array(H);
  const { phi, theta } = fit;
  const yd = fit.d === 1 ? diff(y) : y;
  const w = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    if (!Number.isFinite(yd[t]!)) w[t] = Number.NaN;
    else w[t] = yd[t]! - (fit.d === 1 ? xb(cols, t) - xb(cols, t - 1) : xb(cols, t));
  }
  const e = new Float64Array(n + H);
  const filled = new Float64Array(n + H);
  innovations(w, phi, theta, e.subarray(0, n), filled.subarray(0, n));
  for (let h = 0; h < H; h++) {
    const t = n + h;
    let pred = 0;
    for (let i = 0; i < phi.length; i++) if (t - 1 - i >= 0) pred += phi[i]! * filled[t - 1 - i]!;
    for (let j = 0; j < theta.length; j++) if (t - 1 - j >= 0) pred += theta[j]! * e[t - 1 - j]!;
    filled[t] = pred;
    e[t] = 0;
  }
  if (fit.d === 0) {
    for (let h = 0; h < H; h++) mu[h] = xb(futureCols, h) + filled[n + h]!;
  } else {
    // Level at the origin: the last observed y, carried forward by the predicted differences.
    let last = -1;
    for (let t = n - 1; t >= 0; t--) if (Number.isFinite(y[t]!)) {
      last = t;
      break;
    }
    let level = last >= 0 ? y[last]! : 0;
    for (let t = last + 1; t < n; t++) level += xb(cols, t) - xb(cols, t - 1) + filled[t]!;
    let prevX = n > 0 ? xb(cols, n - 1) : 0;
    for (let h = 0; h < H; h++) {
      const x = xb(futureCols, h);
      level += x - prevX + filled[n + h]!;
      prevX = x;
      mu[h] = level;
    }
  }
  // psi weights of the ARMA, integrated once when d = 1.
  const psi = new Float64Array(H);
  psi[0] = 1;
  for (let j = 1; j < H; j++) {
    let v = j <= theta.length ? theta[j - 1]! : 0;
    for (let i = 1; i <= Math.min(j, phi.length); i++) v += phi[i - 1]! * psi[j - i]!;
    psi[j] = v;
  }
  if (fit.d === 1) for (let j = 1; j < H; j++) psi[j] = psi[j]! + psi[j - 1]!;
  const sd = new Float64Array(H);
  let acc = 0;
  for (let h = 0; h < H; h++) {
    acc += psi[h]! * psi[h]!;
    sd[h] = Math.sqrt(fit.sigma2 * acc);
  }
  return { mu, sd };
}
