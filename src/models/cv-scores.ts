/**
 * Scores of a rolling-origin evaluation (pure): every model pooled over all cutoffs, per cutoff,
 * per horizon step and per SKU, with coverage and interval scores at the requested levels.
 *
 * Definitions as in metrics.ts (WAPE, MAE, RMSE, bias pooled over points, so volume-weighted);
 * MASE is the mean over (SKU, cutoff) pairs of MAE / in-sample seasonal-naive MAE of that cutoff's
 * history (the M4 convention, one pair per SKU when there is one cutoff). Per level L:
 * - coverageL: share of points inside the L% interval;
 * - winklerL: the M4 MSIS, mean over (SKU, cutoff) pairs of the mean interval (Winkler) score
 *   divided by the same seasonal-naive scale (scale-free, each series counts once);
 * - pinballL: mean of the weighted quantile losses of the two bounds, 2 sum pinball_q / sum|y|
 *   (volume-weighted, the GluonTS convention).
 * With a single cutoff, n, WAPE, MAE, RMSE, MASE, bias and coverage80 equal scoreForecasts'.
 */
import { formatDay } from '../core/calendar.js';
import type { LevelScoreRecord, ScoreRecord } from '../core/contracts/evaluate.js';
import type { SeriesForecast } from './forecaster.js';
import { type Interval, intervalAt, levelQuantiles, winkler } from './intervals.js';
import { PointErrors, pinball, ratio, seasonalNaiveScale } from './metrics.js';
import type { CutoffResult } from './rolling-origin.js';

export type LevelScores = LevelScoreRecord;

/** The scores the evaluate tables write (core/contracts/evaluate.ts), with the volume scored. */
export interface CvScores extends ScoreRecord {
  volume: number;
  levels: LevelScores[];
}

export interface CvReport {
  levels: number[];
  /** Model names in the order they were run. */
  models: string[];
  cutoffs: number[];
  pooled: Map<string, CvScores>;
  /** Per model, one entry per cutoff (same order as `cutoffs`). */
  perCutoff: Map<string, CvScores[]>;
  /** Per model, one entry per horizon step. */
  perStep: Map<string, CvScores[]>;
  /** Per model, per SKU (pooled over cutoffs). */
  perSku: Map<string, Map<string, CvScores>>;
}

/** Point errors plus, per level, coverage, pinball and interval-score sums; MASE and MSIS per (SKU, cutoff) pair. */
class Acc extends PointErrors {
  maseSum = 0;
  maseCount = 0;
  readonly covered: number[];
  readonly pinLo: number[];
  readonly pinHi: number[];
  readonly isSum: number[];
  readonly msisSum: number[];

  constructor(private readonly levels: number[]) {
    super();
    const zeros = () => levels.map(() => 0);
    this.covered = zeros();
    this.pinLo = zeros();
    this.pinHi = zeros();
    this.isSum = zeros();
    this.msisSum = zeros();
  }

  addLevels(y: number, f: number, p10: number, p90: number, lo: number[], hi: number[]): void {
    this.add(y, f, p10, p90);
    this.levels.forEach((L, k) => {
      const [qLo, qHi] = levelQuantiles(L);
      if (y >= lo[k]! && y <= hi[k]!) this.covered[k]!++;
      this.pinLo[k]! += pinball(y, lo[k]!, qLo);
      this.pinHi[k]! += pinball(y, hi[k]!, qHi);
      this.isSum[k]! += winkler(y, lo[k]!, hi[k]!, L);
    });
  }

  /** Add the point sums of `o`, and `o` as one (SKU, cutoff) pair for MASE and MSIS when scaled. */
  mergePair(o: Acc, scale: number): void {
    this.merge(o);
    this.levels.forEach((_, k) => {
      this.covered[k]! += o.covered[k]!;
      this.pinLo[k]! += o.pinLo[k]!;
      this.pinHi[k]! += o.pinHi[k]!;
      this.isSum[k]! += o.isSum[k]!;
    });
    if (o.n > 0 && scale > 0 && Number.isFinite(scale)) {
      this.maseSum += o.absErr / o.n / scale;
      this.maseCount++;
      this.levels.forEach((_, k) => (this.msisSum[k]! += o.isSum[k]! / o.n / scale));
    }
  }

  scores(): CvScores {
    const { n, volume, wape, accuracy, mae, rmse, bias, coverage80 } = this.pointScores();
    return {
      n,
      volume,
      wape,
      accuracy,
      mae,
      rmse,
      mase: ratio(this.maseSum, this.maseCount),
      bias,
      coverage80,
      levels: this.levels.map((level, k) => ({
        level,
        coverage: ratio(this.covered[k]!, this.n),
        winkler: ratio(this.msisSum[k]!, this.maseCount),
        pinball: ratio(this.pinLo[k]! + this.pinHi[k]!, this.volume),
      })),
    };
  }
}

function bounds(fc: SeriesForecast, levels: number[]): Interval[] {
  return levels.map((L) => intervalAt(fc, L));
}

/** Score every model of a rolling-origin run at the given interval levels (percent). */
export function scoreRollingOrigin(results: CutoffResult[], season: number, levels: number[]): CvReport {
  const models = results.length > 0 ? results[0]!.models.map((m) => m.name) : [];
  // Every runner keeps its row names over the cutoffs (rolling-origin.ts: RETRAINED_DEFAULT); a
  // runner that did not would lose rows from the report, so it is a defect, said in words.
  for (const r of results) {
    const names = r.models.map((m) => m.name);
    if (names.length !== models.length || names.some((n, i) => n !== models[i])) {
      throw new Error(`internal: cutoff ${formatDay(r.cutoff)} scored models ${names.join(', ')}, the first cutoff ${models.join(', ')}; every cutoff must name the same models`);
    }
  }
  const H = results.length > 0 ? [...results[0]!.split.actual.values()].reduce((m, a) => Math.max(m, a.length), 0) : 0;
  const pooled = new Map(models.map((m) => [m, new Acc(levels)]));
  const perCutoff = new Map(models.map((m) => [m, results.map(() => new Acc(levels))]));
  const perStep = new Map(models.map((m) => [m, Array.from({ length: H }, () => new Acc(levels))]));
  const perSku = new Map(models.map((m) => [m, new Map<string, Acc>()]));
  results.forEach((r, k) => {
    const scale = new Map(r.split.history.series.map((s) => [s.sku, seasonalNaiveScale(s.units, season)]));
    const skus = [...r.split.actual.keys()].sort();
    for (const run of r.models) {
      for (const sku of skus) {
        const fc = run.forecasts.get(sku);
        if (fc === undefined) continue;
        const actual = r.split.actual.get(sku)!;
        const sc = scale.get(sku) ?? Number.NaN;
        const iv = bounds(fc, levels);
        const pair = new Acc(levels);
        const len = Math.min(actual.length, fc.mean.length);
        for (let h = 0; h < len; h++) {
          const y = actual[h]!;
          const f = fc.mean[h]!;
          if (!Number.isFinite(y) || !Number.isFinite(f)) continue;
          const p10 = Number.isFinite(fc.p10[h]!) ? fc.p10[h]! : f;
          const p90 = Number.isFinite(fc.p90[h]!) ? fc.p90[h]! : f;
          const lo = iv.map((b) => (Number.isFinite(b.lo[h]!) ? b.lo[h]! : f));
          const hi = iv.map((b) => (Number.isFinite(b.hi[h]!) ? b.hi[h]! : f));
          pair.addLevels(y, f, p10, p90, lo, hi);
          const point = new Acc(levels);
          point.addLevels(y, f, p10, p90, lo, hi);
          perStep.get(run.name)![h]!.mergePair(point, sc);
        }
        pooled.get(run.name)!.mergePair(pair, sc);
        perCutoff.get(run.name)![k]!.mergePair(pair, sc);
        const bySku = perSku.get(run.name)!;
        if (!bySku.has(sku)) bySku.set(sku, new Acc(levels));
        bySku.get(sku)!.mergePair(pair, sc);
      }
    }
  });
  const done = <T>(m: Map<string, T>, f: (x: T) => unknown) => new Map([...m].map(([k, v]) => [k, f(v)]));
  return {
    levels,
    models,
    cutoffs: results.map((r) => r.cutoff),
    pooled: done(pooled, (a) => a.scores()) as Map<string, CvScores>,
    perCutoff: done(perCutoff, (a) => a.map((x) => x.scores())) as Map<string, CvScores[]>,
    perStep: done(perStep, (a) => a.map((x) => x.scores())) as Map<string, CvScores[]>,
    perSku: done(perSku, (m) => new Map([...m].map(([s, a]) => [s, a.scores()]))) as Map<string, Map<string, CvScores>>,
  };
}
