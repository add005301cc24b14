/** Rolling-origin results -> the tables `forecast evaluate` writes (summary, per cutoff/step/SKU, forecasts). */
import { type Cell, definedOrNull } from '../../io/csv-out.js';
import { formatDay } from '../../core/calendar.js';
import type { CvReport, CvScores } from '../../models/cv-scores.js';
import { intervalAt } from '../../models/intervals.js';
import type { CutoffResult } from '../../models/rolling-origin.js';
import { intervalColumns, levelLabel } from './_levels.js';

export const SCORE_COLUMNS = ['wape', 'accuracy', 'mae', 'rmse', 'mase', 'bias', 'coverage80'] as const;

/** Score columns: the fixed ones, then per level coverage (except 80, already there), winkler, pinball. */
export function scoreColumns(levels: readonly number[]): string[] {
  const perLevel = levels.flatMap((L) => {
    const l = levelLabel(L);
    return [...(L === 80 ? [] : [`coverage${l}`]), `winkler${l}`, `pinball${l}`];
  });
  return [...SCORE_COLUMNS, ...perLevel];
}

/** An undefined score (no volume, no scale: NaN) is a deliberately empty cell. */
export function scoreCells(s: CvScores): Cell[] {
  const perLevel = s.levels.flatMap((x) => [...(x.level === 80 ? [] : [x.coverage]), x.winkler, x.pinball]);
  return [...SCORE_COLUMNS.map((c) => s[c]), ...perLevel].map(definedOrNull);
}

export function summaryRows(report: CvReport): Cell[][] {
  return report.models.map((m) => {
    const s = report.pooled.get(m)!;
    return [m, s.n, ...scoreCells(s)];
  });
}

export function perCutoffRows(report: CvReport): Cell[][] {
  return report.models.flatMap((m) => report.perCutoff.get(m)!.map((s, k) => [m, formatDay(report.cutoffs[k]!), s.n, ...scoreCells(s)]));
}

export function perStepRows(report: CvReport): Cell[][] {
  return report.models.flatMap((m) => report.perStep.get(m)!.map((s, h) => [m, h + 1, s.n, ...scoreCells(s)]));
}

export function perSkuRows(report: CvReport): Cell[][] {
  const rows: Cell[][] = [];
  for (const m of report.models) for (const [sku, s] of report.perSku.get(m)!) rows.push([sku, m, s.n, ...scoreCells(s)]);
  return rows.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}

export function forecastColumns(levels: readonly number[]): string[] {
  return ['sku', 'cutoff', 'date', 'step', 'model', 'actual', 'forecast', 'sd', 'p10', 'p90', ...intervalColumns(levels)];
}

/**
 * Every holdout forecast with its actual, sorted by SKU, cutoff, date, then model (in run order).
 * Periods whose actual is missing are left out (there is nothing to audit, and no empty cells).
 */
export function forecastRowsOfRun(results: CutoffResult[], step: number, levels: readonly number[]): Cell[][] {
  const rows: Cell[][] = [];
  const skus = new Set<string>();
  for (const r of results) for (const sku of r.split.actual.keys()) skus.add(sku);
  for (const sku of [...skus].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const r of results) {
      const actual = r.split.actual.get(sku);
      if (actual === undefined) continue;
      const fcs = r.models.map((m) => ({ name: m.name, fc: m.forecasts.get(sku) }));
      const bounds = fcs.map(({ fc }) => (fc === undefined ? [] : levels.map((L) => intervalAt(fc, L))));
      for (let h = 0; h < actual.length; h++) {
        if (!Number.isFinite(actual[h]!)) continue;
        fcs.forEach(({ name, fc }, i) => {
          if (fc === undefined || h >= fc.mean.length || !Number.isFinite(fc.mean[h]!)) return;
          const iv = bounds[i]!.flatMap((b) => [b.lo[h]!, b.hi[h]!]);
          rows.push([sku, formatDay(r.cutoff), formatDay(r.cutoff + (h + 1) * step), h + 1, name, actual[h]!, fc.mean[h]!, fc.sd[h]!, fc.p10[h]!, fc.p90[h]!, ...iv]);
        });
      }
    }
  }
  return rows;
}
