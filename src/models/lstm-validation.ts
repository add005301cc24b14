/**
 * The steps of LstmForecaster.fit that use the validation span, where the networks have not
 * learnt: the rolling origins there choose the members of the shipped combination
 * (`chooseShipped`, on combination-cv.ts) and calibrate the intervals of that combination and of
 * the LSTM alone out of sample (`calibrateShipped`, conformal.ts); what they found goes into the
 * model's metadata (`combineMeta`, `validationSummary`). Pure.
 */
import type { SalesData } from '../core/types.js';
import { formatDay } from '../core/calendar.js';
import { BASELINES, type BaselineName } from './baselines/index.js';
import { RefitForecaster } from './combination.js';
import {
  type CombinationChoice,
  type CvForecasts,
  type RefitAll,
  calibrateAtPoints,
  calibratedAtPoints,
  chooseCombination,
  collectCvForecasts,
  combinedAtPoints,
  errorCorrelationAt,
  scoreAtPoints,
  validationOrigins,
} from './combination-cv.js';
import { type ConformalCalibration, neverNarrower } from './conformal.js';
import type { Forecaster, PredictCall } from './forecaster.js';
import { splitAt } from './holdout.js';
import type { TrainResult } from './lstm/contract.js';
import { COMBINE_CANDIDATES, COMBINE_DEFAULT_MEMBERS, CV_MAX_SKUS, CV_ORIGINS, type CombineChoice } from './lstm-settings.js';
import type { CombineMeta, ValidationSummary } from './model-meta.js';

/** The members of the shipped combination for a training setting (before CV chooses among them). */
export function candidatesFor(choice: CombineChoice): { candidates: string[]; defaults: string[] } {
  if (choice === 'none') return { candidates: ['lstm'], defaults: ['lstm'] };
  if (choice === 'auto') return { candidates: [...COMBINE_CANDIDATES], defaults: [...COMBINE_DEFAULT_MEMBERS] };
  return { candidates: ['lstm', choice], defaults: ['lstm', choice] };
}

export function round6(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : x;
}

/** The shipped combination as chosen, with the forecasts at the rolling origins that chose it. */
export interface ShippedChoice {
  choice: CombineChoice;
  /** The rolling origins (day numbers). */
  origins: number[];
  cv: CvForecasts;
  chosen: CombinationChoice;
  /** The LSTM alone and the chosen combination at the CV points. */
  lstmAt: Float64Array;
  shippedAt: Float64Array;
}

/** The SKUs scored at the rolling origins: all, or CV_MAX_SKUS of them evenly spread over the data order. */
export function cvSample(history: SalesData, max = CV_MAX_SKUS): SalesData {
  const n = history.series.length;
  if (n <= max) return history;
  return { ...history, series: Array.from({ length: max }, (_, i) => history.series[Math.floor((i * n) / max)]!) };
}

/** The rolling origins (day numbers) in the validation span of `span`. */
function cvOrigins(history: SalesData, span: { cut: number; validation: number }): number[] {
  return validationOrigins(span.cut, span.validation, history.step, CV_ORIGINS);
}

/** The classical candidates' refit calls at the rolling origins of `span` (what chooseShipped asks for). */
function cvRefitCalls(history: SalesData, span: { cut: number; validation: number; horizon: number }, choice: CombineChoice): { models: BaselineName[]; calls: PredictCall[] } {
  const models = candidatesFor(choice).candidates.filter((n) => n !== 'lstm') as BaselineName[];
  const origins = cvOrigins(history, span);
  const calls = origins.map((o) => splitAt(history, o, span.horizon)).map((s) => ({ history: s.history, origin: s.origin, horizon: span.horizon, plan: s.plan }));
  return { models, calls };
}

/** A refit started ahead of need (refit-pool.ts refitAllInBackground): `finish` gives its forecasts. */
export type StartRefit = (models: readonly BaselineName[], calls: readonly PredictCall[]) => { finish(): ReturnType<RefitAll> };

/**
 * The classical candidates' refits at chooseShipped's rolling origins, started now: they need
 * nothing from the networks, so they can run (at low priority, on worker threads) while the
 * networks train. The RefitAll returned hands those results to chooseShipped, and passes any
 * other request on to `refit`. The forecasts are the ones chooseShipped would have computed.
 */
export function refitsInAdvance(history: SalesData, span: { cut: number; validation: number; horizon: number }, choice: CombineChoice, start: StartRefit, refit: RefitAll): RefitAll {
  const { models, calls } = cvRefitCalls(cvSample(history), span, choice);
  if (models.length === 0 || calls.length === 0) return refit;
  const early = start(models, calls);
  const same = (m: readonly (BaselineName | undefined)[], c: readonly PredictCall[]) =>
    m.length === models.length &&
    m.every((x, i) => x === models[i]) &&
    c.length === calls.length &&
    c.every((x, i) => x.origin === calls[i]!.origin && x.horizon === calls[i]!.horizon && x.history.series.length === calls[i]!.history.series.length);
  return (m, c) => (same(m, c) ? early.finish() : refit(m, c));
}

/** Rolling origins in the validation span after `cut`: every candidate forecasts, the best set is chosen. */
export async function chooseShipped(
  history: SalesData,
  lstm: Forecaster,
  span: { cut: number; validation: number; horizon: number },
  choice: CombineChoice,
  refit?: RefitAll,
): Promise<ShippedChoice> {
  const { candidates, defaults } = candidatesFor(choice);
  const origins = cvOrigins(history, span);
  const members: Forecaster[] = candidates.map((n) => (n === 'lstm' ? lstm : new RefitForecaster(n, BASELINES[n as BaselineName], n as BaselineName)));
  const cv = await collectCvForecasts(cvSample(history), origins, span.horizon, members, refit);
  const chosen = chooseCombination(cv, candidates, defaults, origins);
  return { choice, origins, cv, chosen, lstmAt: combinedAtPoints(cv, ['lstm']), shippedAt: combinedAtPoints(cv, chosen.members, chosen.weights) };
}

type Score = { wape: number; coverage: number };

/** The conformal calibrations (undefined: none) and the scores at the CV points. */
export interface ShippedCalibration {
  lstm?: ConformalCalibration;
  shipped?: ConformalCalibration;
  /** Before calibration. */
  lstmScore: Score;
  shippedScore: Score;
  /** The LSTM alone once calibrated. */
  calibratedLstmScore?: Score;
}

/** `cal` with the correlation of the errors of `calibrated` (the forecast at the CV points once calibrated by `cal`), when one can be measured. */
function withErrorCorrelation(s: ShippedChoice, calibrated: Float64Array, cal: ConformalCalibration): ConformalCalibration {
  const corr = errorCorrelationAt(s.cv, calibrated);
  return corr === undefined ? cal : { ...cal, errorCorrelation: Math.round(corr.rho * 1000) / 1000 };
}

export function calibrateShipped(s: ShippedChoice, horizon: number): ShippedCalibration {
  // The LSTM's quantiles are fitted to be calibrated: widened when the span says so, never narrowed.
  const lstmCal = calibrateAtPoints(s.cv, s.lstmAt, horizon);
  const lstmFloored = lstmCal === undefined ? undefined : neverNarrower(lstmCal);
  // The LSTM at the CV points once calibrated: for its error correlation and its calibrated score.
  const lstmCalibrated = lstmFloored === undefined ? undefined : calibratedAtPoints(s.cv, s.lstmAt, lstmFloored);
  const lstm = lstmFloored === undefined ? undefined : withErrorCorrelation(s, lstmCalibrated!, lstmFloored);
  const lstmAlone = s.chosen.members.length === 1 && s.chosen.members[0] === 'lstm';
  const shippedCal = lstmAlone ? undefined : calibrateAtPoints(s.cv, s.shippedAt, horizon);
  const shipped = lstmAlone ? lstm : shippedCal === undefined ? undefined : withErrorCorrelation(s, calibratedAtPoints(s.cv, s.shippedAt, shippedCal), shippedCal);
  return {
    lstm,
    shipped,
    lstmScore: scoreAtPoints(s.cv, s.lstmAt),
    shippedScore: scoreAtPoints(s.cv, s.shippedAt),
    calibratedLstmScore: lstmCalibrated === undefined ? undefined : scoreAtPoints(s.cv, lstmCalibrated),
  };
}

/** metadata.json's `combine`: the members and their weights, how they were chosen, the candidates' scores. */
export function combineMeta(s: ShippedChoice, cal: ShippedCalibration): CombineMeta {
  const { chosen } = s;
  const at = chosen.members.indexOf('lstm');
  return {
    model: s.choice,
    weight: at < 0 ? 0 : chosen.weights[at]!,
    members: chosen.members.map((model, i) => ({ model, weight: chosen.weights[i]! })),
    chosenBy: chosen.chosenBy,
    candidates: chosen.candidates.map((c) => ({ members: c.members, weights: c.weights.map(round6), wape: round6(c.wape) })),
    origins: s.origins.map(formatDay),
    points: chosen.points,
    validation: { wape: round6(cal.shippedScore.wape), coverageRaw: round6(cal.shippedScore.coverage) },
  };
}

/** metadata.json's `conformal`: the calibrations there are. */
export function conformalMeta(cal: ShippedCalibration): { lstm?: ConformalCalibration; shipped?: ConformalCalibration } {
  return { ...(cal.lstm !== undefined ? { lstm: cal.lstm } : {}), ...(cal.shipped !== undefined ? { shipped: cal.shipped } : {}) };
}

/** metadata.json's `validation`: the LSTM alone on the validation span, and its training. */
export function validationSummary(windows: number, neutralized: string[], fedNeutral: { inert: string[]; shortLived: string[] }, result: TrainResult, cal: ShippedCalibration): ValidationSummary {
  const { inert, shortLived } = fedNeutral;
  return {
    windows,
    neutralized,
    ...(inert.length > 0 ? { inert } : {}),
    ...(shortLived.length > 0 ? { shortLived } : {}),
    loss: result.bestValLoss,
    wape: cal.lstmScore.wape,
    coverageRaw: cal.lstmScore.coverage,
    coverage: cal.calibratedLstmScore?.coverage ?? cal.lstmScore.coverage,
    epochsRun: result.epochsRun,
    bestEpoch: result.bestEpoch,
    seconds: result.seconds,
    samplesPerSecond: result.samplesPerSecond,
  };
}
