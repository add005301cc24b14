/**
 * `arimax`: regression with ARIMA errors per SKU (dynamic regression; R `forecast::auto.arima(xreg=)`,
 * statsforecast `AutoARIMA` with exogenous regressors), the classical promotion-aware peer.
 *
 * Per SKU on y = log1p(units): intercept, the covariates (price as log(price / the SKU's usual price),
 * 0/1 flags as they are, other numbers log1p-standardized over all SKUs: _features.ts, kept only when
 * they help on a time holdout, see `fit`), the flags and prices once more with the previous period's
 * value (post-promotion dips; kept on the same holdout test), day-of-week
 * dummies for daily data and, when the SKU's history spans at least FOURIER_MIN_YEARS, yearly Fourier
 * pairs chosen by AICc of the regression among FOURIER_CHOICES, and the Easter flag (core/calendar.ts)
 * where it lowers that AICc. Errors: ARIMA(p, d, q), d in {0, 1} by
 * KPSS, p, q <= 2 stepwise by AICc (_regarima.ts). Short series fall back to the regression with white
 * errors, then to the mean of log1p units. Forecast: each step uses that step's planned covariates;
 * point = expm1(mu) (the median), p10/p90 = expm1(mu -/+ 1.2816 sd_h) from the ARIMA's psi weights,
 * mu and the log p90 capped at the SKU's largest log1p units + 1; sd = (p90 - p10) / 2.563.
 */
import { easterFlag, weekday } from '../../core/calendar.js';
import { FREQ_STEP_DAYS, type Freq, type SalesData } from '../../core/types.js';
import { dataEnd } from '../../sales-data.js';
import type { Forecaster, FuturePlan, SeriesForecast } from '../forecaster.js';
import { splitAt } from '../holdout.js';
import { scoreForecasts } from '../metrics.js';
import { Z90, sdOf80 } from '../../core/stats.js';
import { cutAt } from './local-forecaster.js';
import { type CovSpec, classifyCovariates, covFeature, laggedCovariates, positiveMedian } from './_features.js';
import { type Columns, REGARIMA_DEFAULTS, fitRegArima, forecastRegArima, informative, ols } from './_regarima.js';

const YEAR = 365.25;
/** Yearly Fourier pairs tried (weekly / daily) when the history is long enough. */
const FOURIER_CHOICES: Record<Freq, number[]> = { W: [0, 4, 10, 20], D: [0, 4] };
const FOURIER_MIN_YEARS = 1.5;
/** Observed periods needed beyond the regression's columns before ARMA errors are fitted. */
const MIN_EXTRA_FOR_ARMA = 12;
/** Periods held out by `fit` to screen the generic numeric covariates, and the SKUs it samples. */
const SCREEN_PERIODS: Record<Freq, number> = { W: 13, D: 28 };
const SCREEN_MAX_SKUS = 300;
/** Log-scale sd used when a series has fewer than 2 observations. */
const DEFAULT_LOG_SD = 0.5;

export interface ArimaxOptions {
  /** Yearly Fourier pairs tried by AICc (weekly, daily). */
  fourier: Record<Freq, number[]>;
  /** Allow d = 1 (KPSS); false keeps d = 0. */
  difference: boolean;
  maxOrder: number;
  /**
   * Flags and prices also enter with the previous period's value (post-promotion dips; _features.ts);
   * 'auto': only when `fit` sees them lower the pooled WAPE of its holdout by more than 0.5%.
   */
  lagged: boolean | 'auto';
  /** The Easter shopping period as a regressor (core/calendar.ts easterFlag) where it lowers a SKU's AICc. */
  easter: boolean;
}

export const ARIMAX_DEFAULTS: ArimaxOptions = { fourier: FOURIER_CHOICES, difference: true, maxOrder: REGARIMA_DEFAULTS.maxOrder, lagged: 'auto', easter: true };

export class ArimaxForecaster implements Forecaster {
  readonly name = 'arimax';
  private covs: CovSpec[] = [];
  private readonly opts: ArimaxOptions;
  /** Generic numeric covariates are fed as neutral (0) unless `fit` saw them help on a time holdout. */
  numericKept = false;
  /** Whether the lagged regressors are used: given, or ('auto') kept by `fit` when they helped. */
  laggedKept = false;
  private neutral = new Set<number>();

  constructor(opts: Partial<ArimaxOptions> = {}) {
    this.opts = { ...ARIMAX_DEFAULTS, ...opts };
    this.laggedKept = this.opts.lagged === true;
  }

  /**
   * Classify the covariates, then screen the generic numeric ones (not prices, not flags: amounts
   * such as markdown dollars, which may be recorded in part of the history only or be confounded
   * with the season; those that only started to vary less than a yearly cycle before the end stay
   * neutral unscreened, _features.ts classifyCovariates): refit without the last SCREEN_PERIODS
   * periods on an even sample of at most SCREEN_MAX_SKUS SKUs and keep them only if they lower the
   * pooled holdout WAPE by more than 0.5%.
   */
  async fit(history: SalesData): Promise<void> {
    this.covs = classifyCovariates(history);
    const numeric = this.covs.flatMap((c, k) => (c.kind === 'numeric' ? [k] : []));
    // Short-lived ones (classifyCovariates) stay neutral: only the others are screened.
    const shortLived = new Set(numeric.filter((k) => this.covs[k]!.neutral === true));
    this.neutral = new Set(numeric);
    this.numericKept = false;
    this.laggedKept = this.opts.lagged === true;
    const screenLags = this.opts.lagged === 'auto' && laggedCovariates(this.covs).length > 0;
    if (numeric.length === shortLived.size && !screenLags) return;
    const every = Math.ceil(history.series.length / SCREEN_MAX_SKUS);
    const sample = { ...history, series: history.series.filter((_, i) => i % every === 0) };
    const v = SCREEN_PERIODS[history.freq];
    const origin = dataEnd(sample) - v * sample.step;
    const split = splitAt(sample, origin, v);
    const insample = new Map(split.history.series.map((s) => [s.sku, s.units]));
    const wape = async (neutral: Set<number>, lagged: boolean) => {
      this.neutral = neutral;
      this.laggedKept = lagged;
      return scoreForecasts(split.actual, await this.predict(split.history, origin, v, split.plan), insample, 52).overall.wape;
    };
    const lagged = this.laggedKept;
    let best = await wape(new Set(numeric), lagged);
    if (numeric.length > shortLived.size) {
      const withNumeric = await wape(shortLived, lagged);
      this.numericKept = withNumeric < best * 0.995;
      if (this.numericKept) best = withNumeric;
    }
    const neutral = this.numericKept ? shortLived : new Set(numeric);
    this.laggedKept = screenLags ? (await wape(neutral, true)) < best * 0.995 : lagged;
    this.neutral = neutral;
  }

  async predict(history: SalesData, origin: number, horizon: number, plan: FuturePlan): Promise<Map<string, SeriesForecast>> {
    if (this.covs.length !== history.covariates.length) {
      this.covs = classifyCovariates(history);
      this.neutral = new Set(this.covs.flatMap((c, k) => (c.kind === 'numeric' ? [k] : [])));
    }
    const out = new Map<string, SeriesForecast>();
    // The same for every SKU: the covariates fed, and the positions among them that also enter lagged.
    const used = this.covs.flatMap((_, k) => (this.neutral.has(k) ? [] : [k]));
    const lagged = new Set(this.laggedKept ? laggedCovariates(this.covs) : []);
    const lagAt = used.flatMap((k, j) => (lagged.has(k) ? [j] : []));
    for (const s of history.series) {
      const cut = cutAt(s, origin, history.step);
      const medians = cut.cov.map((c, k) => (this.covs[k]!.kind === 'price' ? positiveMedian(c) : Number.NaN));
      const y = Float64Array.from(cut.y, (v) => (Number.isFinite(v) ? Math.log1p(Math.max(0, v)) : Number.NaN));
      const days = (n: number, first: number) => Float64Array.from({ length: n }, (_, i) => first + i * history.step);
      const histDays = days(y.length, cut.start);
      const futDays = days(horizon, origin + history.step);
      const fut = plan.get(s.sku);
      const covHist = used.map((k) => Float64Array.from(cut.cov[k]!, (v) => covFeature(this.covs[k]!, v, medians[k]!)));
      const covFut = used.map((k) => Float64Array.from({ length: horizon }, (_, h) => covFeature(this.covs[k]!, fut?.[k]?.[h] ?? Number.NaN, medians[k]!)));
      for (const j of lagAt) {
        const hist = covHist[j]!;
        const future = covFut[j]!;
        covHist.push(Float64Array.from(hist, (_, t) => (t > 0 ? hist[t - 1]! : 0)));
        covFut.push(Float64Array.from(future, (_, h) => (h > 0 ? future[h - 1]! : hist.length > 0 ? hist[hist.length - 1]! : 0)));
      }
      const { mu, sd } = forecastSeries(y, histDays, futDays, covHist, covFut, history.freq, this.opts);
      out.set(s.sku, toUnits(mu, sd, y));
    }
    return out;
  }
}

function calendarColumns(days: Float64Array, fourier: number, freq: Freq, easter: boolean): Columns {
  const grid = regularGrid(days);
  const column = (name: string, f: (d: number) => number): Float64Array => {
    if (grid === undefined) return Float64Array.from(days, f);
    const key = `${grid}|${name}`;
    let c = CALENDAR_CACHE.get(key);
    if (c === undefined) {
      if (CALENDAR_CACHE.size >= CALENDAR_CACHE_MAX) CALENDAR_CACHE.clear();
      CALENDAR_CACHE.set(key, (c = Float64Array.from(days, f)));
    }
    return c;
  };
  const cols: Columns = [];
  for (let k = 1; k <= fourier; k++) {
    cols.push(column(`s${k}`, (d) => Math.sin((2 * Math.PI * k * d) / YEAR)));
    cols.push(column(`c${k}`, (d) => Math.cos((2 * Math.PI * k * d) / YEAR)));
  }
  if (freq === 'D') for (let wd = 1; wd <= 6; wd++) cols.push(column(`w${wd}`, (d) => (weekday(d) === wd ? 1 : 0)));
  if (easter) cols.push(column('easter', (d) => easterFlag(d, FREQ_STEP_DAYS[freq])));
  return cols;
}

/**
 * The calendar columns of the day grids seen, shared by every series on the same grid (most SKUs
 * of a panel): the same values, computed once. Read only (the fits never write into a column).
 */
const CALENDAR_CACHE = new Map<string, Float64Array>();
const CALENDAR_CACHE_MAX = 4096;

/** `first,step,length` when days are evenly spaced (the key of the cache), else undefined. */
function regularGrid(days: Float64Array): string | undefined {
  const n = days.length;
  if (n === 0) return undefined;
  const step = n > 1 ? days[1]! - days[0]! : 0;
  for (let i = 2; i < n; i++) if (days[i]! - days[i - 1]! !== step) return undefined;
  return `${days[0]},${step},${n}`;
}

function sse(y: Float64Array, cols: Columns, beta: Float64Array): { sse: number; n: number } {
  let s = 0;
  let n = 0;
  for (let t = 0; t < y.length; t++) {
    if (!Number.isFinite(y[t]!)) continue;
    let f = 0;
    for (let j = 0; j < cols.length; j++) f += beta[j]! * cols[j]![t]!;
    s += (y[t]! - f) ** 2;
    n++;
  }
  return { sse: s, n };
}

/** AICc of the plain regression of y on the informative ones of `cols`; undefined when too few observations remain for ARMA errors. */
function regressionAicc(y: Float64Array, cols: Columns, observed: number): number | undefined {
  const kept = informative(y, cols, true);
  if (observed < kept.length + MIN_EXTRA_FOR_ARMA) return undefined;
  const sub = kept.map((j) => cols[j]!);
  const r = sse(y, sub, ols(y, sub));
  const k = kept.length + 1;
  return r.n * Math.log(Math.max(r.sse, 1e-12) / r.n) + 2 * k + (2 * k * (k + 1)) / Math.max(1, r.n - k - 1);
}

/**
 * The Fourier order with the lowest AICc of the plain regression (0 when the history is short),
 * then whether the Easter column lowers the AICc at that order (with `easter`): per SKU it rests
 * on one period a year, so it enters only when this SKU shows the effect.
 */
function chooseCalendar(y: Float64Array, days: Float64Array, base: Columns, freq: Freq, observed: number, choices: number[], easter: boolean): { K: number; easter: boolean } {
  let first = -1;
  let last = -1;
  for (let t = 0; t < y.length; t++) if (Number.isFinite(y[t]!)) (first = first < 0 ? t : first), (last = t);
  if (first < 0 || days[last]! - days[first]! < FOURIER_MIN_YEARS * YEAR) return { K: 0, easter: false };
  let best = 0;
  let bestAicc = Number.POSITIVE_INFINITY;
  for (const K of choices) {
    const a = regressionAicc(y, [...base, ...calendarColumns(days, K, freq, false)], observed);
    if (a !== undefined && a < bestAicc) {
      bestAicc = a;
      best = K;
    }
  }
  const withEaster = easter ? regressionAicc(y, [...base, ...calendarColumns(days, best, freq, true)], observed) : undefined;
  return { K: best, easter: withEaster !== undefined && withEaster < bestAicc };
}

/** mu and sd (log1p scale) for one series; covariate features already transformed. */
export function forecastSeries(
  y: Float64Array,
  histDays: Float64Array,
  futDays: Float64Array,
  covHist: Columns,
  covFut: Columns,
  freq: Freq,
  opts: ArimaxOptions = ARIMAX_DEFAULTS,
): { mu: Float64Array; sd: Float64Array } {
  const H = futDays.length;
  let observed = 0;
  let sum = 0;
  let ss = 0;
  for (const v of y) {
    if (!Number.isFinite(v)) continue;
    observed++;
    sum += v;
    ss += v * v;
  }
  if (observed === 0) return { mu: new Float64Array(H), sd: new Float64Array(H) };
  const mean = sum / observed;
  const meanOnly = () => {
    const sdv = observed >= 2 ? Math.sqrt(Math.max(0, ss / observed - mean * mean) * (1 + 1 / observed)) : DEFAULT_LOG_SD;
    return { mu: new Float64Array(H).fill(mean), sd: new Float64Array(H).fill(sdv) };
  };
  const one = (n: number) => new Float64Array(n).fill(1);
  const baseHist = [one(y.length), ...covHist];
  const baseFut = [one(H), ...covFut];
  const { K, easter } = chooseCalendar(y, histDays, baseHist, freq, observed, opts.fourier[freq], opts.easter);
  const cols = [...baseHist, ...calendarColumns(histDays, K, freq, easter)];
  const futureCols = [...baseFut, ...calendarColumns(futDays, K, freq, easter)];
  const kept = informative(y, cols, true).length;
  if (observed < kept + 3) return meanOnly();
  const arma = observed >= kept + MIN_EXTRA_FOR_ARMA;
  const fit = fitRegArima(y, cols, { maxOrder: opts.maxOrder, kpssCritical: opts.difference ? REGARIMA_DEFAULTS.kpssCritical : Number.POSITIVE_INFINITY }, arma);
  if (!Number.isFinite(fit.sigma2)) return meanOnly();
  return forecastRegArima(fit, y, cols, futureCols, H);
}

function toUnits(mu: Float64Array, sd: Float64Array, y: Float64Array): SeriesForecast {
  const H = mu.length;
  let cap = 0;
  for (const v of y) if (Number.isFinite(v)) cap = Math.max(cap, v);
  cap += 1;
  const f: SeriesForecast = { mean: new Float64Array(H), sd: new Float64Array(H), p10: new Float64Array(H), p90: new Float64Array(H), model: 'arimax' };
  for (let h = 0; h < H; h++) {
    const m = Math.min(cap, Number.isFinite(mu[h]!) ? mu[h]! : 0);
    const s = Number.isFinite(sd[h]!) ? sd[h]! : 0;
    f.mean[h] = Math.max(0, Math.expm1(m));
    f.p10[h] = Math.min(f.mean[h]!, Math.max(0, Math.expm1(m - Z90 * s)));
    f.p90[h] = Math.max(f.mean[h]!, Math.expm1(Math.min(cap, m + Z90 * s)));
    f.sd[h] = sdOf80(f.p10[h]!, f.p90[h]!);
  }
  return f;
}
