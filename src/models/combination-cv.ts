/**
 * The shipped combination chosen by evidence (pure): rolling origins inside the LSTM's validation
 * span, where its weights are out of sample, score every candidate set of members; the scores
 * then calibrate the intervals of the chosen combination and of the LSTM alone (conformal.ts).
 *
 * Origins: J cutoffs cut, cut + V/J, ... (cut = the last training period, V = validation periods);
 * from each, every member forecasts the next H periods with the actual covariates as the plan
 * (the LSTM trained up to cut, conditioned on the newer history; the classical members refitted on
 * the history up to that origin). Periods past the end of the data are not scored, so later
 * origins contribute their first steps only.
 *
 * Choice: every subset of the candidate members with equal weights, and every subset with the LSTM
 * and at least one other member also with the LSTM's weight at LSTM_WEIGHTS (the others sharing the
 * rest equally). The candidate of two or more members with the lowest WAPE ships only if it beats
 * the default set by more than two standard errors of the paired difference over target periods
 * (blocks of all SKUs on one date: errors on one date are correlated across SKUs). Unequal weights
 * must also beat the same members with equal weights by that margin (estimated weights rarely beat
 * equal ones out of sample: the forecast-combination puzzle); otherwise the best equal-weight
 * subset is tried the same way, and if it too is not clearly ahead, the default set ships with
 * equal weights. A single model never replaces the combination: the same span chose the LSTM's
 * epochs, so its score there is optimistic, and on a held-out check (the synthetic grocery panel,
 * docs/forecasting.md) the LSTM alone, chosen so, lost to the combination at every cutoff.
 */
import type { SalesData } from '../core/types.js';
import type { BaselineName } from './baselines/index.js';
import { RefitForecaster, combinationName } from './combination.js';
import { CONFORMAL_LEVELS, type ConformalCalibration, boundsAt, factorsAt, fitConformal, logHalfWidths, signedScore } from './conformal.js';
import type { Forecaster, PredictCall, SeriesForecast } from './forecaster.js';
import { splitAt } from './holdout.js';
import { type ErrorCorrelation, equicorrelation, standardizedError } from './error-correlation.js';
import { PERIOD_KINDS, eventRule, periodKinds } from './period-kind.js';

export interface CvPoint {
  /** Origin index and step: the block a point belongs to is its target date. */
  origin: number;
  step: number;
  target: number;
  actual: number;
  /** The period's kind (period-kind.ts: REGULAR or EVENT), from the plan. */
  kind: number;
  /** The SKU (an index, the same at every origin): a window is the points of one SKU from one origin. */
  series: number;
}

export interface CandidateScore {
  members: string[];
  /** One per member, summing to 1. */
  weights: number[];
  wape: number;
}

export interface CombinationChoice {
  members: string[];
  /** One per member, summing to 1. */
  weights: number[];
  /** Why: 'cv' (best subset, significantly better than the default set) or 'default'. */
  chosenBy: 'cv' | 'default';
  candidates: CandidateScore[];
  /** Origins (day numbers) scored. */
  origins: number[];
  points: number;
}

/** The J origins in the validation span that starts after `cut` (day numbers, ascending). */
export function validationOrigins(cut: number, validation: number, step: number, count: number): number[] {
  const J = Math.max(1, Math.min(count, validation));
  return Array.from({ length: J }, (_, j) => cut + Math.floor((j * validation) / J) * step);
}

/** Forecasts of every member at every origin, kept only for SKUs every member forecast. */
export interface CvForecasts {
  points: CvPoint[];
  /** Per member: one forecast per point, as [point, p10, p90]. */
  byMember: Map<string, Float64Array>;
}

/**
 * `refit` computes the forecasts of the classical members (RefitForecaster with a registry
 * baseline) at every origin at once, e.g. on worker threads (refit-pool.ts `refitAll`); the results
 * are the ones each member's own `predict` would give. Without it, members predict one by one.
 */
export type RefitAll = (models: readonly (BaselineName | undefined)[], calls: readonly PredictCall[]) => Promise<Map<BaselineName, Map<string, SeriesForecast>>[]>;

export async function collectCvForecasts(history: SalesData, origins: readonly number[], horizon: number, members: readonly Forecaster[], refit?: RefitAll): Promise<CvForecasts> {
  const points: CvPoint[] = [];
  const cols = new Map<string, number[]>(members.map((m) => [m.name, []]));
  const splits = origins.map((o) => splitAt(history, o, horizon));
  const seriesIndex = new Map(history.series.map((s, i) => [s.sku, i]));
  const refits = members.filter((m): m is RefitForecaster => m instanceof RefitForecaster && m.baseline !== undefined);
  const computed = refit === undefined || refits.length === 0 ? undefined : await refit(refits.map((r) => r.baseline), splits.map((s) => ({ history: s.history, origin: s.origin, horizon, plan: s.plan })));
  for (let k = 0; k < origins.length; k++) {
    const split = splits[k]!;
    for (const r of refits) {
      const out = computed?.[k]!.get(r.baseline!);
      if (out !== undefined) r.prime(split.history, split.origin, horizon, split.plan, out);
    }
    const each: Map<string, SeriesForecast>[] = [];
    for (const m of members) each.push(await m.predict(split.history, split.origin, horizon, split.plan));
    const rule = eventRule(split.history);
    for (const [sku, actual] of split.actual) {
      const fs = each.map((e) => e.get(sku));
      if (fs.some((f) => f === undefined)) continue;
      const kinds = periodKinds(rule, sku, split.plan.get(sku), horizon);
      for (let h = 0; h < horizon; h++) {
        const y = actual[h]!;
        if (!Number.isFinite(y)) continue;
        points.push({ origin: k, step: h, target: origins[k]! + (h + 1) * history.step, actual: y, kind: kinds[h]!, series: seriesIndex.get(sku) ?? -1 });
        members.forEach((m, i) => cols.get(m.name)!.push(fs[i]!.mean[h]!, fs[i]!.p10[h]!, fs[i]!.p90[h]!));
      }
    }
  }
  return { points, byMember: new Map([...cols].map(([n, v]) => [n, Float64Array.from(v)])) };
}

/**
 * The combination of `names` at every point (equal weights unless `weights` are given), as [point,
 * p10, p90] triples: the quantile average of combination.ts's combineMany (p10 <= point <= p90
 * kept), one point at a time.
 */
export function combinedAtPoints(cv: CvForecasts, names: readonly string[], weights?: readonly number[]): Float64Array {
  const cols = names.map((m) => cv.byMember.get(m)!);
  if (cols.length === 1) return Float64Array.from(cols[0]!);
  const n = cv.points.length;
  const out = new Float64Array(3 * n);
  const w = weights ?? equalWeights(names.length);
  const mix = (j: number) => cols.reduce((a, c, k) => a + w[k]! * c[j]!, 0);
  for (let i = 0; i < n; i++) {
    const m = mix(3 * i);
    out[3 * i] = m;
    out[3 * i + 1] = Math.min(m, mix(3 * i + 1));
    out[3 * i + 2] = Math.max(m, mix(3 * i + 2));
  }
  return out;
}

/** The triples with the 80% factors of `cal` applied at each point's step and kind (conformal.ts). */
export function calibratedAtPoints(cv: CvForecasts, f: Float64Array, cal: ConformalCalibration): Float64Array {
  const out = Float64Array.from(f);
  const i80 = cal.levels.indexOf(80);
  if (i80 < 0) return out;
  cv.points.forEach((p, i) => {
    const w = logHalfWidths(f[3 * i]!, f[3 * i + 1]!, f[3 * i + 2]!);
    [out[3 * i + 1], out[3 * i + 2]] = boundsAt(w, factorsAt(cal, p.step, p.kind)[i80]!, factorsAt(cal, p.step, p.kind, 'hi')[i80]!);
  });
  return out;
}

function wapeOf(cv: CvForecasts, f: Float64Array): number {
  let ae = 0;
  let vol = 0;
  cv.points.forEach((p, i) => {
    ae += Math.abs(p.actual - f[3 * i]!);
    vol += Math.abs(p.actual);
  });
  return vol > 0 ? ae / vol : Number.NaN;
}

/** Mean and standard error of the per-date difference of absolute errors of a and b, over volume. */
function pairedDifference(cv: CvForecasts, a: Float64Array, b: Float64Array): { mean: number; se: number; blocks: number } {
  const byDate = new Map<number, number>();
  let vol = 0;
  cv.points.forEach((p, i) => {
    byDate.set(p.target, (byDate.get(p.target) ?? 0) + Math.abs(p.actual - a[3 * i]!) - Math.abs(p.actual - b[3 * i]!));
    vol += Math.abs(p.actual);
  });
  const d = [...byDate.values()].map((x) => x / Math.max(vol, 1e-12));
  const n = d.length;
  // d sums to WAPE(a) - WAPE(b); scale per block so the mean * n is that difference.
  const mean = d.reduce((s, x) => s + x, 0);
  const v = n > 1 ? d.reduce((s, x) => s + (x - mean / n) ** 2, 0) / (n - 1) : Number.POSITIVE_INFINITY;
  return { mean, se: Math.sqrt(n * v), blocks: n };
}

/** Every non-empty subset of `names`, in a fixed order: by size, then by bit mask (stable sort). */
export function subsets(names: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let mask = 1; mask < 1 << names.length; mask++) out.push(names.filter((_, i) => (mask & (1 << i)) !== 0));
  return out.sort((a, b) => a.length - b.length);
}

/** The fewest members a set chosen by CV has (see the header): a single model never replaces the default combination. */
export const MIN_CHOSEN_MEMBERS = 2;

/** The LSTM's weights tried besides equal weights (see the header); the other members share the rest equally. */
export const LSTM_WEIGHTS = [0.25, 0.5, 0.75] as const;

export function equalWeights(n: number): number[] {
  return Array.from({ length: n }, () => 1 / n);
}

/** Whether every weight is the same (equal weights). */
export function isEqualWeighting(weights: readonly number[]): boolean {
  return weights.every((w) => Math.abs(w - weights[0]!) < 1e-12);
}

/** The weightings of one subset: equal weights first, then each LSTM weight that differs from them. */
export function weightings(members: readonly string[]): number[][] {
  const equal = equalWeights(members.length);
  const at = members.indexOf('lstm');
  if (at < 0 || members.length < 2) return [equal];
  const out = [equal];
  for (const w of LSTM_WEIGHTS) {
    if (Math.abs(w - equal[at]!) < 1e-12) continue;
    out.push(members.map((_, i) => (i === at ? w : (1 - w) / (members.length - 1))));
  }
  return out;
}

/** A candidate's label: `lstm+arimax` with equal weights, `lstm 0.75+arimax 0.25` otherwise. */
export function candidateLabel(c: { members: readonly string[]; weights: readonly number[] }): string {
  return isEqualWeighting(c.weights) ? combinationName(c.members) : c.members.map((m, i) => `${m} ${+c.weights[i]!.toFixed(3)}`).join('+');
}

/** The members and weights to ship (see the header): `candidates` are the member names, `defaults` a subset. */
export function chooseCombination(cv: CvForecasts, candidates: readonly string[], defaults: readonly string[], origins: readonly number[]): CombinationChoice {
  type Scored = CandidateScore & { f: Float64Array };
  const scored: Scored[] = subsets(candidates).flatMap((members) =>
    weightings(members).map((weights) => {
      const f = combinedAtPoints(cv, members, weights);
      return { members, weights, wape: wapeOf(cv, f), f };
    }),
  );
  const equalOf = (members: readonly string[]) => scored.find((s) => combinationName(s.members) === combinationName(members) && isEqualWeighting(s.weights))!;
  const bestOf = (ok: (s: Scored) => boolean) =>
    scored.reduce<Scored | undefined>((best, s) => (s.members.length >= MIN_CHOSEN_MEMBERS && ok(s) && (best === undefined || s.wape < best.wape) ? s : best), undefined);
  const clearlyAhead = (a: Scored, b: Scored) => {
    const d = pairedDifference(cv, a.f, b.f);
    return d.mean + 2 * d.se < 0;
  };
  const base = equalOf(defaults);
  let chosen = base;
  if (cv.points.length > 0) {
    const weighted = bestOf(() => true);
    if (weighted !== undefined && !isEqualWeighting(weighted.weights) && clearlyAhead(weighted, equalOf(weighted.members)) && clearlyAhead(weighted, base)) chosen = weighted;
    const equal = bestOf((s) => isEqualWeighting(s.weights));
    if (chosen === base && equal !== undefined && equal !== base && clearlyAhead(equal, base)) chosen = equal;
  }
  return {
    members: chosen.members.slice(),
    weights: chosen.weights.slice(),
    chosenBy: chosen === base ? 'default' : 'cv',
    candidates: scored.map(({ members, weights, wape }) => ({ members, weights, wape })),
    origins: [...origins],
    points: cv.points.length,
  };
}

/** Conformal calibration of a forecast (triples at the CV points), per step and kind of period. */
export function calibrateAtPoints(cv: CvForecasts, f: Float64Array, horizon: number): ConformalCalibration | undefined {
  const byStep: number[][] = Array.from({ length: horizon }, () => []);
  const stepDates = Array.from({ length: horizon }, () => new Set<number>());
  const byKind = PERIOD_KINDS.map(() => ({ scores: [] as number[], dates: new Set<number>() }));
  cv.points.forEach((p, i) => {
    const r = signedScore(p.actual, f[3 * i]!, f[3 * i + 1]!, f[3 * i + 2]!);
    byStep[p.step]!.push(r);
    stepDates[p.step]!.add(p.target);
    byKind[p.kind]!.scores.push(Math.abs(r));
    byKind[p.kind]!.dates.add(p.target);
  });
  return fitConformal(byStep, CONFORMAL_LEVELS, {
    byKind: byKind.map((k) => ({ scores: k.scores, dates: k.dates.size })),
    stepDates: stepDates.map((d) => d.size),
    perSide: true,
  });
}

/**
 * The correlation of a calibrated forecast's errors within each window (one SKU from one origin) at
 * the CV points (error-correlation.ts); undefined when no window has two errors.
 */
export function errorCorrelationAt(cv: CvForecasts, f: Float64Array): ErrorCorrelation | undefined {
  const windows = new Map<string, number[]>();
  cv.points.forEach((p, i) => {
    const z = standardizedError(p.actual, f[3 * i]!, f[3 * i + 1]!, f[3 * i + 2]!);
    if (z === undefined) return;
    const key = `${p.origin}\u0000${p.series}`;
    let list = windows.get(key);
    if (list === undefined) windows.set(key, (list = []));
    list.push(z);
  });
  return equicorrelation(windows.values());
}

/** WAPE and 80% coverage of a forecast at the CV points. */
export function scoreAtPoints(cv: CvForecasts, f: Float64Array): { wape: number; coverage: number } {
  let inside = 0;
  cv.points.forEach((p, i) => {
    if (p.actual >= f[3 * i + 1]! && p.actual <= f[3 * i + 2]!) inside++;
  });
  return { wape: wapeOf(cv, f), coverage: cv.points.length > 0 ? inside / cv.points.length : Number.NaN };
}
