/**
 * Forecast accuracy metrics planners read: WAPE (accuracy = 1 - WAPE), MAE, RMSE, MASE, bias,
 * pinball loss of p10/p90 and coverage of the p10..p90 interval. Pure functions on plain arrays.
 *
 * Missing actuals (NaN) are skipped, as are steps whose forecast is not finite. Overall scores pool
 * every scored point of every SKU, so WAPE, bias and the quantile losses are volume-weighted
 * (a 10,000-unit SKU counts for more than a 10-unit one, as in a planner's total); MASE is
 * scale-free and averaged over SKUs with equal weight (the M4 convention).
 */
import type { SeriesForecast } from './forecaster.js';

export interface Scores {
  /** Scored points (finite actual and forecast). */
  n: number;
  /** Sum of |actual| over the scored points. */
  volume: number;
  /** sum|y - f| / sum|y|; NaN when the volume is 0. */
  wape: number;
  /** 1 - WAPE. */
  accuracy: number;
  mae: number;
  rmse: number;
  /**
   * MAE / in-sample seasonal-naive MAE. Per SKU; overall = mean over SKUs with a finite value.
   * NaN when the scale is 0 or unknown.
   */
  mase: number;
  /** sum(f - y) / sum(y): > 0 over-forecasts. */
  bias: number;
  /** Weighted quantile loss of p10: 2 * sum pinball_0.1 / sum|y| (GluonTS/DeepAR convention). */
  wql10: number;
  /** Weighted quantile loss of p90. */
  wql90: number;
  /** Share of scored points with p10 <= y <= p90 (nominal 0.8). */
  coverage80: number;
}

export interface ScoreReport {
  overall: Scores;
  perSku: Map<string, Scores>;
}

/** Pinball (quantile) loss of one point. */
export function pinball(y: number, f: number, q: number): number {
  const d = y - f;
  return d >= 0 ? q * d : (q - 1) * d;
}

/**
 * Mean absolute error of the in-sample seasonal naive forecast (y[t] vs y[t - season]) over pairs
 * where both are observed; falls back to lag 1 when there are no seasonal pairs. NaN when unknown.
 */
export function seasonalNaiveScale(insample: ArrayLike<number>, season: number): number {
  for (const lag of season > 1 ? [season, 1] : [1]) {
    let sum = 0;
    let n = 0;
    for (let t = lag; t < insample.length; t++) {
      const a = insample[t]!;
      const b = insample[t - lag]!;
      if (Number.isFinite(a) && Number.isFinite(b)) {
        sum += Math.abs(a - b);
        n++;
      }
    }
    if (n > 0) return sum / n;
  }
  return Number.NaN;
}

/**
 * Running sums of point errors, shared by scoreForecasts and the rolling-origin scores
 * (cv-scores.ts), which add their quantile and interval sums on top.
 */
export class PointErrors {
  n = 0;
  volume = 0;
  sumY = 0;
  absErr = 0;
  sqErr = 0;
  signed = 0;
  covered80 = 0;

  add(y: number, f: number, p10: number, p90: number): void {
    const e = f - y;
    this.n++;
    this.volume += Math.abs(y);
    this.sumY += y;
    this.absErr += Math.abs(e);
    this.sqErr += e * e;
    this.signed += e;
    if (y >= p10 && y <= p90) this.covered80++;
  }

  merge(o: PointErrors): void {
    this.n += o.n;
    this.volume += o.volume;
    this.sumY += o.sumY;
    this.absErr += o.absErr;
    this.sqErr += o.sqErr;
    this.signed += o.signed;
    this.covered80 += o.covered80;
  }

  /** WAPE, accuracy, MAE, RMSE, bias and p10..p90 coverage of the points added (NaN when undefined). */
  pointScores(): Pick<Scores, 'n' | 'volume' | 'wape' | 'accuracy' | 'mae' | 'rmse' | 'bias' | 'coverage80'> {
    const wape = ratio(this.absErr, this.volume);
    return {
      n: this.n,
      volume: this.volume,
      wape,
      accuracy: 1 - wape,
      mae: ratio(this.absErr, this.n),
      rmse: Math.sqrt(ratio(this.sqErr, this.n)),
      bias: this.sumY !== 0 ? this.signed / this.sumY : Number.NaN,
      coverage80: ratio(this.covered80, this.n),
    };
  }
}

/** num / den, NaN when den is not positive. */
export function ratio(num: number, den: number): number {
  return den > 0 ? num / den : Number.NaN;
}

/** Running sums for one SKU or the whole set: point errors and the p10/p90 pinball losses. */
class Acc extends PointErrors {
  pin10 = 0;
  pin90 = 0;

  override add(y: number, f: number, p10: number, p90: number): void {
    super.add(y, f, p10, p90);
    this.pin10 += pinball(y, p10, 0.1);
    this.pin90 += pinball(y, p90, 0.9);
  }

  override merge(o: Acc): void {
    super.merge(o);
    this.pin10 += o.pin10;
    this.pin90 += o.pin90;
  }

  scores(mase: number): Scores {
    const { n, volume, wape, accuracy, mae, rmse, bias, coverage80 } = this.pointScores();
    // Key order as before the accumulators were shared (JSON output follows it).
    return { n, volume, wape, accuracy, mae, rmse, mase, bias, wql10: ratio(2 * this.pin10, volume), wql90: ratio(2 * this.pin90, volume), coverage80 };
  }
}

function accumulate(actual: ArrayLike<number>, fc: SeriesForecast): Acc {
  const acc = new Acc();
  const len = Math.min(actual.length, fc.mean.length);
  for (let i = 0; i < len; i++) {
    const y = actual[i]!;
    const f = fc.mean[i]!;
    if (!Number.isFinite(y) || !Number.isFinite(f)) continue;
    const p10 = Number.isFinite(fc.p10[i]!) ? fc.p10[i]! : f;
    const p90 = Number.isFinite(fc.p90[i]!) ? fc.p90[i]! : f;
    acc.add(y, f, p10, p90);
  }
  return acc;
}

/**
 * Score forecasts against actuals. `actuals` and `forecasts` are aligned step by step (actual[i] is
 * the period of forecast step i); SKUs without a forecast are skipped. `insample` gives each SKU's
 * history (for the MASE scale) and `season` its seasonal lag in periods (7 daily, 52 weekly).
 */
export function scoreForecasts(
  actuals: Map<string, ArrayLike<number>>,
  forecasts: Map<string, SeriesForecast>,
  insample: Map<string, ArrayLike<number>>,
  season: number,
): ScoreReport {
  const total = new Acc();
  const perSku = new Map<string, Scores>();
  let maseSum = 0;
  let maseCount = 0;
  const skus = [...actuals.keys()].sort();
  for (const sku of skus) {
    const fc = forecasts.get(sku);
    if (fc === undefined) continue;
    const acc = accumulate(actuals.get(sku)!, fc);
    const hist = insample.get(sku);
    const scale = hist === undefined ? Number.NaN : seasonalNaiveScale(hist, season);
    const mae = acc.n > 0 ? acc.absErr / acc.n : Number.NaN;
    const mase = scale > 0 ? mae / scale : Number.NaN;
    if (Number.isFinite(mase)) {
      maseSum += mase;
      maseCount++;
    }
    perSku.set(sku, acc.scores(mase));
    total.merge(acc);
  }
  return { overall: total.scores(maseCount > 0 ? maseSum / maseCount : Number.NaN), perSku };
}

/**
 * The actual units of the `horizon` periods after `origin` (NaN where missing or beyond a series)
 * and each series' history up to and including `origin`, keyed by SKU: the inputs of
 * `scoreForecasts` for a holdout evaluation.
 */
export function holdoutActuals(
  data: { step: number; series: { sku: string; start: number; units: Float64Array }[] },
  origin: number,
  horizon: number,
): { actuals: Map<string, Float64Array>; insample: Map<string, Float64Array> } {
  const actuals = new Map<string, Float64Array>();
  const insample = new Map<string, Float64Array>();
  for (const s of data.series) {
    const n = Math.floor((origin - s.start) / data.step) + 1;
    const a = new Float64Array(horizon).fill(Number.NaN);
    for (let h = 0; h < horizon; h++) if (n + h >= 0 && n + h < s.units.length) a[h] = s.units[n + h]!;
    actuals.set(s.sku, a);
    insample.set(s.sku, s.units.slice(0, Math.max(0, n)));
  }
  return { actuals, insample };
}
