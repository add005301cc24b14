/**
 * The global LSTM as a Forecaster, and the shipped forecast built around it (pure: the engine is
 * injected, persistence goes through plain objects).
 *
 * - fit: per-SKU stats, feature spec, time split (targets in the last `validation` periods are for
 *   early stopping only), training of the ensemble, covariate screening, then rolling origins
 *   inside the validation span (combination-cv.ts): they choose the members of the shipped
 *   combination and calibrate the intervals of the combination and of the LSTM alone out of sample
 *   (conformal.ts).
 * - predict: the shipped forecast is FallbackForecaster(calibrated CombinationForecaster(the LSTM
 *   networks + the chosen classical members, refitted on the history given: deterministic, so a
 *   saved model reproduces it)); variant 'lstm' is the LSTM alone, calibrated, with the same
 *   fallback. Format 2 models keep their fixed 50/50 combination with promo_regression and their
 *   per-step spread factors (validation span only).
 */
import { InputError, UsageError } from '../errors.js';
import { covariateRanges } from '../core/covariate-ranges.js';
import { forecastOrigins } from './origins.js';
import { BASELINES, type BaselineName, FALLBACK_MIN_REGRESSION, INTERMITTENT_ADI } from './baselines/index.js';
import type { SalesData } from '../core/types.js';
import type { Forecaster, FuturePlan, SeriesForecast } from './forecaster.js';
import { fitEffects } from './effects.js';
import { type FeatureSpec, type PreparedSeries, buildFeatureSpec, prepareSeries } from './features.js';
import type { NetworkFiles, NetworkSpec, TrainedNetwork, TrainOptions, TrainResult, WindowSource } from './lstm/contract.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelMeta, type TrainingSettings, type ValidationSummary } from './model-meta.js';
import { type SkuStats, fitCovariateTransforms, skuStats } from './scaling.js';
import { CV_ORIGINS, DEFAULT_SETTINGS, FREQ_DEFAULTS, type LstmSettings } from './lstm-settings.js';
import { WindowSet, enumerateWindows } from './windows.js';
import { LstmNetworks, QUANTILES } from './lstm-networks.js';
import { CombinationForecaster, OnlySkus, RefitForecaster } from './combination.js';
import { FallbackForecaster } from './fallback.js';
import { CalibratedForecaster, neverNarrower } from './conformal.js';
import { calibrateAtPoints, calibratedAtPoints, chooseCombination, collectCvForecasts, combinedAtPoints, scoreAtPoints, validationOrigins } from './combination-cv.js';
import { formatDay } from '../core/calendar.js';
import { autoSamplesPerEpoch, candidatesFor, combineResults, memberSeed, minObservedFor, round6, screenCovariates } from './lstm-training.js';

export { COMBINE_CHOICES, DEFAULT_SETTINGS, FREQ_DEFAULTS, type CombineChoice, type LstmSettings, type PointForecast } from './lstm-settings.js';
export { combineForecasts } from './combination.js';
export { QUANTILES } from './lstm-networks.js';
export { Z90 } from '../core/stats.js';
export { autoSamplesPerEpoch, memberSeed, minObservedFor } from './lstm-training.js';

/** The engine (lstm/): injected so the pipeline stays testable and pure. */
export interface NetworkEngine {
  train(spec: NetworkSpec, train: WindowSource, valid: WindowSource, opts: TrainOptions): Promise<{ network: TrainedNetwork; result: TrainResult }>;
  load(files: NetworkFiles): Promise<TrainedNetwork>;
}

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
  static async load(engine: NetworkEngine, meta: ModelMeta, files: NetworkFiles[]): Promise<LstmForecaster> {
    const t = meta.training;
    const f = new LstmForecaster(engine, { ...DEFAULT_SETTINGS, ...t, window: meta.window, horizon: meta.horizon, units: meta.network.units, decoderUnits: meta.network.decoderUnits });
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
    const samplesPerEpoch = Math.min(train.size, st.samplesPerEpoch === 0 ? train.size : (st.samplesPerEpoch ?? autoSamplesPerEpoch(history.series.length)));
    const members = st.members ?? 1;
    const results: TrainResult[] = [];
    this.dispose();
    const trainMember = async (m: number, source: WindowSet, epochs: number, patience: number) => {
      st.onMember?.(m + 1, members);
      const { network: net, result } = await this.engine.train(network, source, valid, {
        epochs,
        batchSize: st.batchSize,
        learningRate: st.learningRate,
        seed: memberSeed(st.seed, m),
        samplesPerEpoch: Math.min(source.size, samplesPerEpoch),
        patience,
        onEpoch: st.onEpoch,
        onProgress: st.onProgress,
      });
      this.networks.push(net);
      results.push(result);
    };
    const minObserved = minObservedFor(window);
    this.stats = new Map(skus.map((s) => [s.sku, s]));
    const ones = new Array<number>(horizon).fill(1);
    const refit = st.refit === true && members > 1;
    if (!refit) {
      // Every member early-stops on validation; screening and calibration use the ensemble.
      for (let m = 0; m < members; m++) await trainMember(m, train, st.epochs, st.patience);
    } else await trainMember(0, train, st.epochs, st.patience);
    const screened = await screenCovariates(this.core(spec, ones, minObserved, 'p50'), valid);
    // Rolling origins in the validation span: the networks have not learnt from these periods.
    const choice = st.combine ?? 'auto';
    const { candidates, defaults } = candidatesFor(choice);
    const origins = validationOrigins(cut, validation, history.step, CV_ORIGINS);
    const lstm = this.core(spec, ones, minObserved, st.point ?? 'p50');
    const cvMembers: Forecaster[] = candidates.map((n) => (n === 'lstm' ? lstm : new RefitForecaster(n, BASELINES[n as BaselineName])));
    const cv = await collectCvForecasts(history, origins, horizon, cvMembers);
    const chosen = chooseCombination(cv, candidates, defaults, origins);
    const lstmAt = combinedAtPoints(cv, ['lstm']);
    const shippedAt = combinedAtPoints(cv, chosen.members);
    // The LSTM's quantiles are fitted to be calibrated: widened when the span says so, never narrowed.
    const lstmCal = calibrateAtPoints(cv, lstmAt, horizon);
    const calLstm = lstmCal === undefined ? undefined : neverNarrower(lstmCal);
    const calShipped = chosen.members.length === 1 && chosen.members[0] === 'lstm' ? calLstm : calibrateAtPoints(cv, shippedAt, horizon);
    const lstmScore = scoreAtPoints(cv, lstmAt);
    const shippedScore = scoreAtPoints(cv, shippedAt);
    if (refit) {
      // Refit: further members also learn from the validation periods (the most recent data), for
      // the number of epochs the first member needed; screening and calibration came from member 1.
      const all = new WindowSet(spec, prepared, enumerateWindows(spec, prepared, { firstTarget: () => 0, lastTarget: (p) => p.length - 1, minPast: 1 }));
      const epochs = Math.max(1, results[0]!.bestEpoch);
      for (let m = 1; m < members; m++) await trainMember(m, all, epochs, epochs);
    }
    const result = combineResults(results);
    const training: TrainingSettings = {
      epochs: st.epochs,
      batchSize: st.batchSize,
      learningRate: st.learningRate,
      samplesPerEpoch,
      patience: st.patience,
      validation,
      seed: st.seed,
      members,
      refit,
    };
    const calibratedLstm = calLstm === undefined ? undefined : scoreAtPoints(cv, calibratedAtPoints(cv, lstmAt, calLstm));
    const summary: ValidationSummary = {
      windows: valid.size,
      neutralized: screened,
      loss: result.bestValLoss,
      wape: lstmScore.wape,
      coverageRaw: lstmScore.coverage,
      coverage: calibratedLstm?.coverage ?? lstmScore.coverage,
      epochsRun: result.epochsRun,
      bestEpoch: result.bestEpoch,
      seconds: result.seconds,
      samplesPerSecond: result.samplesPerSecond,
    };
    const weight = 1 / chosen.members.length;
    this.meta = {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      freq: history.freq,
      covariates: [...history.covariates],
      window,
      horizon,
      features: spec,
      network,
      training,
      minObserved,
      fallback: FALLBACK_RULE,
      calibration: ones,
      point: st.point ?? 'p50',
      combine: {
        model: choice,
        weight: chosen.members.includes('lstm') ? weight : 0,
        members: chosen.members.map((model) => ({ model, weight })),
        chosenBy: chosen.chosenBy,
        candidates: chosen.candidates.map((c) => ({ members: c.members, wape: round6(c.wape) })),
        origins: origins.map(formatDay),
        points: chosen.points,
        validation: { wape: round6(shippedScore.wape), coverageRaw: round6(shippedScore.coverage) },
      },
      conformal: { ...(calLstm !== undefined ? { lstm: calLstm } : {}), ...(calShipped !== undefined ? { shipped: calShipped } : {}) },
      skus,
      covariateRanges: covariateRanges(history),
      validationSd: {},
      validation: summary,
      seed: st.seed,
    };
  }

  /**
   * The forecaster `predict` uses: the shipped composition or the LSTM alone (see the header).
   */
  forecaster(variant: ForecastVariant = 'shipped'): Forecaster {
    const meta = this.trained;
    const spec: FeatureSpec = meta.features;
    const core = this.core(spec, meta.calibration, meta.minObserved, meta.point);
    const refits = new Map<string, RefitForecaster>();
    const refit = (name: string) => {
      if (!refits.has(name)) refits.set(name, new RefitForecaster(name, BASELINES[name as BaselineName]));
      return refits.get(name)!;
    };
    const members = variant === 'lstm' ? [{ model: 'lstm', weight: 1 }] : shippedMembers(meta);
    const mixed = new CombinationForecaster(members.map((m) => ({ forecaster: m.model === 'lstm' ? core : refit(m.model), weight: m.weight })));
    // Without the LSTM among the members, the SKUs too short for it still go to the fallback rule.
    const combination = members.some((m) => m.model === 'lstm') ? mixed : new OnlySkus(mixed, (h, o, p) => core.covers(h, o, p));
    const cal = variant === 'lstm' ? meta.conformal?.lstm : meta.conformal?.shipped;
    const calibrated = cal === undefined ? combination : new CalibratedForecaster(combination, cal);
    // The fallback rule's promo_regression is the combination's, when it has one.
    if (!refits.has('promo_regression')) refit('promo_regression');
    return new FallbackForecaster(calibrated, refits);
  }

  /** Forecast every SKU: the shipped forecast, or the LSTM alone (`variant` 'lstm'). */
  async predict(history: SalesData, origin: number, horizon: number, plan: FuturePlan, variant: ForecastVariant = 'shipped'): Promise<Map<string, SeriesForecast>> {
    const meta = this.trained;
    if (horizon > meta.horizon) throw new UsageError(`--horizon ${horizon} is longer than the model's horizon ${meta.horizon}`, 'retrain with a longer --horizon');
    return this.forecaster(variant).predict(history, origin, horizon, plan);
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
