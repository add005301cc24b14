/**
 * Rolling-origin evaluation (time-series cross-validation), pure: K cutoffs spaced S periods apart,
 * each forecasting the next H periods with the actual covariates as the plan.
 *
 * Cutoffs as statsforecast `cross_validation(h, n_windows, step_size)`: the last cutoff is H
 * periods before the end of the data, each earlier one S periods before the next, so the cutoffs are
 * end - H - (K - 1 - k) * S for k = 0 .. K - 1 (K = 1: the plain holdout of the last H periods).
 * With S < H the windows overlap; every forecast sees only the history up to its own cutoff.
 *
 * What is refitted: every classical baseline is fitted again at every cutoff (they are cheap; this
 * is `refit=True`). The LSTM is trained once, on the history up to the first cutoff, and at later
 * cutoffs conditioned on the newer history (its inputs are the last `window` periods before the
 * cutoff; `refit=False` in statsforecast, `retrain=False` in darts), unless `retrain` asks for a new
 * network at every cutoff. Its combination partner, promo_regression, is refitted at every cutoff
 * either way (predict refits it on the history given).
 */
import type { SalesData } from '../core/types.js';
import type { BaselineName } from './baselines/index.js';
import { refitAll } from './refit-pool.js';
import type { SeriesForecast } from './forecaster.js';
import { type Holdout, splitAt } from './holdout.js';
import { forecastOrigins } from './origins.js';
import { type LstmForecaster, shippedName } from './lstm-forecaster.js';

export interface RollingOriginSpec {
  /** Number of cutoffs (K >= 1). */
  windows: number;
  /** Periods between consecutive cutoffs (S >= 1). */
  step: number;
  /** Periods forecast after each cutoff (H >= 1). */
  horizon: number;
}

export interface ModelRun {
  name: string;
  forecasts: Map<string, SeriesForecast>;
}

export interface CutoffResult {
  /** Day number of the last history period. */
  cutoff: number;
  split: Holdout;
  models: ModelRun[];
}

/** Forecasts of one or more named models at cutoff `index` of the split. */
export type CutoffRunner = (split: Holdout, index: number, horizon: number) => Promise<ModelRun[]>;

/** The K cutoffs (day numbers, ascending) for data ending at day `end` with `periodDays` per period. */
export function rollingCutoffs(end: number, periodDays: number, spec: RollingOriginSpec): number[] {
  const last = end - spec.horizon * periodDays;
  return Array.from({ length: spec.windows }, (_, k) => last - (spec.windows - 1 - k) * spec.step * periodDays);
}

/** Periods of history before the first cutoff, counted from the earliest series start. */
export function periodsBeforeFirstCutoff(data: SalesData, spec: RollingOriginSpec): number {
  const first = rollingCutoffs(forecastOrigins(data).common, data.step, spec)[0]!;
  const start = data.series.reduce((m, s) => Math.min(m, s.start), Number.POSITIVE_INFINITY);
  return Math.floor((first - start) / data.step) + 1;
}

/** Run every runner at every cutoff, in order (deterministic: cutoffs ascending, runners in order). */
export async function rollingOrigin(
  data: SalesData,
  spec: RollingOriginSpec,
  runners: CutoffRunner[],
  onCutoff?: (index: number, cutoff: number) => void,
): Promise<CutoffResult[]> {
  const results: CutoffResult[] = [];
  const cutoffs = rollingCutoffs(forecastOrigins(data).common, data.step, spec);
  for (let k = 0; k < cutoffs.length; k++) {
    onCutoff?.(k, cutoffs[k]!);
    const split = splitAt(data, cutoffs[k]!, spec.horizon);
    const models: ModelRun[] = [];
    for (const run of runners) models.push(...(await run(split, k, spec.horizon)));
    results.push({ cutoff: cutoffs[k]!, split, models });
  }
  return results;
}

/** Classical baselines, each fitted on the history of every cutoff. */
export function baselineRunner(names: readonly BaselineName[], threads?: number): CutoffRunner {
  return async (split, _index, horizon) => {
    // Side by side on worker threads (refit-pool.ts): the same forecasts as one after the other.
    const [computed] = await refitAll(names, [{ history: split.history, origin: split.origin, horizon, plan: split.plan }], threads);
    return names.map((name) => ({ name, forecasts: computed!.get(name)! }));
  };
}

/** The row name of the shipped forecast when the LSTM is retrained at every cutoff (`--retrain`). */
export const RETRAINED_DEFAULT = 'default';

/**
 * The row name of the shipped forecast in evaluations: `default:` and its members, or
 * RETRAINED_DEFAULT when the LSTM is retrained at every cutoff (each training chooses its own members).
 */
export function defaultRunName(shipped: string, retrain = false): string {
  return retrain ? RETRAINED_DEFAULT : `default:${shipped}`;
}

/**
 * The LSTM alone (`lstm`) and the shipped forecast (`default:` and its members, e.g.
 * `default:lstm+promo_regression+arimax`; absent when the model ships the LSTM alone), trained by `train`
 * at the first cutoff (or at every cutoff with `retrain`: then the row is `default`, since each
 * training chooses its own members). Call `dispose` when done.
 */
export function lstmRunner(train: (history: SalesData) => Promise<LstmForecaster>, retrain: boolean): CutoffRunner & { dispose(): void } {
  let model: LstmForecaster | undefined;
  const run = async (split: Holdout, index: number, H: number): Promise<ModelRun[]> => {
    if (model === undefined || (retrain && index > 0)) {
      model?.dispose();
      model = await train(split.history);
    }
    const runs: ModelRun[] = [{ name: 'lstm', forecasts: await model.predict(split.history, split.origin, H, split.plan, 'lstm') }];
    const shipped = shippedName(model.trained);
    // Retrained at every cutoff, the shipped members can differ from one cutoff to the next: one
    // row, `default`, scores what shipped at each (each forecast's `model` names its members).
    if (shipped !== 'lstm') runs.push({ name: defaultRunName(shipped, retrain), forecasts: await model.predict(split.history, split.origin, H, split.plan, 'shipped') });
    return runs;
  };
  return Object.assign(run, {
    dispose() {
      model?.dispose();
      model = undefined;
    },
  });
}
