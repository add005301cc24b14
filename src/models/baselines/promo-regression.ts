/**
 * `promo_regression`: the promotion-aware classical model ("regression with price and deal
 * regressors" with ARIMA-like errors). Per SKU, a ridge regression of log1p(units) on level, trend,
 * yearly Fourier terms, day of week (daily) and the covariates of each period (see _features.ts),
 * shrunk towards a global fit over all SKUs (pooling: a short or promotion-poor SKU borrows the
 * global seasonal shape and promotion lifts), fitted robustly (Huber weights), plus an error model
 * (none, AR(1) or local level, _residual-model.ts) that carries the current deviation from the
 * regression into the forecast. The forecast of each step
 * uses that step's planned covariates. Back-transform: expm1(mu + s_h^2 / 2) (the log-normal mean,
 * a bias correction) or expm1(mu) (the median) with `backTransform: 'median'`.
 */
import type { SalesData } from '../../core/types.js';
import { dataEnd } from '../../sales-data.js';
import type { Forecaster, FuturePlan, SeriesForecast } from '../forecaster.js';
import { type Cut, cutAt, residualSpread } from './local-forecaster.js';
import { type CovSpec, type DesignSpec, TREND, classifyCovariates, featureCount, featureRow, laggedCovariates, positiveMedian } from './_features.js';
import { holdoutActuals, scoreForecasts } from '../metrics.js';
import { fitResidualModel } from './_residual-model.js';
import { Gram, dot, ridgeSolve } from './_ridge.js';

export interface PromoRegressionOptions {
  /**
   * Yearly Fourier pairs for weekly data (used when the data spans >= 1 year); 'auto': chosen by
   * `fit` among FOURIER_CHOICES on the last 13 weeks of the history (pooled WAPE).
   */
  fourierWeekly: number | 'auto';
  fourierDaily: number;
  /** Ridge penalty towards the global fit, in pseudo-observations. */
  shrinkage: number;
  /** Extra penalty factor on the trend (towards the global trend). */
  trendPenalty: number;
  /** Fourier harmonic k gets shrinkage * k^harmonicPower. */
  harmonicPower: number;
  /** Carry the current deviation into the forecast (error model chosen per SKU, _residual-model.ts). */
  ar: boolean;
  /** Use log1p units of the same period a year (364 days) earlier as a regressor. */
  yearLag: boolean;
  backTransform: 'mean' | 'median';
  /** Huber-reweighted fit (robust to outliers such as stock-outs and returns). */
  robust: boolean;
  /**
   * Flags and prices also enter with the previous period's value (post-promotion dips; _features.ts);
   * 'auto': only when `fit` sees them lower the pooled WAPE on the validation periods by more than
   * LAG_GAIN (they cost accuracy on data without such dips).
   */
  lagged: boolean | 'auto';
  /** The Easter shopping period as a regressor (core/calendar.ts easterFlag), when the history spans a year. */
  easter: boolean;
}

export const PROMO_REGRESSION_DEFAULTS: PromoRegressionOptions = {
  fourierWeekly: 'auto',
  fourierDaily: 4,
  shrinkage: 5,
  trendPenalty: 10,
  harmonicPower: 0,
  ar: true,
  yearLag: false,
  backTransform: 'mean',
  robust: true,
  lagged: 'auto',
  easter: true,
};

/** Least relative drop of the validation WAPE for which `lagged: 'auto'` keeps the lagged regressors. */
export const LAG_GAIN = 0.005;

/** Candidate yearly Fourier pairs for weekly data (sharp holiday weeks need many, noise few). */
export const FOURIER_CHOICES = [4, 10, 20];
/** Used when `fourierWeekly` is 'auto' but `fit` could not choose (no fit, too little history). */
const FOURIER_FALLBACK = 10;
/** Periods held out by `fit` to choose the Fourier order and calibrate the spread. */
const VALIDATION: Record<'D' | 'W', number> = { W: 13, D: 28 };
/** At most this many SKUs (an even sample) take part in the validation. */
const VALIDATION_MAX_SKUS = 500;

/** Huber threshold in robust standard deviations (outliers such as stock-outs get less weight). */
const HUBER_K = 2;
/** Reweighting passes of the robust fit. */
const ROBUST_PASSES = 2;

/** Largest log-scale variance used in the mean correction (guards intermittent series). */
const MAX_LOG_VAR = 1;

/** A forecast on the log1p scale, before the back-transform. */
interface Raw {
  mu: Float64Array;
  /** In-sample log-scale sd and residual quantiles per step. */
  s: Float64Array;
  q10: Float64Array;
  q90: Float64Array;
  /** Largest mu / upper quantile allowed. */
  cap: number;
}

/**
 * Back-transform: mean = expm1(mu + s^2 / 2) (or expm1(mu) for 'median'); sd, p10 and p90 use the
 * spread times `scale` (the calibration from `fit`).
 */
function toForecast(raw: Raw, scale: number, backTransform: 'mean' | 'median', model: string): SeriesForecast {
  const H = raw.mu.length;
  const mean = new Float64Array(H);
  const sd = new Float64Array(H);
  const p10 = new Float64Array(H);
  const p90 = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    const mu = raw.mu[h]!;
    const v = Math.min(MAX_LOG_VAR, raw.s[h]! * raw.s[h]!);
    const vc = Math.min(MAX_LOG_VAR, scale * scale * raw.s[h]! * raw.s[h]!);
    mean[h] = Math.max(0, Math.expm1(mu + (backTransform === 'mean' ? v / 2 : 0)));
    sd[h] = Math.exp(mu + vc / 2) * Math.sqrt(Math.expm1(vc));
    p10[h] = Math.min(mean[h]!, Math.max(0, Math.expm1(mu + scale * raw.q10[h]!)));
    p90[h] = Math.max(mean[h]!, Math.expm1(Math.min(raw.cap, mu + scale * raw.q90[h]!)));
  }
  return { mean, sd, p10, p90, model };
}

/** The spread scale (0.5 .. 3) whose p10..p90 covers closest to 80% of the observed actuals. */
function calibrate(raws: Map<string, Raw>, actuals: Map<string, Float64Array>): number {
  let best = 1;
  let bestGap = Number.POSITIVE_INFINITY;
  for (let c = 0.5; c <= 3.0001; c += 0.1) {
    let inside = 0;
    let n = 0;
    for (const [sku, raw] of raws) {
      const y = actuals.get(sku)!;
      for (let h = 0; h < raw.mu.length; h++) {
        if (Number.isNaN(y[h]!)) continue;
        const lo = Math.max(0, Math.expm1(raw.mu[h]! + c * raw.q10[h]!));
        const hi = Math.max(lo, Math.expm1(Math.min(raw.cap, raw.mu[h]! + c * raw.q90[h]!)));
        n++;
        if (y[h]! >= lo && y[h]! <= hi) inside++;
      }
    }
    const gap = n > 0 ? Math.abs(inside / n - 0.8) : 0;
    if (gap < bestGap - 1e-9) {
      bestGap = gap;
      best = Math.round(c * 10) / 10;
    }
  }
  return best;
}

interface Global {
  spec: DesignSpec;
  prior: Float64Array;
}

/** One SKU on the model's scale: z = log1p(max(units, 0)) (NaN = missing). */
interface Prepared {
  cut: Cut;
  z: Float64Array;
  meanLog: number;
  medians: Float64Array;
}

function prepare(spec: DesignSpec, cut: Cut): Prepared {
  const z = cut.y.map((v) => (Number.isNaN(v) ? Number.NaN : Math.log1p(Math.max(0, v))));
  let sum = 0;
  let n = 0;
  for (const v of z) {
    if (Number.isNaN(v)) continue;
    sum += v;
    n++;
  }
  const medians = Float64Array.from(spec.covs, (c, k) => (c.kind === 'price' ? positiveMedian(cut.cov[k]!) : Number.NaN));
  return { cut, z, meanLog: n > 0 ? sum / n : 0, medians };
}

/** The "same period last year" feature of history index t (0 when unknown). */
function lastYear(spec: DesignSpec, sku: Prepared, t: number): number {
  const j = t - spec.yearLag;
  if (spec.yearLag === 0 || j < 0 || j >= sku.z.length || Number.isNaN(sku.z[j]!)) return 0;
  return sku.z[j]! - sku.meanLog;
}

function historyRow(spec: DesignSpec, sku: Prepared, t: number, origin: number, step: number, x: Float64Array): void {
  const { cut } = sku;
  featureRow(spec, cut.start + t * step, origin, (k) => cut.cov[k]![t]!, sku.medians, lastYear(spec, sku, t), x, (k) => (t > 0 ? cut.cov[k]![t - 1]! : Number.NaN));
}

/** Feature rows of one SKU's observed periods (row-major) and their indices. */
function skuRows(spec: DesignSpec, sku: Prepared, origin: number, step: number): { rows: Float64Array; idx: Int32Array } {
  const p = featureCount(spec);
  const idx: number[] = [];
  for (let t = 0; t < sku.z.length; t++) if (!Number.isNaN(sku.z[t]!)) idx.push(t);
  const rows = new Float64Array(idx.length * p);
  idx.forEach((t, i) => historyRow(spec, sku, t, origin, step, rows.subarray(i * p, (i + 1) * p)));
  return { rows, idx: Int32Array.from(idx) };
}

/** Gram of the rows (target z), optionally weighted. */
function rowsGram(p: number, rows: Float64Array, idx: Int32Array, z: Float64Array, w?: Float64Array): Gram {
  const g = new Gram(p);
  for (let i = 0; i < idx.length; i++) g.add(rows.subarray(i * p, (i + 1) * p), z[idx[i]!]!, w === undefined ? 1 : w[i]!);
  g.symmetrize();
  return g;
}

function skuGram(spec: DesignSpec, sku: Prepared, origin: number, step: number): Gram {
  const { rows, idx } = skuRows(spec, sku, origin, step);
  return rowsGram(featureCount(spec), rows, idx, sku.z);
}

/** Huber weights for residuals e: 1 within HUBER_K robust sds (MAD), k * s / |e| beyond. */
export function huberWeights(e: Float64Array): Float64Array {
  const abs = Float64Array.from(e, Math.abs).sort();
  const mad = abs.length > 0 ? abs[abs.length >> 1]! : 0;
  const lim = HUBER_K * 1.4826 * mad;
  return Float64Array.from(e, (v) => (lim > 0 && Math.abs(v) > lim ? lim / Math.abs(v) : 1));
}

/** Global coefficients: pooled ridge on SKU-demeaned features and targets (no intercept). */
function globalFit(spec: DesignSpec, cuts: Cut[], origin: number, step: number): Float64Array {
  const p = featureCount(spec);
  const pooled = new Gram(p);
  for (const cut of cuts) {
    const g = skuGram(spec, prepare(spec, cut), origin, step);
    if (g.n < 2) continue;
    for (let i = 1; i < p; i++) {
      pooled.xy[i] = pooled.xy[i]! + g.xy[i]! - (g.xx[i]! * g.xy[0]!) / g.n;
      for (let j = 1; j < p; j++) pooled.xx[i * p + j] = pooled.xx[i * p + j]! + g.xx[i * p + j]! - (g.xx[i]! * g.xx[j]!) / g.n;
    }
    pooled.n += g.n;
  }
  const penalty = new Float64Array(p).fill(1);
  penalty[0] = 1;
  return ridgeSolve(pooled, penalty, new Float64Array(p));
}

export class PromoRegressionForecaster implements Forecaster {
  readonly name = 'promo_regression';
  private readonly opts: PromoRegressionOptions;
  private global: Global | undefined;
  /** Yearly Fourier pairs for weekly data, as chosen by `fit` (or given). */
  fourierChosen: number | undefined;
  /** Factor on the in-sample spread, calibrated by `fit` on the validation periods. */
  spreadScale = 1;
  /** Whether the lagged regressors are used, as chosen by `fit` ('auto') or given. */
  laggedChosen: boolean | undefined;

  constructor(options: Partial<PromoRegressionOptions> = {}) {
    this.opts = { ...PROMO_REGRESSION_DEFAULTS, ...options };
  }

  private designFor(data: SalesData, covs: CovSpec[], origin: number): DesignSpec {
    let first = Number.POSITIVE_INFINITY;
    for (const s of data.series) first = Math.min(first, s.start);
    const years = (origin - first) / 365.25;
    const weekly = this.fourierChosen ?? (this.opts.fourierWeekly === 'auto' ? FOURIER_FALLBACK : this.opts.fourierWeekly);
    const fourier = years >= 1 ? (data.freq === 'D' ? this.opts.fourierDaily : weekly) : 0;
    const yearLag = this.opts.yearLag && years >= 1.25 ? 364 / data.step : 0;
    return { freq: data.freq, fourier, dayOfWeek: data.freq === 'D', easter: this.opts.easter && years >= 1, yearLag, covs, lagged: (this.laggedChosen ?? this.opts.lagged === true) ? laggedCovariates(covs) : [] };
  }

  private learnGlobal(data: SalesData, origin: number): Global {
    const spec = this.designFor(data, classifyCovariates(data, origin), origin);
    const cuts = data.series.map((s) => cutAt(s, origin, data.step));
    return { spec, prior: globalFit(spec, cuts, origin, data.step) };
  }

  async fit(history: SalesData): Promise<void> {
    this.fourierChosen = this.opts.fourierWeekly === 'auto' ? undefined : this.opts.fourierWeekly;
    this.laggedChosen = this.opts.lagged === 'auto' ? false : this.opts.lagged;
    this.spreadScale = 1;
    this.validate(history);
    this.global = this.learnGlobal(history, dataEnd(history));
  }

  /**
   * Refit without the last VALIDATION periods and forecast them (with their actual covariates as
   * the plan): picks the weekly Fourier order with the best pooled WAPE ('auto', weekly data with a
   * year before the validation), then whether the lagged regressors help (`lagged: 'auto'`: mean
   * WAPE over this span and the one before it, refitted there, when the history allows), and
   * calibrates the spread so p10..p90 covers 80% there.
   */
  private validate(all: SalesData): void {
    // A deterministic, evenly spread sample of SKUs keeps the validation cheap on big data sets.
    const every = Math.ceil(all.series.length / VALIDATION_MAX_SKUS);
    const history = every > 1 ? { ...all, series: all.series.filter((_, i) => i % every === 0) } : all;
    const v = VALIDATION[history.freq];
    const end = dataEnd(history);
    const origin = end - v * history.step;
    let first = Number.POSITIVE_INFINITY;
    for (const s of history.series) first = Math.min(first, s.start);
    if (origin - first < 2 * v * history.step) return;
    const spanAt = (o: number) => {
      const { actuals, insample } = holdoutActuals(history, o, v);
      const plan: FuturePlan = new Map();
      for (const s of history.series) {
        const n = Math.floor((o - s.start) / history.step) + 1;
        plan.set(s.sku, s.covariates.map((c) => Float64Array.from({ length: v }, (_, h) => (n + h >= 0 && n + h < c.length ? c[n + h]! : Number.NaN))));
      }
      return { origin: o, actuals, insample, plan };
    };
    const last = spanAt(origin);
    const auto = this.opts.fourierWeekly === 'auto' && history.freq === 'W' && origin - first >= 365;
    let best: { k: number | undefined; wape: number; raws: Map<string, Raw> } | undefined;
    const lagged = this.laggedChosen!;
    const score = (k: number | undefined, lag: boolean, span = last) => {
      const m = new PromoRegressionForecaster({ ...this.opts, fourierWeekly: k ?? FOURIER_FALLBACK, lagged: lag });
      const raws = m.predictRaw(history, span.origin, v, span.plan);
      const fc = new Map([...raws].map(([sku, raw]) => [sku, toForecast(raw, 1, this.opts.backTransform, this.name)]));
      return { k, wape: scoreForecasts(span.actuals, fc, span.insample, 52).overall.wape, raws };
    };
    for (const k of auto ? FOURIER_CHOICES : [this.fourierChosen]) {
      const s = score(k, lagged);
      if (best === undefined || s.wape < best.wape) best = s;
    }
    if (auto) this.fourierChosen = best!.k;
    if (this.opts.lagged === 'auto' && laggedCovariates(classifyCovariates(history)).length > 0) {
      // Judged on the last span and, where the history allows, the span before it (mean WAPE): on
      // one span of 13 weeks the gain can sit on either side of LAG_GAIN by chance (docs/forecasting.md).
      const earlier = origin - v * history.step;
      const spans = earlier - first >= 2 * v * history.step ? [last, spanAt(earlier)] : [last];
      const without = spans.map((sp) => (sp === last ? best! : score(best!.k, false, sp)));
      const withLag = spans.map((sp) => score(best!.k, true, sp));
      const mean = (xs: { wape: number }[]) => xs.reduce((a, x) => a + x.wape, 0) / xs.length;
      if (mean(withLag) < mean(without) * (1 - LAG_GAIN)) {
        this.laggedChosen = true;
        best = withLag[0]!;
      }
    }
    this.spreadScale = calibrate(best!.raws, last.actuals);
  }

  async predict(history: SalesData, origin: number, horizon: number, plan: FuturePlan): Promise<Map<string, SeriesForecast>> {
    const out = new Map<string, SeriesForecast>();
    for (const [sku, raw] of this.predictRaw(history, origin, horizon, plan)) out.set(sku, toForecast(raw, this.spreadScale, this.opts.backTransform, this.name));
    return out;
  }

  private predictRaw(history: SalesData, origin: number, horizon: number, plan: FuturePlan): Map<string, Raw> {
    const fitted = this.global;
    const global =
      fitted !== undefined && fitted.spec.freq === history.freq && fitted.spec.covs.map((c) => c.name).join('\n') === history.covariates.join('\n')
        ? fitted
        : this.learnGlobal(history, origin);
    const out = new Map<string, Raw>();
    for (const s of history.series) out.set(s.sku, this.forecastSku(global, cutAt(s, origin, history.step), origin, history.step, horizon, plan.get(s.sku)));
    return out;
  }

  private forecastSku(global: Global, cut: Cut, origin: number, step: number, horizon: number, future: Float64Array[] | undefined): Raw {
    const { spec, prior } = global;
    const p = featureCount(spec);
    const sku = prepare(spec, cut);
    const { rows, idx } = skuRows(spec, sku, origin, step);
    let g = rowsGram(p, rows, idx, sku.z);
    if (g.n === 0) {
      const zero = () => new Float64Array(horizon);
      return { mu: zero(), s: zero(), q10: zero(), q90: zero(), cap: 0 };
    }
    const penalty = new Float64Array(p).fill(this.opts.shrinkage);
    penalty[0] = 0;
    penalty[TREND] = this.opts.shrinkage * this.opts.trendPenalty;
    // Optional smoothness prior on the yearly curve: harmonic k is penalized k^harmonicPower times as hard.
    for (let k = 1; k <= spec.fourier; k++) for (const i of [2 * k, 2 * k + 1]) penalty[i] = this.opts.shrinkage * k ** this.opts.harmonicPower;
    const pri = Float64Array.from(prior);
    pri[0] = 0;
    let beta = ridgeSolve(g, penalty, pri);
    for (let pass = 0; pass < (this.opts.robust ? ROBUST_PASSES : 0); pass++) {
      const e = Float64Array.from(idx, (t, i) => sku.z[t]! - dot(beta, rows.subarray(i * p, (i + 1) * p)));
      g = rowsGram(p, rows, idx, sku.z, huberWeights(e));
      beta = ridgeSolve(g, penalty, pri);
    }
    const x = new Float64Array(p);

    // Residuals on the log scale (the observed periods are the rows above), the error model and its in-sample h-step errors.
    const n = cut.y.length;
    const r = new Float64Array(n).fill(Number.NaN);
    let maxLog = 0;
    for (let i = 0; i < idx.length; i++) {
      const t = idx[i]!;
      const z = sku.z[t]!;
      maxLog = Math.max(maxLog, z);
      r[t] = z - dot(beta, rows.subarray(i * p, (i + 1) * p));
    }
    const fit = fitResidualModel(r, horizon, this.opts.ar);
    const nObs = idx.length;
    const inflate = Math.sqrt(nObs / Math.max(nObs - p, nObs / 2));
    for (const e of fit.errors) for (let i = 0; i < e.length; i++) e[i] = e[i]! * inflate;
    let ss = 0;
    for (let t = 0; t < n; t++) if (!Number.isNaN(r[t]!)) ss += r[t]! * r[t]!;
    const spread = residualSpread(fit.errors, Math.sqrt(ss / nObs) * inflate, horizon);

    const cap = maxLog + 1;
    const mus = new Float64Array(horizon);
    for (let h = 1; h <= horizon; h++) {
      const day = origin + h * step;
      const j = n - 1 + h - spec.yearLag;
      const ly = spec.yearLag === 0 ? 0 : j < n ? lastYear(spec, sku, n - 1 + h) : mus[j - n]! - sku.meanLog;
      const prev = (k: number) => (h === 1 ? (n > 0 ? cut.cov[k]![n - 1]! : Number.NaN) : (future?.[k]?.[h - 2] ?? Number.NaN));
      featureRow(spec, day, origin, (k) => future?.[k]?.[h - 1] ?? Number.NaN, sku.medians, ly, x, prev);
      mus[h - 1] = Math.min(cap, dot(beta, x) + fit.correction[h - 1]!);
    }
    return { mu: mus, s: spread.sd, q10: spread.q10, q90: spread.q90, cap };
  }
}
