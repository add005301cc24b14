/**
 * The global LSTM as a Forecaster, and the shipped forecast built around it (pure: the engine is
 * injected, persistence goes through plain objects).
 *
 * - fit, in steps: per-SKU stats, feature spec, time split (targets in the last `validation`
 *   periods are for early stopping only) and windows (lstm-fit-data.ts); training of the ensemble
 *   (lstm-ensemble.ts); covariate screening (lstm-training.ts); then rolling origins inside the
 *   validation span (lstm-validation.ts on combination-cv.ts): they choose the members of the
 *   shipped combination and calibrate the intervals of the combination and of the LSTM alone out
 *   of sample (conformal.ts); with refit, the further members train last.
 * - predict: the shipped forecast is FallbackForecaster(calibrated CombinationForecaster(the LSTM
 *   networks + the chosen classical members, refitted on the history given: deterministic, so a
 *   saved model reproduces it)); variant 'lstm' is the LSTM alone, calibrated, with the same
 *   fallback. Format 2 models keep their fixed 50/50 combination with promo_regression and their
 *   per-step spread factors (validation span only).
 */
import { UsageError } from '../errors.js';
import { covariateRanges } from '../core/covariate-ranges.js';
import { BASELINES, type BaselineName, FALLBACK_MIN_REGRESSION, INTERMITTENT_ADI } from './baselines/index.js';
import type { SalesData } from '../core/types.js';
import type { Forecaster, FuturePlan, SeriesForecast } from './forecaster.js';
import type { FeatureSpec } from './features.js';
import type { NetworkFiles, TrainedNetwork } from './lstm/contract.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelMeta } from './model-meta.js';
import type { SkuStats } from './scaling.js';
import { DEFAULT_SETTINGS, type LstmSettings } from './lstm-settings.js';
import { LstmNetworks } from './lstm-networks.js';
import { CombinationForecaster, OnlySkus, RefitForecaster } from './combination.js';
import { FallbackForecaster } from './fallback.js';
import { CalibratedForecaster } from './conformal.js';
import { allWindows, fitData, refreshStats } from './lstm-fit-data.js';
import { EnsembleTraining, type NetworkEngine } from './lstm-ensemble.js';
import { calibrateShipped, chooseShipped, combineMeta, conformalMeta, refitsInAdvance, validationSummary } from './lstm-validation.js';
import type { RefitAll } from './combination-cv.js';
import { minObservedFor, screenCovariates } from './lstm-training.js';
import { refitAll, refitAllInBackground } from './refit-pool.js';

export { COMBINE_CHOICES, DEFAULT_SETTINGS, FREQ_DEFAULTS, type CombineChoice, type LstmSettings, type PointForecast } from './lstm-settings.js';
export { combineForecasts } from './combination.js';
export { QUANTILES } from './lstm-networks.js';
export { Z90 } from '../core/stats.js';
export { minObservedFor } from './lstm-training.js';
export { autoSamplesPerEpoch, memberSeed, type NetworkEngine } from './lstm-ensemble.js';

export const FALLBACK_RULE = `fewer observed periods than minObserved in the window -> ${fallbackDescription()}`;

function fallbackDescription(): string {
  return `croston (intermittent: >= 2 demands and observed / demands >= ${INTERMITTENT_ADI}), else promo_regression (>= ${FALLBACK_MIN_REGRESSION} observed periods, fitted on all SKUs), moving_average (>= 1), naive (none: zeros)`;
}

/** Which forecast `predict` returns: the shipped one (combination or not, as trained) or the LSTM alone. */
export type ForecastVariant = 'shipped' | 'lstm';

export class LstmForecaster implements Forecaster {
  readonly name = 'lstm';
  private networks: TrainedNetwork[] = [];
  private meta?: Omit<ModelMeta, 'dataHash' | 'backend'>;
  private stats = new Map<string, SkuStats>();

  constructor(
    private readonly engine: NetworkEngine,
    private readonly settings: LstmSettings,
  ) {}

  /** Rebuild a trained forecaster from its saved parts. */
  static async load(engine: NetworkEngine, meta: ModelMeta, files: NetworkFiles[], workers?: number): Promise<LstmForecaster> {
    const t = meta.training;
    const f = new LstmForecaster(engine, { ...DEFAULT_SETTINGS, ...t, window: meta.window, horizon: meta.horizon, units: meta.network.units, decoderUnits: meta.network.decoderUnits, workers });
    for (const file of files) f.networks.push(await engine.load(file));
    f.meta = meta;
    for (const s of meta.skus) f.stats.set(s.sku, s);
    return f;
  }

  get trained(): Omit<ModelMeta, 'dataHash' | 'backend'> {
    if (this.meta === undefined) throw new Error('LstmForecaster: not trained');
    return this.meta;
  }

  /** The networks as a Forecaster of the SKUs they can forecast, with the model's spread factors. */
  private core(spec: FeatureSpec, zFactors: readonly number[], minObserved: number, point: 'p50' | 'mean'): LstmNetworks {
    return new LstmNetworks(this.networks, spec, this.stats, { minObserved, zFactors, point });
  }

  async fit(history: SalesData): Promise<void> {
    const st = this.settings;
    const data = fitData(history, st);
    const { window, horizon, spec } = data;
    const ensemble = new EnsembleTraining(this.engine, st, data.network, data.valid, data.train, history.series.length);
    this.dispose();
    this.networks = ensemble.networks;
    const minObserved = minObservedFor(window);
    this.stats = new Map(data.skus.map((s) => [s.sku, s]));
    const ones = new Array<number>(horizon).fill(1);
    const refit: RefitAll = (models, calls) => refitAll(models, calls, st.workers);
    // The classical refits at the rolling origins need no network: on worker threads they run while the networks train.
    const cvRefit = refitsInAdvance(history, data, st.combine ?? 'auto', (models, calls) => refitAllInBackground(models, calls, st.workers), refit);
    await ensemble.trainOnSplit(data.train);
    const screened = await screenCovariates(this.core(spec, ones, minObserved, 'p50'), data.valid);
    // Rolling origins in the validation span: the networks have not learnt from these periods.
    const shipped = await chooseShipped(history, this.core(spec, ones, minObserved, st.point ?? 'p50'), data, st.combine ?? 'auto', cvRefit);
    const cal = calibrateShipped(shipped, horizon);
    // Screening and calibration came from the first member; the refit members learn from the validation periods too.
    await ensemble.trainRefits(() => allWindows(data));
    refreshStats(history, data);
    this.stats = new Map(data.skus.map((s) => [s.sku, s]));
    this.meta = {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      freq: history.freq,
      covariates: [...history.covariates],
      window,
      horizon,
      features: spec,
      network: data.network,
      training: ensemble.settings(data.validation),
      minObserved,
      fallback: FALLBACK_RULE,
      calibration: ones,
      point: st.point ?? 'p50',
      combine: combineMeta(shipped, cal),
      conformal: conformalMeta(cal),
      skus: data.skus,
      covariateRanges: covariateRanges(history),
      validationSd: {},
      validation: validationSummary(data.valid.size, screened, data, ensemble.result(), cal),
      seed: st.seed,
    };
  }

  /**
   * The forecaster `predict` uses: the shipped composition or the LSTM alone (see the header).
   */
  forecaster(variant: ForecastVariant = 'shipped'): Forecaster {
    return this.composition(variant).forecaster;
  }

  /** The forecaster of `variant` and its classical members (which predict refits). */
  private composition(variant: ForecastVariant): { forecaster: Forecaster; members: RefitForecaster[] } {
    const meta = this.trained;
    const spec: FeatureSpec = meta.features;
    const core = this.core(spec, meta.calibration, meta.minObserved, meta.point);
    const refits = new Map<string, RefitForecaster>();
    const refit = (name: string) => {
      if (!refits.has(name)) refits.set(name, new RefitForecaster(name, BASELINES[name as BaselineName], name as BaselineName));
      return refits.get(name)!;
    };
    const members = variant === 'lstm' ? [{ model: 'lstm', weight: 1 }] : shippedMembers(meta);
    const mixed = new CombinationForecaster(members.map((m) => ({ forecaster: m.model === 'lstm' ? core : refit(m.model), weight: m.weight })));
    // Without the LSTM among the members, the SKUs too short for it still go to the fallback rule.
    const combination = members.some((m) => m.model === 'lstm') ? mixed : new OnlySkus(mixed, (h, o, p) => core.covers(h, o, p));
    const cal = variant === 'lstm' ? meta.conformal?.lstm : meta.conformal?.shipped;
    const calibrated = cal === undefined ? combination : new CalibratedForecaster(combination, cal);
    // The fallback rule's promo_regression is the combination's, when it has one.
    const memberRefits = [...refits.values()];
    if (!refits.has('promo_regression')) refit('promo_regression');
    return { forecaster: new FallbackForecaster(calibrated, refits), members: memberRefits };
  }

  /** Forecast every SKU: the shipped forecast, or the LSTM alone (`variant` 'lstm'). */
  async predict(history: SalesData, origin: number, horizon: number, plan: FuturePlan, variant: ForecastVariant = 'shipped'): Promise<Map<string, SeriesForecast>> {
    const meta = this.trained;
    if (horizon > meta.horizon) throw new UsageError(`--horizon ${horizon} is longer than the model's horizon ${meta.horizon}`, 'retrain with a longer --horizon');
    const { forecaster, members } = this.composition(variant);
    // Two or more classical members: fitted side by side on worker threads (the same forecasts).
    if (members.length >= 2) {
      const [computed] = await refitAll(members.map((m) => m.baseline), [{ history, origin, horizon, plan }], this.settings.workers);
      for (const m of members) {
        const out = computed!.get(m.baseline!);
        if (out !== undefined) m.prime(history, origin, horizon, plan, out);
      }
    }
    return forecaster.predict(history, origin, horizon, plan);
  }

  /** The network files and metadata to save (provenance fields are the caller's). */
  async save(provenance: { dataHash: string; backend: string }): Promise<{ files: NetworkFiles[]; meta: ModelMeta }> {
    const files: NetworkFiles[] = [];
    for (const net of this.networks) files.push(await net.save());
    return { files, meta: { ...this.trained, ...provenance } };
  }

  dispose(): void {
    for (const net of this.networks) net.dispose();
    this.networks = [];
  }
}

/** Members and weights of the shipped forecast: as chosen (format 3) or LSTM + promo_regression (format 2). */
export function shippedMembers(meta: Pick<ModelMeta, 'combine'>): { model: string; weight: number }[] {
  const c = meta.combine;
  if (c.members !== undefined && c.members.length > 0) return c.members;
  return c.model === 'none' ? [{ model: 'lstm', weight: 1 }] : [{ model: 'lstm', weight: c.weight }, { model: c.model, weight: 1 - c.weight }];
}

/** The name of the shipped forecast's rows (`lstm+promo_regression+arimax`). */
export function shippedName(meta: Pick<ModelMeta, 'combine'>): string {
  return shippedMembers(meta).map((m) => m.model).join('+');
}
