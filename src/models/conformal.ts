/**
 * Split-conformal calibration of prediction intervals, per horizon step and level (pure).
 *
 * Every forecast carries a point and an 80% interval (p10, p90). On the log1p scale, with
 * u = log1p(point), the conformity score of an actual y is its distance from u in units of the 80%
 * half-width on its side:
 *
 *   r = (log1p(y) - u) / (log1p(p90) - u)  if y >= point,   (u - log1p(y)) / (u - log1p(p10)) else.
 *
 * The level-L interval [expm1(u - c s_lo), expm1(u + c s_hi)] covers y exactly when r <= c, so the
 * calibrated factor c(L, h) is the L-quantile of the scores at step h (finite-sample conformal rank
 * ceil(L (n + 1)), shrunk towards the quantile pooled over all steps when a step has few scores).
 * The scores come from forecasts made out of sample at several origins (the model's rolling
 * origins in its validation span), so the factors carry the errors the model really makes, not
 * those of its training fit. Right-skew and asymmetry of the model's own interval are kept; only
 * its width is corrected, level by level.
 */
import type { SalesData } from '../core/types.js';
import { Z90, normInv } from '../core/stats.js';
import type { Forecaster, FuturePlan, SeriesForecast } from './forecaster.js';

/** Levels (percent) calibrated by default; others are interpolated between them (intervals.ts). */
export const CONFORMAL_LEVELS = [50, 80, 90, 95, 98];
/** Scores per step below which a step's factor leans on the pooled one (weight n / (n + SHRINK)). */
export const SHRINK = 30;
const MIN_WIDTH = 1e-6;
const MAX_SCORE = 1e3;

export interface ConformalCalibration {
  /** Levels in percent, ascending. */
  levels: number[];
  /** factors[l][h]: multiplier of the 80% half-widths (log1p scale) for level l at step h. */
  factors: number[][];
  /** Scores per step that went into the factors. */
  scores: number[];
}

/** Conformity score of actual `y` against point `m` and 80% interval [lo, hi] (see above). */
export function conformityScore(y: number, m: number, lo: number, hi: number): number {
  const u = Math.log1p(Math.max(0, m));
  const v = Math.log1p(Math.max(0, y));
  const r = v >= u ? (v - u) / Math.max(Math.log1p(Math.max(0, hi)) - u, MIN_WIDTH) : (u - v) / Math.max(u - Math.log1p(Math.max(0, Math.min(lo, m))), MIN_WIDTH);
  return Math.min(MAX_SCORE, r);
}

/** The conformal quantile: the ceil(q (n + 1))-th smallest score (the largest when that exceeds n). */
export function conformalQuantile(scores: readonly number[], q: number): number {
  const v = Float64Array.from(scores).sort();
  const k = Math.min(v.length, Math.max(1, Math.ceil(q * (v.length + 1))));
  return v[k - 1]!;
}

/**
 * Factors from the scores of each step (`byStep[h]`); undefined when there is no score at all.
 * A step's factor is (n q_h + SHRINK q_pooled) / (n + SHRINK); factors never decrease with the level.
 */
export function fitConformal(byStep: readonly (readonly number[])[], levels: readonly number[] = CONFORMAL_LEVELS): ConformalCalibration | undefined {
  const all = byStep.flat();
  if (all.length === 0) return undefined;
  const factors = levels.map((L) => {
    const pooled = conformalQuantile(all, L / 100);
    return byStep.map((s) => (s.length === 0 ? pooled : (s.length * conformalQuantile(s, L / 100) + SHRINK * pooled) / (s.length + SHRINK)));
  });
  for (let l = 1; l < levels.length; l++) for (let h = 0; h < byStep.length; h++) factors[l]![h] = Math.max(factors[l]![h]!, factors[l - 1]![h]!);
  return { levels: [...levels], factors, scores: byStep.map((s) => s.length) };
}

/**
 * The calibration with no level narrower than the model's own interval at that level (the
 * two-piece normal through its p10/p90: factor z_L / z_0.9). For a model whose quantiles are
 * fitted directly (the LSTM's pinball loss), a validation span of one season is too short to
 * trust a narrowing: on Walmart the span before the cut (holidays) covered 0.82 with the raw
 * quantiles, the next 39 weeks 0.78, and narrowing to the span's 0.80 gave 0.74 (docs/forecasting.md).
 */
export function neverNarrower(cal: ConformalCalibration): ConformalCalibration {
  const factors = cal.levels.map((L, l) => {
    const own = normInv((1 + L / 100) / 2) / Z90;
    return cal.factors[l]!.map((c) => Math.max(c, own));
  });
  return { ...cal, factors };
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

/** The interval [expm1(u - c s_lo), expm1(u + c s_hi)], clamped at 0 and around the point. */
export function boundsAt(w: LogHalfWidths, c: number): [number, number] {
  return [Math.min(w.m, Math.max(0, Math.expm1(w.u - c * w.sLo))), Math.max(w.m, Math.expm1(w.u + c * w.sHi))];
}

/**
 * The forecast with calibrated intervals: p10/p90 from the 80% factors (when 80 is calibrated),
 * `intervals` for every calibrated level, sd from the calibrated 80% interval. The point is kept.
 */
export function applyConformal(f: SeriesForecast, cal: ConformalCalibration): SeriesForecast {
  const H = f.mean.length;
  const bounds = cal.levels.map(() => ({ lo: new Float64Array(H), hi: new Float64Array(H) }));
  for (let h = 0; h < H; h++) {
    const w = logHalfWidths(f.mean[h]!, f.p10[h]!, f.p90[h]!);
    cal.levels.forEach((_, l) => {
      [bounds[l]!.lo[h], bounds[l]!.hi[h]] = boundsAt(w, cal.factors[l]![Math.min(h, cal.factors[l]!.length - 1)]!);
    });
  }
  const out: SeriesForecast = { ...f, p10: Float64Array.from(f.p10), p90: Float64Array.from(f.p90), sd: Float64Array.from(f.sd), intervals: new Map() };
  cal.levels.forEach((L, l) => out.intervals!.set(L, bounds[l]!));
  const i80 = cal.levels.indexOf(80);
  if (i80 >= 0) {
    out.p10 = Float64Array.from(bounds[i80]!.lo);
    out.p90 = Float64Array.from(bounds[i80]!.hi);
    for (let h = 0; h < H; h++) out.sd[h] = (out.p90[h]! - out.p10[h]!) / (2 * Z90);
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
    for (const [sku, f] of await this.inner.predict(history, origin, horizon, plan)) out.set(sku, applyConformal(f, this.cal));
    return out;
  }
}
