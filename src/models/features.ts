/**
 * The feature specification of the global model and the per-series feature arrays it is built from
 * (pure). Layout per window (see docs/forecasting.md):
 *
 * - past step   : [z, observed, z one season back, its observed flag, covariate effect,
 *                  covariates..., calendar...]
 * - future step : [covariates..., calendar..., z one season back, its observed flag,
 *                  mean z of the season-back neighbours, (h + 1) / horizon, covariate effect]
 *   (covariate effect = sum over covariates of the SKU's estimated effect x value, effects.ts)
 * - static      : [standardized log scale, log1p(observed periods) / 8, zero share, anchor]
 *
 * Every z the network sees is relative to the window's anchor (mean z of its observed history),
 * targets included; forecasts add the anchor back (windows.ts).
 *
 * z = log1p(units / scale) (scaling.ts); missing periods have z = 0 and observed = 0. In version 2
 * (FEATURE_VERSION) the scale and the static inputs are the window's own, from the periods up to
 * its origin (the season before it): nothing a window sees comes from after its origin. Version 1
 * (models saved before) used one scale per SKU and the statics of its whole training history,
 * which told a training window the level its series would reach later. Version 3 adds the Easter
 * flag as the last calendar feature (core/calendar.ts easterFlag). Generic numeric
 * covariates (not flags, not prices) enter relative to their mean over the history window, so a
 * covariate that only starts being recorded late in the history does not look like a regime change.
 */
import { dayOfYear, easterFlag, weekday, yearPeriods } from '../core/calendar.js';
import type { Freq, SalesData, Series } from '../core/types.js';
import { type CovariateTransform, type SkuStats, toScaled, transformCovariate } from './scaling.js';

export const FEATURE_VERSION = 3;

/** Version 2 on: each window's scale and statics come from the periods up to its origin. */
export function scalesAtOrigin(spec: Pick<FeatureSpec, 'version'>): boolean {
  return spec.version >= 2;
}
export const FOURIER_TERMS = 4;

export interface FeatureSpec {
  version: number;
  freq: Freq;
  step: number;
  window: number;
  horizon: number;
  /** Periods in one season (52 weeks or 364 days): the seasonal-lag input. */
  season: number;
  covariates: CovariateTransform[];
  /** Calendar features per period (day of week one-hot for daily data, week of year, Fourier terms). */
  calendar: number;
  pastFeatures: number;
  futureFeatures: number;
  staticFeatures: number;
  /**
   * Loss weight of a window = clamp((level / weightReference) ^ weightPower, 0.05, 5), level = the
   * anchor in units: WAPE counts units, so high-volume windows count more (0 = unweighted).
   */
  weightPower: number;
  weightReference: number;
  /** Covariate effects over all SKUs (the prior of a SKU the model has not seen). */
  globalEffects: number[];
  /** Mean and sd of log(scale) over the training SKUs (standardizes the static input). */
  logScaleMean: number;
  logScaleSd: number;
}

export const LOSS_WEIGHT_POWER = 0;

function medianOf(values: number[]): number {
  if (values.length === 0) return 1;
  const v = [...values].sort((a, b) => a - b);
  return v[v.length >> 1]!;
}

/** Version 3 on: the calendar features end with the Easter flag (core/calendar.ts easterFlag). */
export function easterInCalendar(spec: Pick<FeatureSpec, 'version'>): boolean {
  return spec.version >= 3;
}

export function calendarSize(freq: Freq, version = FEATURE_VERSION): number {
  return (freq === 'D' ? 7 : 0) + 1 + 2 * FOURIER_TERMS + (easterInCalendar({ version }) ? 1 : 0);
}

/** Calendar features of one period into `out` at `at`. */
export function writeCalendar(spec: Pick<FeatureSpec, 'freq' | 'step' | 'version'>, day: number, out: Float32Array, at: number): void {
  const { freq } = spec;
  let j = at;
  if (freq === 'D') {
    const wd = weekday(day);
    for (let d = 0; d < 7; d++) out[j++] = d === wd ? 1 : 0;
  }
  const { doy, yearLength } = dayOfYear(day);
  out[j++] = Math.floor(doy / 7) / 52 - 0.5;
  const phase = (2 * Math.PI * doy) / yearLength;
  for (let k = 1; k <= FOURIER_TERMS; k++) {
    out[j++] = Math.sin(k * phase);
    out[j++] = Math.cos(k * phase);
  }
  if (easterInCalendar(spec)) out[j++] = easterFlag(day, spec.step);
}

export function buildFeatureSpec(
  data: SalesData,
  covariates: CovariateTransform[],
  stats: SkuStats[],
  window: number,
  horizon: number,
  globalEffects: number[],
): FeatureSpec {
  const calendar = calendarSize(data.freq);
  const logs = stats.map((s) => Math.log(s.scale));
  const mean = logs.length > 0 ? logs.reduce((a, b) => a + b, 0) / logs.length : 0;
  const sd = logs.length > 1 ? Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length) : 1;
  const c = covariates.length;
  return {
    version: FEATURE_VERSION,
    freq: data.freq,
    step: data.step,
    window,
    horizon,
    season: yearPeriods(data.step),
    covariates,
    calendar,
    pastFeatures: 5 + c + calendar,
    futureFeatures: c + calendar + 5,
    globalEffects,
    staticFeatures: 4,
    weightPower: LOSS_WEIGHT_POWER,
    weightReference: medianOf(stats.map((s) => s.scale)),
    logScaleMean: mean,
    logScaleSd: sd > 1e-6 ? sd : 1,
  };
}

/** One SKU's features on its own grid, from its first period to `length` periods (history + future). */
export interface PreparedSeries {
  sku: string;
  /** Day number of period 0. */
  start: number;
  length: number;
  /** Scaled target (with the SKU's scale; version 1); 0 where missing. */
  z: Float32Array;
  /** Units of the history periods; NaN where missing and after the history. */
  units: Float64Array;
  obs: Uint8Array;
  /** length * covariates, transformed. */
  cov: Float32Array;
  /** length * calendar. */
  cal: Float32Array;
  /** Implied covariate effect per period (z units). */
  eff: Float32Array;
  statics: Float32Array;
  scale: number;
}

/**
 * Features of one series over its history plus `extra` future periods. `future` holds the planned
 * covariates for those periods (raw, one array per covariate of length `extra`); units there are
 * unknown. `historyEnd` (exclusive) limits the history used (periods after it are unknown too).
 */
export function prepareSeries(
  spec: FeatureSpec,
  s: Series,
  stats: SkuStats,
  historyEnd: number,
  extra = 0,
  future?: Float64Array[],
): PreparedSeries {
  const length = historyEnd + extra;
  const c = spec.covariates.length;
  const z = new Float32Array(length);
  const units = new Float64Array(length).fill(Number.NaN);
  const obs = new Uint8Array(length);
  const cov = new Float32Array(length * c);
  const cal = new Float32Array(length * spec.calendar);
  const eff = new Float32Array(length);
  const effects = stats.effects ?? spec.globalEffects;
  for (let i = 0; i < length; i++) {
    const inHistory = i < historyEnd;
    const u = inHistory ? s.units[i]! : Number.NaN;
    if (Number.isFinite(u)) {
      z[i] = toScaled(u, stats.scale);
      units[i] = u;
      obs[i] = 1;
    }
    for (let k = 0; k < c; k++) {
      const raw = inHistory ? s.covariates[k]![i]! : (future?.[k]?.[i - historyEnd] ?? Number.NaN);
      cov[i * c + k] = transformCovariate(spec.covariates[k]!, raw, stats.usual[k] ?? null);
      eff[i] = eff[i]! + (effects[k] ?? 0) * cov[i * c + k]!;
    }
    writeCalendar(spec, s.start + i * spec.step, cal, i * spec.calendar);
  }
  const statics = Float32Array.from(staticInputs(spec, stats.scale, stats.observed, stats.zeroShare));
  return { sku: s.sku, start: s.start, length, z, units, obs, cov, cal, eff, statics, scale: stats.scale };
}

/** The static inputs other than the anchor: standardized log scale, log1p(observed periods) / 8, zero share. */
export function staticInputs(spec: Pick<FeatureSpec, 'logScaleMean' | 'logScaleSd'>, scale: number, observed: number, zeroShare: number): number[] {
  return [(Math.log(scale) - spec.logScaleMean) / spec.logScaleSd, Math.log1p(observed) / 8, zeroShare];
}

/** Observed periods among [from, to) of a prepared series (from may be negative). */
export function observedIn(p: PreparedSeries, from: number, to: number): number {
  let n = 0;
  for (let i = Math.max(0, from); i < Math.min(to, p.length); i++) n += p.obs[i]!;
  return n;
}
