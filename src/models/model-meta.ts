/**
 * metadata.json of a model directory: everything besides the network weights that `predict` needs
 * to rebuild the exact features, plus provenance (data hash, backend, seed) and validation results.
 * Pure: parsing returns problems as strings, io/model-dir.ts turns them into errors.
 */
import { MODEL_FORMAT } from '../core/contracts/model-dir.js';
import type { Freq } from '../core/types.js';
import { type CovariateRange, isCovariateRanges } from '../core/covariate-ranges.js';
import { FEATURE_VERSION, type FeatureSpec } from './features.js';
import type { NetworkSpec } from './lstm/contract.js';
import type { SkuStats } from './scaling.js';
import type { ConformalCalibration } from './conformal.js';
import { COMBINE_CANDIDATES } from './lstm-settings.js';

/** How the shipped forecast was put together (format 3; format 2 has only model and weight). */
export interface CombineMeta {
  /** The training setting: auto, none, or the one classical model combined with the LSTM. */
  model: string;
  /** Weight of the LSTM in the shipped forecast. */
  weight: number;
  /** Members of the shipped forecast and their weights (format 3). */
  members?: { model: string; weight: number }[];
  /** 'cv': the best-scoring candidate (members and weights), significantly ahead of the default set; 'default': the default set, equal weights. */
  chosenBy?: 'cv' | 'default';
  /** Every candidate's WAPE on the validation-span rolling origins (weights: one per member; absent in models trained before weights were chosen: equal). */
  candidates?: { members: string[]; weights?: number[]; wape: number }[];
  /** The rolling origins (dates) and the points scored there. */
  origins?: string[];
  points?: number;
  /** The shipped forecast on those points, before calibration: WAPE and p10-p90 coverage. */
  validation?: { wape: number; coverageRaw: number };
}

export { MODEL_FORMAT };
export const MODEL_FORMAT_VERSION = 3;
/** Versions this stockcast reads: 2 (fixed LSTM + promo_regression combination) and 3. */
export const READABLE_FORMAT_VERSIONS = [2, 3];

/** "1 and 2", "1, 2 and 3". */
function listed(versions: readonly number[]): string {
  return versions.length < 2 ? versions.join('') : `${versions.slice(0, -1).join(', ')} and ${versions[versions.length - 1]}`;
}
/** Feature versions this stockcast reads (features.ts: 1 = one scale per SKU, 2 = each window's own, 3 = with the Easter flag). */
export const READABLE_FEATURE_VERSIONS = Array.from({ length: FEATURE_VERSION }, (_, i) => i + 1);

export interface TrainingSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  samplesPerEpoch: number;
  patience: number;
  validation: number;
  seed: number;
  /** Ensemble members (network files model.json, model-1.json, ...). */
  members: number;
  /** Members after the first trained on the validation periods too. */
  refit: boolean;
}

export interface ValidationSummary {
  /** Windows scored (one per SKU reaching the end of the data when validation = horizon). */
  windows: number;
  /** Numeric covariates fed as neutral because they hurt the validation loss. */
  neutralized: string[];
  /** Covariates fed as neutral because their input never varied within a SKU in the training periods (absent before 2026-12-03). */
  inert?: string[];
  /** Numeric covariates fed as neutral because they only started to vary less than a yearly cycle before the training periods' end (absent before 2026-12-07). */
  shortLived?: string[];
  /** Best validation loss of the engine (pinball, scaled units). */
  loss: number;
  /** WAPE of p50 on the validation periods, in units. */
  wape: number;
  /** Share of validation actuals inside [p10, p90] before and after calibration. */
  coverageRaw: number;
  coverage: number;
  /** Epochs over all members; best epoch of the first member. */
  epochsRun: number;
  bestEpoch: number;
  seconds: number;
  samplesPerSecond: number;
}

export interface ModelMeta {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  freq: Freq;
  covariates: string[];
  window: number;
  horizon: number;
  features: FeatureSpec;
  network: NetworkSpec;
  training: TrainingSettings;
  /** Fewer observed periods than this in the history window -> fallback model. */
  minObserved: number;
  fallback: string;
  /**
   * Per horizon step: factor applied to the (p50 - p10, p90 - p50) spread in scaled space so that
   * 80% of validation actuals fall inside [p10, p90].
   */
  calibration: number[];
  /** What the forecast column holds: p50 or the implied mean. */
  point: 'p50' | 'mean';
  /**
   * The shipped forecast: format 3 lists its members (models/combination-cv.ts); format 2 is
   * weight * LSTM + (1 - weight) * model, or the LSTM alone for model 'none'. Classical members
   * are refitted on the history given to predict.
   */
  combine: CombineMeta;
  /**
   * Conformal calibration of the intervals (format 3), of the shipped forecast and of the LSTM
   * alone, from the validation-span rolling origins (models/conformal.ts). Absent: none.
   */
  conformal?: { lstm?: ConformalCalibration; shipped?: ConformalCalibration };
  skus: SkuStats[];
  /**
   * Training range of each covariate (model order), for checking the plan at predict time. Absent
   * in models trained before it was added; predict then checks against the history it is given.
   */
  covariateRanges?: CovariateRange[];
  /** Per SKU, per horizon step: sd (units) of the calibrated validation forecast. */
  validationSd: Record<string, number[]>;
  validation: ValidationSummary;
  dataHash: string;
  backend: string;
  seed: number;
  /**
   * sha256 of every network file (model.json, weights.bin, model-1.json, ...), written by
   * io/model-dir.ts and checked on load. Optional within format version 2: models saved before it
   * was added still load (their weights are checked for size and finite values only), and older
   * stockcast versions ignore the field.
   */
  checksums?: Record<string, string>;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}


function isMembers(v: unknown): boolean {
  if (!Array.isArray(v) || v.length === 0) return false;
  const ok = v.every((m) => isObj(m) && typeof m.model === 'string' && (COMBINE_CANDIDATES as readonly string[]).includes(m.model) && typeof m.weight === 'number' && m.weight > 0 && m.weight <= 1);
  return ok && Math.abs(v.reduce((a: number, m: { weight: number }) => a + m.weight, 0) - 1) < 1e-6;
}

function isConformal(c: unknown, horizon: number): boolean {
  if (!isObj(c) || !Array.isArray(c.levels) || !Array.isArray(c.factors) || c.levels.length !== c.factors.length) return false;
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  const levels = c.levels as unknown[];
  const perLevel = (a: unknown) => Array.isArray(a) && a.length === levels.length && a.every(finite);
  if (c.kinds !== undefined) {
    const k = c.kinds;
    if (!isObj(k) || !Array.isArray(k.ratios) || !k.ratios.every(perLevel) || !Array.isArray(k.scores) || !Array.isArray(k.dates)) return false;
  }
  const perStep = (f: unknown) => Array.isArray(f) && f.length === horizon && f.every(finite);
  if (c.upper !== undefined && !(Array.isArray(c.upper) && c.upper.length === levels.length && c.upper.every(perStep))) return false;
  if (c.errorCorrelation !== undefined && !(finite(c.errorCorrelation) && (c.errorCorrelation as number) <= 1)) return false;
  return c.levels.every((L) => finite(L) && (L as number) > 0 && (L as number) < 100) && c.factors.every(perStep);
}

/** Parse and check metadata.json; returns the problems found (empty = ok). */
export function parseModelMeta(text: string): { meta?: ModelMeta; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { problems: [`not valid JSON: ${(err as Error).message}`] };
  }
  if (!isObj(raw)) return { problems: ['expected a JSON object'] };
  if (raw.format !== MODEL_FORMAT) return { problems: [`not a stockcast LSTM model (format ${JSON.stringify(raw.format)})`] };
  if (!READABLE_FORMAT_VERSIONS.includes(raw.formatVersion as number)) {
    return { problems: [`model format version ${String(raw.formatVersion)} is not supported (this stockcast reads versions ${listed(READABLE_FORMAT_VERSIONS)}); retrain the model`] };
  }
  const problems: string[] = [];
  const need = (key: string, ok: (v: unknown) => boolean) => {
    if (!ok(raw[key])) problems.push(`field ${key} missing or invalid`);
  };
  const int = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
  need('freq', (v) => v === 'D' || v === 'W');
  need('covariates', (v) => Array.isArray(v) && v.every((c) => typeof c === 'string'));
  need('window', int);
  need('horizon', int);
  need('minObserved', (v) => Number.isInteger(v));
  need('features', isObj);
  need('network', isObj);
  need('training', isObj);
  need('skus', Array.isArray);
  need('calibration', (v) => Array.isArray(v) && v.length === raw.horizon && v.every((x) => typeof x === 'number'));
  need('validationSd', isObj);
  need('combine', (v) => isObj(v) && typeof v.model === 'string' && typeof v.weight === 'number' && v.weight >= 0 && v.weight <= 1 && (raw.formatVersion !== 2 || v.model === 'promo_regression' || v.model === 'none'));
  if (raw.formatVersion !== 2) {
    need('combine', (v) => isObj(v) && isMembers(v.members));
    if (raw.conformal !== undefined) need('conformal', (v) => isObj(v) && Object.values(v).every((c) => isConformal(c, raw.horizon as number)));
  }
  if (raw.checksums !== undefined) {
    need('checksums', (v) => isObj(v) && Object.values(v).every((x) => typeof x === 'string' && /^sha256:[0-9a-f]{64}$/.test(x)));
  }
  if (raw.covariateRanges !== undefined) need('covariateRanges', isCovariateRanges);
  if (problems.length === 0) {
    const f = raw.features as Record<string, unknown>;
    const names = (v: unknown) => (Array.isArray(v) ? v.map((c) => (isObj(c) ? c.name : undefined)) : []);
    const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    const covariates = raw.covariates as string[];
    if (f.window !== raw.window || f.horizon !== raw.horizon || f.freq !== raw.freq) problems.push('feature spec disagrees with window/horizon/freq');
    // The network reads the covariates the feature spec lists; a hand-edited list would feed it other columns.
    else if (!sameList(names(f.covariates), covariates)) problems.push(`covariates ${JSON.stringify(covariates)} disagree with the feature spec's ${JSON.stringify(names(f.covariates))}`);
    else if (raw.covariateRanges !== undefined && !sameList(names(raw.covariateRanges), covariates)) problems.push(`covariates ${JSON.stringify(covariates)} disagree with covariateRanges`);
    // Version 1 is also what a spec without a version field means (features.ts: scalesAtOrigin).
    else if (!READABLE_FEATURE_VERSIONS.includes((f.version ?? 1) as number)) {
      problems.push(`feature version ${String(f.version)} is not supported (this stockcast reads versions ${listed(READABLE_FEATURE_VERSIONS)}); retrain the model`);
    }
  }
  return problems.length > 0 ? { problems } : { meta: raw as unknown as ModelMeta, problems };
}
