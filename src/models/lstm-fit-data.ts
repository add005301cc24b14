/**
 * The first step of LstmForecaster.fit: what the networks learn from. Per-SKU stats, the feature
 * spec, the time split (targets in the last `validation` periods are for early stopping and the
 * rolling origins only), the training and validation windows, and the networks' shape. Pure.
 */
import { InputError, UsageError } from '../errors.js';
import type { SalesData } from '../core/types.js';
import { fitEffects } from './effects.js';
import { type FeatureSpec, type PreparedSeries, buildFeatureSpec, prepareSeries } from './features.js';
import type { NetworkSpec } from './lstm/contract.js';
import { QUANTILES } from './lstm-networks.js';
import { FREQ_DEFAULTS, type LstmSettings } from './lstm-settings.js';
import { forecastOrigins } from './origins.js';
import { type SkuStats, fitCovariateTransforms, skuStats } from './scaling.js';
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
  const transforms = fitCovariateTransforms(history);
  const skus = history.series.map((s) => skuStats(s, transforms, history.step));
  const globalEffects = fitEffects(history, transforms, skus);
  const spec = buildFeatureSpec(history, transforms, skus, window, horizon, globalEffects);
  const prepared = history.series.map((s, i) => prepareSeries(spec, s, skus[i]!, s.units.length));
  // The bulk's last period, so one far-future row does not empty the validation periods (origins.ts).
  const cut = forecastOrigins(history).common - validation * history.step;
  const idx = (p: PreparedSeries, day: number) => Math.floor((day - p.start) / spec.step);
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
  return { window, horizon, validation, skus, spec, prepared, cut, train, valid, network };
}

/** Every window up to the end of the data: what the refit members learn from. */
export function allWindows(d: Pick<FitData, 'spec' | 'prepared'>): WindowSet {
  return new WindowSet(d.spec, d.prepared, enumerateWindows(d.spec, d.prepared, { firstTarget: () => 0, lastTarget: (p) => p.length - 1, minPast: 1 }));
}
