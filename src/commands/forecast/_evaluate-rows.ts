/**
 * Rolling-origin results -> the tables `forecast evaluate` writes (summary, per cutoff/step/SKU,
 * forecasts), on their contracts (core/contracts/evaluate.ts).
 */
import { type HoldoutForecastRecord, SCORE_TABLES, type ScoreRow, holdoutForecastContract, scoreContract } from '../../core/contracts/evaluate.js';
import type { Cell } from '../../core/contracts/table.js';
import type { CvReport } from '../../models/cv-scores.js';
import { intervalAt } from '../../models/intervals.js';
import type { CutoffResult } from '../../models/rolling-origin.js';

export type ScoreTable = keyof typeof SCORE_TABLES;

/** The header of a score table at the report's levels. */
export function scoreTableColumns(table: ScoreTable, levels: readonly number[]): readonly string[] {
  return scoreContract(SCORE_TABLES[table], levels).names;
}

function scoreRecords(table: ScoreTable, report: CvReport): ScoreRow[] {
  switch (table) {
    case 'summary':
      return report.models.map((model) => ({ model, scores: report.pooled.get(model)! }));
    case 'perCutoff':
      return report.models.flatMap((model) => report.perCutoff.get(model)!.map((scores, k) => ({ model, cutoff: report.cutoffs[k]!, scores })));
    case 'perStep':
      return report.models.flatMap((model) => report.perStep.get(model)!.map((scores, h) => ({ model, step: h + 1, scores })));
    case 'perSku': {
      const rows: ScoreRow[] = [];
      for (const model of report.models) for (const [sku, scores] of report.perSku.get(model)!) rows.push({ sku, model, scores });
      return rows.sort((a, b) => (a.sku! < b.sku! ? -1 : a.sku! > b.sku! ? 1 : 0));
    }
  }
}

/** The rows of a score table (per SKU: sorted by SKU, models in run order). */
export function scoreTableRows(table: ScoreTable, report: CvReport): Cell[][] {
  const contract = scoreContract(SCORE_TABLES[table], report.levels);
  return scoreRecords(table, report).map((r) => contract.row(r));
}

export function forecastColumns(levels: readonly number[]): readonly string[] {
  return holdoutForecastContract(levels).names;
}

/**
 * Every holdout forecast with its actual, sorted by SKU, cutoff, date, then model (in run order).
 * Periods whose actual is missing are left out (there is nothing to audit, and no empty cells).
 */
export function forecastRowsOfRun(results: CutoffResult[], step: number, levels: readonly number[]): Cell[][] {
  const contract = holdoutForecastContract(levels);
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
          const record: HoldoutForecastRecord = {
            sku,
            cutoff: r.cutoff,
            day: r.cutoff + (h + 1) * step,
            step: h + 1,
            model: name,
            actual: actual[h]!,
            forecast: fc.mean[h]!,
            sd: fc.sd[h]!,
            p10: fc.p10[h]!,
            p90: fc.p90[h]!,
            bounds: bounds[i]!.flatMap((b) => [b.lo[h]!, b.hi[h]!]),
          };
          rows.push(contract.row(record));
        });
      }
    }
  }
  return rows;
}
