/**
 * The global LSTM as a Forecaster: scaling, features and windows (this folder) around the network
 * engine (lstm/). Pure: the engine is injected, persistence goes through plain objects.
 *
 * - fit: per-SKU stats, feature spec, time split (targets in the last `validation` periods are for
 *   early stopping only), training, then calibration of the p10..p90 spread on the validation windows.
 * - predict: p50 is the point forecast; p10/p90 are the calibrated quantiles; sd = (p90 - p10) / 2.563
 *   (the normal sd with the same 80% interval). SKUs with too little recent history get the fallback.
 * - combination (default): the shipped forecast, p10 and p90 are COMBINE_WEIGHT * LSTM +
 *   (1 - COMBINE_WEIGHT) * promo_regression, the regression refitted at predict time on the history
 *   given (deterministic, so a saved model reproduces it); sd recomputed from the combined p10/p90.
 */
import { InputError, UsageError } from '../errors.js';
import { covariateRanges } from '../core/covariate-ranges.js';
import { forecastOrigins } from './origins.js';
import { BASELINES, type BaselineName, FALLBACK_MIN_REGRESSION, INTERMITTENT_ADI, demandCounts, fallbackModel } from './baselines/index.js';
import type { SalesData, Series } from '../core/types.js';
import type { Forecaster, FuturePlan, SeriesForecast } from './forecaster.js';
import { effectsFor, fitEffects } from './effects.js';
import { type FeatureSpec, type PreparedSeries, buildFeatureSpec, observedIn, prepareSeries } from './features.js';
import type { NetworkFiles, NetworkSpec, TrainedNetwork, TrainOptions, TrainResult, WindowSource } from './lstm/contract.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelMeta, type TrainingSettings, type ValidationSummary } from './model-meta.js';
import { type SkuStats, fitCovariateTransforms, fromScaled, skuStats } from './scaling.js';
import { type CombineChoice, COMBINE_WEIGHT, DEFAULT_SETTINGS, FREQ_DEFAULTS, type LstmSettings, type PointForecast } from './lstm-settings.js';
import { WindowSet, enumerateWindows } from './windows.js';

export { COMBINE_CHOICES, COMBINE_WEIGHT, DEFAULT_SETTINGS, FREQ_DEFAULTS, type CombineChoice, type LstmSettings, type PointForecast } from './lstm-settings.js';

export const Z90 = 1.2815515655446004;
export const QUANTILES = [0.1, 0.5, 0.9];

/** The engine (lstm/): injected so the pipeline stays testable and pure. */
export interface NetworkEngine {
  train(spec: NetworkSpec, train: WindowSource, valid: WindowSource, opts: TrainOptions): Promise<{ network: TrainedNetwork; result: TrainResult }>;
  load(files: NetworkFiles): Promise<TrainedNetwork>;
}

export const FALLBACK_RULE = `fewer observed periods than minObserved in the window -> ${fallbackDescription()}`;

function fallbackDescription(): string {
  return `croston (intermittent: >= 2 demands and observed / demands >= ${INTERMITTENT_ADI}), else promo_regression (>= ${FALLBACK_MIN_REGRESSION} observed periods, fitted on all SKUs), moving_average (>= 1), naive (none: zeros)`;
}

/** The documented fallback for SKUs the LSTM cannot forecast, chosen per SKU by C3's rule. */
async function forecastFallbacks(
  history: SalesData,
  series: Series[],
  origin: number,
  horizon: number,
  plan: FuturePlan,
  regression?: Map<string, SeriesForecast>,
): Promise<Map<string, SeriesForecast>> {
  const groups = new Map<BaselineName, Series[]>();
  for (const s of series) {
    const { observed, demands } = demandCounts(s.units, Math.floor((origin - s.start) / history.step) + 1);
    const name = fallbackModel(observed, demands);
    groups.set(name, [...(groups.get(name) ?? []), s]);
  }
  const out = new Map<string, SeriesForecast>();
  for (const name of [...groups.keys()].sort()) {
    if (name === 'promo_regression' && regression !== undefined) {
      for (const s of groups.get(name)!) out.set(s.sku, regression.get(s.sku)!);
      continue;
    }
    const subset: SalesData = { ...history, series: groups.get(name)! };
    const model = BASELINES[name]();
    await model.fit(name === 'promo_regression' ? history : subset);
    for (const [sku, f] of await model.predict(subset, origin, horizon, plan)) out.set(sku, f);
  }
  return out;
}

/** promo_regression fitted on every SKU of `history`, forecasting all of them. */
async function regressionForecasts(history: SalesData, origin: number, horizon: number, plan: FuturePlan): Promise<Map<string, SeriesForecast>> {
  const model = BASELINES.promo_regression();
  await model.fit(history);
  return model.predict(history, origin, horizon, plan);
}

/**
 * The combination of two forecasts of one SKU: weighted averages of the point forecasts, p10s and
 * p90s (quantile averaging); sd recomputed from the combined 80% interval as for the LSTM alone.
 */
export function combineForecasts(a: SeriesForecast, b: SeriesForecast, weight: number, model: string): SeriesForecast {
  const H = a.mean.length;
  const f: SeriesForecast = { mean: new Float64Array(H), sd: new Float64Array(H), p10: new Float64Array(H), p90: new Float64Array(H), model };
  const mix = (x: number, y: number) => weight * x + (1 - weight) * y;
  for (let h = 0; h < H; h++) {
    f.mean[h] = mix(a.mean[h]!, b.mean[h]!);
    f.p10[h] = Math.min(f.mean[h]!, mix(a.p10[h]!, b.p10[h]!));
    f.p90[h] = Math.max(f.mean[h]!, mix(a.p90[h]!, b.p90[h]!));
    f.sd[h] = (f.p90[h]! - f.p10[h]!) / (2 * Z90);
  }
  return f;
}

/**
 * Default windows per epoch: 64 per SKU, between 4,096 and 8,192 (bounds training time; shorter
 * epochs give early stopping a finer grid, and the time saved pays for more ensemble members).
 */
export function autoSamplesPerEpoch(skus: number): number {
  return Math.max(4096, Math.min(8192, 64 * skus));
}

/** Seed of ensemble member m (member 0 uses the seed itself). */
export function memberSeed(seed: number, m: number): number {
  return m === 0 ? seed : (seed + 7919 * m) % 2147483647;
}

function combineResults(results: TrainResult[]): TrainResult {
  const sum = (f: (r: TrainResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return {
    epochsRun: sum((r) => r.epochsRun),
    bestEpoch: results[0]!.bestEpoch,
    bestValLoss: sum((r) => r.bestValLoss) / results.length,
    history: results.flatMap((r) => r.history),
    samplesPerSecond: sum((r) => r.samplesPerSecond) / results.length,
    seconds: sum((r) => r.seconds),
  };
}

export function minObservedFor(window: number): number {
  return Math.max(2, Math.ceil(window / 4));
}

const PREDICT_BATCH = 1024;

function quantileOf(values: number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor(q * v.length))]!;
}

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

  async fit(history: SalesData): Promise<void> {
    const st = this.settings;
    const window = st.window ?? FREQ_DEFAULTS[history.freq].window;
    const horizon = st.horizon ?? FREQ_DEFAULTS[history.freq].horizon;
    const validation = st.validation ?? horizon;
    if (validation < horizon) throw new UsageError(`--validation (${validation}) must be at least the horizon (${horizon})`);
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
    const refit = st.refit === true && members > 1;
    if (!refit) {
      // Every member early-stops on validation; screening and calibration use the ensemble.
      for (let m = 0; m < members; m++) await trainMember(m, train, st.epochs, st.patience);
    } else await trainMember(0, train, st.epochs, st.patience);
    const screened = await this.screenCovariates(spec, valid);
    const cal = await this.calibrate(valid, horizon);
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
      refit: st.refit === true && members > 1,
    };
    const summary: ValidationSummary = {
      windows: valid.size,
      neutralized: screened,
      loss: result.bestValLoss,
      wape: cal.wape,
      coverageRaw: cal.coverageRaw,
      coverage: cal.coverage,
      epochsRun: result.epochsRun,
      bestEpoch: result.bestEpoch,
      seconds: result.seconds,
      samplesPerSecond: result.samplesPerSecond,
    };
    this.stats = new Map(skus.map((s) => [s.sku, s]));
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
      minObserved: minObservedFor(window),
      fallback: FALLBACK_RULE,
      calibration: cal.factors,
      point: st.point ?? 'p50',
      combine: { model: st.combine ?? 'promo_regression', weight: COMBINE_WEIGHT },
      skus,
      covariateRanges: covariateRanges(history),
      validationSd: cal.sd,
      validation: summary,
      seed: st.seed,
    };
  }

  /** Network output for windows, averaged: n * horizon * 3 (p10, p50, p90 of z). */
  private async predictZ(source: WindowSet): Promise<Float32Array> {
    const H = source.spec.horizon;
    const out = new Float32Array(source.size * H * QUANTILES.length);
    for (let from = 0; from < source.size; from += PREDICT_BATCH) {
      const idx = Array.from({ length: Math.min(PREDICT_BATCH, source.size - from) }, (_, i) => from + i);
      const inputs = source.inputs(idx);
      // Ensemble: the members' quantiles are averaged (in z).
      const q = new Float32Array(idx.length * H * QUANTILES.length);
      for (const net of this.networks) {
        const y = await net.predict(inputs);
        for (let j = 0; j < q.length; j++) q[j] = q[j]! + y[j]! / this.networks.length;
      }
      for (let b = 0; b < idx.length; b++) {
        const a = source.anchor(idx[b]!);
        for (let j = b * H * 3; j < (b + 1) * H * 3; j++) q[j] = q[j]! + a;
      }
      out.set(q, from * H * QUANTILES.length);
    }
    // Quantile crossing would give negative spreads: sort each step's three values.
    for (let i = 0; i < out.length; i += 3) {
      const a = [out[i]!, out[i + 1]!, out[i + 2]!].sort((x, y) => x - y);
      out.set(a, i);
    }
    return out;
  }

  /** Weighted mean pinball loss of the three quantiles on the validation windows (z units). */
  private async validationLoss(valid: WindowSet): Promise<number> {
    const H = valid.spec.horizon;
    const z = await this.predictZ(valid);
    const batch = valid.batch(Array.from({ length: valid.size }, (_, i) => i));
    let sum = 0;
    let n = 0;
    for (let b = 0; b < valid.size; b++) {
      const a = valid.anchor(b);
      for (let h = 0; h < H; h++) {
        if (batch.mask[b * H + h] === 0) continue;
        const y = batch.target[b * H + h]! + a;
        const w = batch.mask[b * H + h]!;
        QUANTILES.forEach((q, k) => {
          const d = y - z[(b * H + h) * 3 + k]!;
          sum += w * (d >= 0 ? q * d : (q - 1) * d);
        });
        n += 3 * w;
      }
    }
    return n > 0 ? sum / n : Number.NaN;
  }

  /**
   * Generic numeric covariates (not flags, not prices) can be spurious: recorded only in part of the
   * history, or confounded with the season (Walmart's markdowns). Each one is fed as neutral when
   * that lowers the validation loss of the trained network by more than 0.5%; greedy, in order.
   */
  private async screenCovariates(spec: FeatureSpec, valid: WindowSet): Promise<string[]> {
    const dropped: string[] = [];
    if (valid.size === 0) return dropped;
    let best = await this.validationLoss(valid);
    for (const c of spec.covariates) {
      if (c.kind !== 'numeric') continue;
      c.neutral = true;
      const loss = await this.validationLoss(valid);
      if (loss < best * 0.995) {
        best = loss;
        dropped.push(c.name);
      } else delete c.neutral;
    }
    return dropped;
  }

  /** Per-step spread factors giving 80% coverage on the validation windows, and validation scores. */
  private async calibrate(valid: WindowSet, H: number) {
    const factors = new Array<number>(H).fill(1);
    const sd: Record<string, number[]> = {};
    if (valid.size === 0) return { factors, sd, wape: Number.NaN, coverage: Number.NaN, coverageRaw: Number.NaN };
    const z = await this.predictZ(valid);
    const batch = valid.batch(Array.from({ length: valid.size }, (_, i) => i));
    for (let b = 0; b < valid.size; b++) {
      const a = valid.anchor(b);
      for (let h = 0; h < H; h++) if (batch.mask[b * H + h] !== 0) batch.target[b * H + h] = batch.target[b * H + h]! + a;
    }
    const ratios: number[][] = Array.from({ length: H }, () => []);
    const all: number[] = [];
    for (let b = 0; b < valid.size; b++) {
      for (let h = 0; h < H; h++) {
        if (batch.mask[b * H + h] === 0) continue;
        const y = batch.target[b * H + h]!;
        const [lo, mid, hi] = [z[(b * H + h) * 3]!, z[(b * H + h) * 3 + 1]!, z[(b * H + h) * 3 + 2]!];
        const r = y >= mid ? (y - mid) / Math.max(hi - mid, 1e-4) : (mid - y) / Math.max(mid - lo, 1e-4);
        ratios[h]!.push(r);
        all.push(r);
      }
    }
    const pooled = all.length > 0 ? quantileOf(all, 0.8) : 1;
    for (let h = 0; h < H; h++) {
      const n = ratios[h]!.length;
      const own = n > 0 ? quantileOf(ratios[h]!, 0.8) : pooled;
      const k = 30; // shrink towards the pooled factor when few SKUs reach the end of the data
      factors[h] = Math.max(0.5, Math.min(5, (n * own + k * pooled) / (n + k)));
    }
    let absErr = 0;
    let volume = 0;
    let inRaw = 0;
    let inCal = 0;
    for (let b = 0; b < valid.size; b++) {
      const si = valid.windows[2 * b]!;
      const p = valid.series[si]!;
      const row: number[] = [];
      for (let h = 0; h < H; h++) {
        const q = this.toUnits(z, b, h, H, p.scale, factors[h]!);
        row.push(q.sd);
        if (batch.mask[b * H + h] === 0) continue;
        const y = fromScaled(batch.target[b * H + h]!, p.scale);
        const raw = [fromScaled(z[(b * H + h) * 3]!, p.scale), fromScaled(z[(b * H + h) * 3 + 2]!, p.scale)];
        absErr += Math.abs(y - q.p50);
        volume += Math.abs(y);
        if (y >= raw[0]! && y <= raw[1]!) inRaw++;
        if (y >= q.p10 && y <= q.p90) inCal++;
      }
      sd[p.sku] = row;
    }
    const n = all.length;
    return { factors, sd, wape: volume > 0 ? absErr / volume : Number.NaN, coverage: n > 0 ? inCal / n : Number.NaN, coverageRaw: n > 0 ? inRaw / n : Number.NaN };
  }

  /** Window b, step h of the z quantiles -> calibrated unit quantiles and sd. */
  private toUnits(z: Float32Array, b: number, h: number, H: number, scale: number, factor: number) {
    const i = (b * H + h) * 3;
    const mid = z[i + 1]!;
    const lo = mid - factor * (mid - z[i]!);
    const hi = mid + factor * (z[i + 2]! - mid);
    const p50 = Math.max(0, fromScaled(mid, scale));
    const p10 = Math.min(p50, Math.max(0, fromScaled(lo, scale)));
    const p90 = Math.max(p50, fromScaled(hi, scale));
    // Mean of units if z were normal with this median and 80% interval (log-normal mean).
    const s = (hi - lo) / (2 * Z90);
    const mean = Math.min(p90, Math.max(p10, fromScaled(mid + (s * s) / 2, scale)));
    return { p10, p50, p90, mean, sd: (p90 - p10) / (2 * Z90) };
  }

  /**
   * Forecast every SKU; `combine` overrides the model's combination setting (evaluate uses 'none'
   * to score the LSTM alone).
   */
  async predict(history: SalesData, origin: number, horizon: number, plan: FuturePlan, combine?: CombineChoice): Promise<Map<string, SeriesForecast>> {
    const meta = this.trained;
    const combination = combine ?? meta.combine.model;
    const spec: FeatureSpec = meta.features;
    if (horizon > meta.horizon) throw new UsageError(`--horizon ${horizon} is longer than the model's horizon ${meta.horizon}`, 'retrain with a longer --horizon');
    const prepared: PreparedSeries[] = [];
    const fallbackSeries: Series[] = [];
    for (const s of history.series) {
      const oi = Math.floor((origin - s.start) / spec.step);
      const stats = this.stats.get(s.sku) ?? this.unseenStats(s, spec, Math.max(0, Math.min(s.units.length, oi + 1)));
      if (oi < 0) {
        fallbackSeries.push(s);
        continue;
      }
      const p = prepareSeries(spec, s, stats, oi + 1, spec.horizon, plan.get(s.sku));
      if (observedIn(p, oi - spec.window + 1, oi + 1) < meta.minObserved) fallbackSeries.push(s);
      else prepared.push(p);
    }
    const out = new Map<string, SeriesForecast>();
    const windows = new Int32Array(prepared.length * 2);
    prepared.forEach((p, i) => {
      windows[2 * i] = i;
      windows[2 * i + 1] = Math.floor((origin - p.start) / spec.step);
    });
    const source = new WindowSet(spec, prepared, windows);
    const z = prepared.length > 0 ? await this.predictZ(source) : new Float32Array(0);
    prepared.forEach((p, b) => {
      const f: SeriesForecast = { mean: new Float64Array(horizon), sd: new Float64Array(horizon), p10: new Float64Array(horizon), p90: new Float64Array(horizon), model: this.name };
      for (let h = 0; h < horizon; h++) {
        const q = this.toUnits(z, b, h, spec.horizon, p.scale, meta.calibration[h]!);
        f.mean[h] = meta.point === 'mean' ? q.mean : q.p50;
        f.sd[h] = q.sd;
        f.p10[h] = q.p10;
        f.p90[h] = q.p90;
      }
      out.set(p.sku, f);
    });
    const needRegression = combination === 'promo_regression' && prepared.length > 0;
    const regression = needRegression ? await regressionForecasts(history, origin, horizon, plan) : undefined;
    if (regression !== undefined) {
      for (const p of prepared) {
        const r = regression.get(p.sku);
        if (r !== undefined) out.set(p.sku, combineForecasts(out.get(p.sku)!, r, meta.combine.weight, `${this.name}+promo_regression`));
      }
    }
    for (const [sku, f] of await forecastFallbacks(history, fallbackSeries, origin, horizon, plan, regression)) out.set(sku, f);
    return out;
  }

  /** Scale, usual prices and effects of a SKU that was not in the training data. */
  private unseenStats(s: Series, spec: FeatureSpec, end: number): SkuStats {
    const stats = skuStats(s, spec.covariates, spec.step, end);
    stats.effects = effectsFor(s.units, s.covariates, spec.covariates, stats, spec.step, end, spec.globalEffects);
    return stats;
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
