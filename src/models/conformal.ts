/**
 * Split-conformal calibration of prediction intervals, per horizon step and level (pure).
 *
 * Every forecast carries a point and an 80% interval (p10, p90). On the log1p scale, with
 * u = log1p(point), the conformity score of an actual y is its distance from u in units of the 80%
 * half-width on its side:
 *
 *   r = (log1p(y) - u) / (log1p(p90) - u)  if y >= point,   (u - log1p(y)) / (u - log1p(p10)) else.
 *
 * (Above p90, once the 80% half-width exceeds MAX_EXTRA_WIDTH, r grows by 1 per MAX_EXTRA_WIDTH
 * instead: intervals.ts upperWidth, upperFactor.) The level-L interval [expm1(u - c_lo s_lo),
 * expm1(u + upperWidth(s_hi, c_hi))] holds y exactly when y's score on its side is at most that
 * side's factor. Each side is calibrated to its own tail: c_hi(L, h) is the (1 + L) / 2 quantile
 * at step h of the upper-side scores (an actual below the point scores 0 there), c_lo(L, h) that
 * of the lower-side ones (finite-sample conformal rank ceil(q (n + 1)), shrunk towards the
 * quantile pooled over all steps when a step has few scores), so that (1 - L) / 2 of the actuals
 * fall beyond each bound. (Calibrations stored before, without `upper`, have one factor c(L, h),
 * the L-quantile of the unsigned scores, for both sides.) The scores come from forecasts made out
 * of sample at several origins (the model's rolling origins in its validation span), so the
 * factors carry the errors the model really makes, not those of its training fit. Right-skew of
 * the model's own interval is kept; only each side's width is corrected, level by level.
 *
 * Kinds of periods (period-kind.ts: regular, event = a promotion or holiday flag on or a price
 * cut): errors are larger on events, so each kind's width is corrected on top of the step's. The
 * factor of kind k at level L is c(L, h) * rho(L, k) on each side, rho being the ratio of the kind's
 * L-quantile of the unsigned scores to the quantile over all of them, shrunk towards 1 by the evidence behind it (the
 * fewer of scores and of distinct target dates: n / (n + KIND_SHRINK_SCORES), d / (d +
 * KIND_SHRINK_DATES), since the errors of one date are correlated across SKUs). Kind 0 is the
 * regular one; at a level where an event kind would get a narrower interval than regular periods,
 * every kind keeps the step's width: on the samples the validation span said events were easier,
 * the next cutoffs did not (80% coverage of promotion and holiday days fell from 0.83 to 0.75),
 * and a stock-out on a promotion costs more than spare stock on a regular day.
 */
import type { SalesData } from '../core/types.js';
import { periodsUpTo } from '../sales-data.js';
import { Z90, normInv, sdOf80 } from '../core/stats.js';
import type { Forecaster, FuturePlan, SeriesForecast } from './forecaster.js';
import { planKinds } from './period-kind.js';
import { upperFactor, upperWidth } from './intervals.js';

/** Levels (percent) calibrated by default; others are interpolated between them (intervals.ts). */
export const CONFORMAL_LEVELS = [50, 80, 90, 95, 98];
/** Scores per step below which a step's factor leans on the pooled one (weight n / (n + SHRINK)). */
export const SHRINK = 30;
/** Pseudo-dates of the same shrinkage (see fitConformal). */
export const STEP_SHRINK_DATES = 4;
/** Shrinkage of a kind's ratio towards 1: pseudo-scores and pseudo-dates (see the header). */
export const KIND_SHRINK_SCORES = 100;
export const KIND_SHRINK_DATES = 4;
const MIN_WIDTH = 1e-6;
const MAX_SCORE = 1e3;
/**
 * No calibrated upper bound above this multiple of the most the SKU sold in one observed period up
 * to the origin (or of the step's point forecast, or 1 unit, whichever is larger): a backstop for
 * a model whose own intervals say nothing of its errors. A network trained for one epoch on 3 SKUs
 * had 80% intervals covering 7% of its validation actuals, some of them of width 0, so its
 * calibrated factors reached the score cap (1000) and `predict` met an sd of 5e157 units.
 */
export const MAX_BOUND_MULTIPLE = 10;

export interface ConformalCalibration {
  /** Levels in percent, ascending. */
  levels: number[];
  /**
   * factors[l][h]: multiplier of the 80% half-widths (log1p scale) for level l at step h: of the
   * lower half-width when `upper` is present, of both otherwise.
   */
  factors: number[][];
  /**
   * upper[l][h]: the multiplier of the upper 80% half-width, when each side is calibrated to its
   * own tail (fitConformal `perSide`). Absent (models trained before it): `factors` for both sides.
   */
  upper?: number[][];
  /** Scores per step that went into the factors. */
  scores: number[];
  /**
   * Per kind of period (period-kind.ts PERIOD_KINDS order), per level: the multiplier of the step's
   * factor, and the scores and distinct target dates behind it. Absent: one width for every kind.
   */
  kinds?: { ratios: number[][]; scores: number[]; dates: number[] };
  /**
   * The correlation of the calibrated forecast's errors between periods of one SKU, at the same
   * rolling origins (error-correlation.ts); `forecast predict` writes it as the `error_corr`
   * column. Absent (models trained before it, or no window with two errors): none is written.
   */
  errorCorrelation?: number;
}

/** Scores of one kind of period, pooled over steps, and the target dates they fall on. */
export interface KindScores {
  scores: number[];
  dates: number;
}

/** Conformity score of actual `y` against point `m` and 80% interval [lo, hi] (see above). */
export function conformityScore(y: number, m: number, lo: number, hi: number): number {
  return Math.abs(signedScore(y, m, lo, hi));
}

/** The conformity score with the side of the point `y` is on: >= 0 at or above it, < 0 below. */
export function signedScore(y: number, m: number, lo: number, hi: number): number {
  const u = Math.log1p(Math.max(0, m));
  const v = Math.log1p(Math.max(0, y));
  // Above the point: the factor whose upper bound (upperWidth) reaches y.
  if (v >= u) return Math.min(MAX_SCORE, upperFactor(Math.max(Math.log1p(Math.max(0, hi)) - u, MIN_WIDTH), v - u));
  return -Math.min(MAX_SCORE, (u - v) / Math.max(u - Math.log1p(Math.max(0, Math.min(lo, m))), MIN_WIDTH));
}

/** The conformal quantile: the ceil(q (n + 1))-th smallest score (the largest when that exceeds n). */
export function conformalQuantile(scores: readonly number[], q: number): number {
  const v = Float64Array.from(scores).sort();
  const k = Math.min(v.length, Math.max(1, Math.ceil(q * (v.length + 1))));
  return v[k - 1]!;
}

/** What else `fitConformal` may know of the scores. */
export interface ConformalEvidence {
  /** Scores per kind of period (period-kind.ts order), for the kind ratios. */
  byKind?: readonly KindScores[];
  /** Distinct target dates behind each step's scores (one per origin, at most). */
  stepDates?: readonly number[];
  /**
   * The scores are signed (signedScore): calibrate each side to its own tail (`upper`). The
   * level-L upper factor is the (1 + L) / 2 quantile of the upper-side scores, an actual below
   * the point counting as 0, so that (1 - L) / 2 of the actuals lie above the bound; likewise
   * below. One factor for both sides (the L-quantile of |score|) is right only when the errors are
   * as wide on each side as the model's interval says: on retail-daily, where 48% of the actuals
   * are 0 and sit on the lower bound, the shipped 95% bound was exceeded 4.9% of the time above and
   * 0.4% below (docs/forecasting.md). The kind ratios stay those of |score|, for both sides.
   */
  perSide?: boolean;
}

/**
 * Factors from the scores of each step (`byStep[h]`); undefined when there is no score at all.
 * A step's factor is w q_h + (1 - w) q_pooled with w = n / (n + SHRINK) for its n scores, and at
 * most d / (d + STEP_SHRINK_DATES) for its d distinct target dates when they are known: a step's
 * scores at J origins fall on J dates, and what one date did to every SKU (a holiday, a deal
 * calendar) is not what the step will do at the next origin. Factors never decrease with the level.
 */
export function fitConformal(
  byStep: readonly (readonly number[])[],
  levels: readonly number[] = CONFORMAL_LEVELS,
  evidence: ConformalEvidence = {},
): ConformalCalibration | undefined {
  const { byKind, stepDates, perSide = false } = evidence;
  // Unsigned scores for the pooled quantile and one factor for both sides (signed ones, too, are read as |score|).
  const absolute = byStep.map((s) => s.map(Math.abs));
  const all = absolute.flat();
  if (all.length === 0) return undefined;
  const weight = (n: number, h: number) => {
    const d = stepDates?.[h];
    return Math.min(n / (n + SHRINK), d === undefined ? 1 : d / (d + STEP_SHRINK_DATES));
  };
  /** Per level and step, the q(L)-quantile of the step's scores shrunk towards the pooled one, never decreasing with the level. */
  const stepFactors = (scores: readonly (readonly number[])[], q: (L: number) => number) => {
    const pool = scores.flat();
    const factors = levels.map((L) => {
      const p = conformalQuantile(pool, q(L));
      return scores.map((s, h) => {
        if (s.length === 0) return p;
        const w = weight(s.length, h);
        return w * conformalQuantile(s, q(L)) + (1 - w) * p;
      });
    });
    for (let l = 1; l < levels.length; l++) for (let h = 0; h < scores.length; h++) factors[l]![h] = Math.max(factors[l]![h]!, factors[l - 1]![h]!);
    return factors;
  };
  const cal: ConformalCalibration = { levels: [...levels], factors: [], scores: byStep.map((s) => s.length) };
  if (perSide) {
    const tail = (L: number) => (1 + L / 100) / 2;
    cal.factors = stepFactors(byStep.map((s) => s.map((r) => Math.max(0, -r))), tail);
    cal.upper = stepFactors(byStep.map((s) => s.map((r) => Math.max(0, r))), tail);
  } else cal.factors = stepFactors(absolute, (L) => L / 100);
  if (byKind !== undefined && byKind.filter((k) => k.scores.length > 0).length > 1) {
    // The kinds' ratios are to the quantiles of every unsigned score.
    const pooled = levels.map((L) => conformalQuantile(all, L / 100));
    const ratios = byKind.map((k) => {
      const w = Math.min(k.scores.length / (k.scores.length + KIND_SHRINK_SCORES), k.dates / (k.dates + KIND_SHRINK_DATES));
      return levels.map((L, l) => {
        if (k.scores.length === 0 || !(pooled[l]! > 0)) return 1;
        return w * (conformalQuantile(k.scores, L / 100) / pooled[l]!) + (1 - w);
      });
    });
    // Events are never made narrower than regular periods (see the header): at such a level, one width for all.
    levels.forEach((_, l) => {
      if (ratios.slice(1).some((r) => r[l]! < ratios[0]![l]!)) for (const r of ratios) r[l] = 1;
    });
    cal.kinds = { ratios, scores: byKind.map((k) => k.scores.length), dates: byKind.map((k) => k.dates) };
  }
  return cal;
}

/**
 * The factors of every level at step h for a period of kind `kind` (REGULAR when the calibration
 * has no kinds), of the lower side or the upper one (the same for a calibration without `upper`):
 * c(L, h) * rho(L, kind), never decreasing with the level.
 */
export function factorsAt(cal: ConformalCalibration, h: number, kind = 0, side: 'lo' | 'hi' = 'lo'): number[] {
  const factors = side === 'hi' ? (cal.upper ?? cal.factors) : cal.factors;
  const out: number[] = [];
  for (let l = 0; l < cal.levels.length; l++) {
    const f = factors[l]!;
    const c = f[Math.min(h, f.length - 1)]! * (cal.kinds?.ratios[kind]?.[l] ?? 1);
    out.push(l > 0 ? Math.max(c, out[l - 1]!) : c);
  }
  return out;
}

/**
 * The calibration with no step factor narrower than the model's own interval at that level (the
 * two-piece normal through its p10/p90: factor z_L / z_0.9). The kind ratios then move width
 * between regular and event periods on top of it. For a model whose quantiles are
 * fitted directly (the LSTM's pinball loss), a validation span of one season is too short to
 * trust a narrowing: on Walmart the span before the cut (holidays) covered 0.82 with the raw
 * quantiles, the next 39 weeks 0.78, and narrowing to the span's 0.80 gave 0.74 (docs/forecasting.md).
 */
export function neverNarrower(cal: ConformalCalibration): ConformalCalibration {
  const floored = (factors: number[][]) =>
    cal.levels.map((L, l) => {
      const own = normInv((1 + L / 100) / 2) / Z90;
      return factors[l]!.map((c) => Math.max(c, own));
    });
  return { ...cal, factors: floored(cal.factors), ...(cal.upper !== undefined ? { upper: floored(cal.upper) } : {}) };
}

export interface LogHalfWidths {
  /** The point, clamped at 0, and its log1p. */
  m: number;
  u: number;
  /** The 80% half-widths below and above the point, on the log1p scale. */
  sLo: number;
  sHi: number;
}

/** The point and 80% half-widths on the log1p scale of one step (p10/p90 clamped to the point). */
export function logHalfWidths(point: number, p10: number, p90: number): LogHalfWidths {
  const m = Math.max(0, point);
  const u = Math.log1p(m);
  return { m, u, sLo: u - Math.log1p(Math.max(0, Math.min(p10, m))), sHi: Math.log1p(Math.max(0, Math.max(p90, m))) - u };
}

/**
 * The interval [expm1(u - c s_lo), expm1(u + upperWidth(s_hi, cHi))] (= expm1(u + cHi s_hi) unless
 * s_hi > MAX_EXTRA_WIDTH and cHi > 1), clamped at 0 and around the point.
 */
export function boundsAt(w: LogHalfWidths, c: number, cHi = c): [number, number] {
  return [Math.min(w.m, Math.max(0, Math.expm1(w.u - c * w.sLo))), Math.max(w.m, Math.expm1(w.u + upperWidth(w.sHi, cHi)))];
}

/**
 * The forecast with calibrated intervals: p10/p90 from the 80% factors (when 80 is calibrated),
 * `intervals` for every calibrated level, sd from the calibrated 80% interval. The point is kept.
 * `kinds`: the kind of each step's period (period-kind.ts), used when the calibration has kinds.
 */
export function applyConformal(f: SeriesForecast, cal: ConformalCalibration, kinds?: Uint8Array): SeriesForecast {
  const H = f.mean.length;
  const bounds = cal.levels.map(() => ({ lo: new Float64Array(H), hi: new Float64Array(H) }));
  for (let h = 0; h < H; h++) {
    const w = logHalfWidths(f.mean[h]!, f.p10[h]!, f.p90[h]!);
    const c = factorsAt(cal, h, kinds?.[h] ?? 0);
    const cHi = factorsAt(cal, h, kinds?.[h] ?? 0, 'hi');
    cal.levels.forEach((_, l) => {
      [bounds[l]!.lo[h], bounds[l]!.hi[h]] = boundsAt(w, c[l]!, cHi[l]!);
    });
  }
  const out: SeriesForecast = { ...f, p10: Float64Array.from(f.p10), p90: Float64Array.from(f.p90), sd: Float64Array.from(f.sd), intervals: new Map() };
  cal.levels.forEach((L, l) => out.intervals!.set(L, bounds[l]!));
  const i80 = cal.levels.indexOf(80);
  if (i80 >= 0) {
    out.p10 = Float64Array.from(bounds[i80]!.lo);
    out.p90 = Float64Array.from(bounds[i80]!.hi);
    for (let h = 0; h < H; h++) out.sd[h] = sdOf80(out.p10[h]!, out.p90[h]!);
  }
  return out;
}

/** A forecaster whose intervals are calibrated: every SKU the inner one forecasts gets `cal`. */
export class CalibratedForecaster implements Forecaster {
  readonly name: string;

  constructor(
    private readonly inner: Forecaster,
    private readonly cal: ConformalCalibration,
  ) {
    this.name = inner.name;
  }

  async fit(history: SalesData): Promise<void> {
    await this.inner.fit(history);
  }

  async predict(history: SalesData, origin: number, horizon: number, plan: FuturePlan): Promise<Map<string, SeriesForecast>> {
    const out = new Map<string, SeriesForecast>();
    const kinds = this.cal.kinds === undefined ? undefined : planKinds(history, plan, horizon);
    const largest = largestSold(history, origin);
    for (const [sku, f] of await this.inner.predict(history, origin, horizon, plan)) {
      out.set(sku, capBounds(applyConformal(f, this.cal, kinds?.get(sku)), largest.get(sku) ?? 0));
    }
    return out;
  }
}

/** The most each SKU sold in one observed period up to `origin` (day number). */
export function largestSold(history: SalesData, origin: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of history.series) {
    const end = periodsUpTo(s, origin, history.step);
    let most = 0;
    for (let i = 0; i < end; i++) if (s.observed[i] === 1 && s.units[i]! > most) most = s.units[i]!;
    out.set(s.sku, most);
  }
  return out;
}

/**
 * The forecast with no upper bound (p90, every level's hi, hence sd) above MAX_BOUND_MULTIPLE times
 * max(`largest`, the step's point, 1). The same object when no bound is over.
 */
export function capBounds(f: SeriesForecast, largest: number): SeriesForecast {
  const H = f.mean.length;
  const cap = (h: number) => MAX_BOUND_MULTIPLE * Math.max(largest, f.mean[h]!, 1);
  const levels = [...(f.intervals?.values() ?? [])];
  let over = false;
  for (let h = 0; h < H && !over; h++) over = f.p90[h]! > cap(h) || levels.some((b) => b.hi[h]! > cap(h));
  if (!over) return f;
  const out: SeriesForecast = { ...f, p90: Float64Array.from(f.p90), sd: Float64Array.from(f.sd) };
  if (f.intervals !== undefined) out.intervals = new Map([...f.intervals].map(([L, b]) => [L, { lo: b.lo, hi: Float64Array.from(b.hi) }]));
  for (let h = 0; h < H; h++) {
    const c = cap(h);
    for (const b of out.intervals?.values() ?? []) b.hi[h] = Math.min(b.hi[h]!, c);
    if (out.p90[h]! > c) {
      out.p90[h] = c;
      out.sd[h] = sdOf80(out.p10[h]!, c);
    }
  }
  return out;
}
