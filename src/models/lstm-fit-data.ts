/**
 * The first step of LstmForecaster.fit: what the networks learn from. Per-SKU stats, the feature
 * spec, the time split (targets in the last `validation` periods are for early stopping and the
 * rolling origins only), the training and validation windows, and the networks' shape. Pure.
 */
import { InputError, UsageError } from '../errors.js';
import type { SalesData } from '../core/types.js';
import { shortLivedCovariates } from './covariate-kind.js';
import { fitEffects } from './effects.js';
import { type FeatureSpec, type PreparedSeries, buildFeatureSpec, prepareSeries } from './features.js';
import type { NetworkSpec } from './lstm/contract.js';
import { QUANTILES } from './lstm-networks.js';
import { FREQ_DEFAULTS, type LstmSettings } from './lstm-settings.js';
import { forecastOrigins } from './origins.js';
import { type CovariateTransform, type SkuStats, fitCovariateTransforms, observedShape, periodsBefore, skuStats } from './scaling.js';
import { WindowSet, enumerateWindows } from './windows.js';

export interface FitData {
  window: number;
  horizon: number;
  /** Periods at the end held out for early stopping and the rolling origins (>= horizon). */
  validation: number;
  skus: SkuStats[];
  spec: FeatureSpec;
  prepared: PreparedSeries[];
  /** The last training period (day number); the validation span follows it. */
  cut: number;
  /**
   * Covariates whose model input never varies within any SKU in the training periods (up to `cut`):
   * the network cannot learn what they do, so they are fed as neutral (inertCovariates).
   */
  inert: string[];
  /**
   * Generic numeric covariates that only started to vary less than a yearly cycle before `cut`
   * (covariate-kind.ts shortLivedCovariates), fed as neutral: their effect cannot be told from the season's.
   */
  shortLived: string[];
  /** Windows with targets up to `cut`, and after it. */
  train: WindowSet;
  valid: WindowSet;
  network: NetworkSpec;
}

export function fitData(history: SalesData, st: LstmSettings): FitData {
  const window = st.window ?? FREQ_DEFAULTS[history.freq].window;
  const horizon = st.horizon ?? FREQ_DEFAULTS[history.freq].horizon;
  const validation = st.validation ?? horizon;
  if (validation < horizon) throw new UsageError(`the validation span (${validation} periods) must be at least the horizon (${horizon})`);
  // The bulk's last period, so one far-future row does not empty the validation periods (origins.ts).
  const cut = forecastOrigins(history).common - validation * history.step;
  const transforms = fitCovariateTransforms(history);
  // Stats of the training periods only, like the effects: the validation span's origins see them out of sample.
  const skus = trainingStats(history, transforms, cut + 1);
  // Effects from the training periods only: the validation span's rolling origins see them out of sample.
  const globalEffects = fitEffects(history, transforms, skus, cut + 1);
  const spec = buildFeatureSpec(history, transforms, skus, window, horizon, globalEffects);
  const prepared = history.series.map((s, i) => prepareSeries(spec, s, skus[i]!, s.units.length));
  const idx = (p: PreparedSeries, day: number) => Math.floor((day - p.start) / spec.step);
  const inert = inertCovariates(spec, prepared, (p) => idx(p, cut));
  const shortLived = shortLivedCovariates(history, cut, transforms.map((t) => t.kind))
    .map((k) => spec.covariates[k]!.name)
    .filter((name) => !inert.includes(name));
  for (const c of spec.covariates) if (inert.includes(c.name) || shortLived.includes(c.name)) c.neutral = true;
  const trainW = enumerateWindows(spec, prepared, { firstTarget: () => 0, lastTarget: (p) => idx(p, cut), minPast: 1 });
  const validW = enumerateWindows(spec, prepared, { firstTarget: (p) => idx(p, cut) + 1, lastTarget: (p) => p.length - 1, minPast: 1 });
  if (trainW.length === 0) {
    throw new InputError(
      `no training windows: no series has observed periods before the last ${validation} (validation) periods`,
      [],
      'use more history, or a smaller --horizon / --validation',
    );
  }
  const network: NetworkSpec = {
    window,
    horizon,
    pastFeatures: spec.pastFeatures,
    futureFeatures: spec.futureFeatures,
    staticFeatures: spec.staticFeatures,
    units: st.units,
    decoderUnits: st.decoderUnits,
    quantiles: QUANTILES,
  };
  const train = new WindowSet(spec, prepared, trainW);
  const valid = new WindowSet(spec, prepared, validW);
  return { window, horizon, validation, skus, spec, prepared, cut, inert, shortLived, train, valid, network };
}

/**
 * Each SKU's scale, usual prices and shape statistics from its periods before day `before`. The
 * scale is the level of the last season, so computed on the whole history it would tell the
 * validation windows (and the training windows' anchors) the level of the weeks they forecast. A
 * SKU with no observed period before `before` (launched in the validation span) has no training
 * window and takes the stats of its whole history.
 */
export function trainingStats(history: SalesData, transforms: CovariateTransform[], before: number): SkuStats[] {
  return history.series.map((s) => {
    const end = periodsBefore(s, before, history.step);
    return skuStats(s, transforms, history.step, observedShape(s.units, end).observed > 0 ? end : s.units.length);
  });
}

/**
 * After the validation span has been used: every SKU's stats and effects (and the global effects)
 * re-estimated on the whole history, as the forecasts of the future will use them; covariates fed
 * as neutral keep an effect of 0, so their values do not reach the network through the effect input.
 * The feature spec (the standardization of the log scale) stays the one the networks learnt with.
 */
export function refreshStats(history: SalesData, data: FitData): void {
  const transforms = data.spec.covariates;
  data.skus = history.series.map((s) => skuStats(s, transforms, history.step));
  const neutral = (effects: number[]) => effects.map((e, k) => (transforms[k]!.neutral === true ? 0 : e));
  data.spec.globalEffects = neutral(fitEffects(history, transforms, data.skus));
  for (const s of data.skus) s.effects = neutral(s.effects!);
}

/**
 * The covariates whose input takes a single value within every SKU over periods 0..last(p) (a
 * column recorded only after the training periods, Walmart's markdowns before November 2011, or a
 * flag never on): the weights reading them get no gradient, so in later periods their values would
 * meet untrained weights, and each ensemble member would answer differently.
 */
export function inertCovariates(spec: Pick<FeatureSpec, 'covariates'>, prepared: readonly PreparedSeries[], last: (p: PreparedSeries) => number): string[] {
  const nk = spec.covariates.length;
  return spec.covariates
    .filter((_, k) =>
      prepared.every((p) => {
        const end = Math.min(p.length - 1, last(p));
        for (let i = 1; i <= end; i++) if (p.cov[i * nk + k] !== p.cov[k]) return false;
        return true;
      }),
    )
    .map((c) => c.name);
}

/** Every window up to the end of the data: what the refit members learn from. */
export function allWindows(d: Pick<FitData, 'spec' | 'prepared'>): WindowSet {
  return new WindowSet(d.spec, d.prepared, enumerateWindows(d.spec, d.prepared, { firstTarget: () => 0, lastTarget: (p) => p.length - 1, minPast: 1 }));
}
