/**
 * The CSV outputs of `forecast evaluate`: the score tables (the summary, one row per model, and
 * `--per-cutoff`, `--per-step`, `--per-sku`) and the holdout forecasts (`--forecasts`). The score
 * columns follow the requested interval levels: the fixed scores, then per level its coverage
 * (80 is already fixed), Winkler score and pinball loss. An undefined score (no volume, no scale:
 * NaN) is a deliberately empty cell. Written by commands/forecast/_evaluate-rows.ts.
 */
import { formatDay } from '../calendar.js';
import { type Cell, type Column, type Contract, defineContract, intervalColumns, levelLabel } from './table.js';

/** The scores of one group of holdout points (pooled, per cutoff, per step or per SKU). */
export interface ScoreRecord {
  n: number;
  wape: number;
  accuracy: number;
  mae: number;
  rmse: number;
  mase: number;
  bias: number;
  coverage80: number;
  /** One entry per requested level, in the order of the levels. */
  levels: readonly LevelScoreRecord[];
}

/** The interval scores at one level in percent. */
export interface LevelScoreRecord {
  level: number;
  coverage: number;
  winkler: number;
  pinball: number;
}

export const SCORE_COLUMNS = ['wape', 'accuracy', 'mae', 'rmse', 'mase', 'bias', 'coverage80'] as const;

/** What a score row is about; each table uses some of these keys. */
export interface ScoreRow {
  model: string;
  sku?: string;
  /** Day number of the cutoff. */
  cutoff?: number;
  /** Horizon step, 1-based. */
  step?: number;
  scores: ScoreRecord;
}

export type ScoreKey = 'sku' | 'model' | 'cutoff' | 'step';

/** An undefined score is a deliberately empty cell. */
const score = (x: number): number | null => (Number.isFinite(x) ? x : null);

const KEY_COLUMNS: Record<ScoreKey, Column<ScoreRow>> = {
  sku: { name: 'sku', kind: 'string', cell: (r) => r.sku },
  model: { name: 'model', kind: 'string', cell: (r) => r.model },
  cutoff: { name: 'cutoff', kind: 'date', cell: (r) => (r.cutoff === undefined ? null : formatDay(r.cutoff)) },
  step: { name: 'step', kind: 'number', integer: true, min: 1, cell: (r) => r.step },
};

/** The score columns of `levels`: the fixed ones, then per level coverage (except 80), winkler, pinball. */
function scoreColumnsOf(levels: readonly number[]): Column<ScoreRow>[] {
  const num = (name: string, get: (s: ScoreRecord) => number): Column<ScoreRow> => ({ name, kind: 'number', allowEmpty: true, cell: (r) => score(get(r.scores)) });
  const perLevel = levels.flatMap((L, i) => {
    const l = levelLabel(L);
    return [
      ...(L === 80 ? [] : [num(`coverage${l}`, (s) => s.levels[i]!.coverage)]),
      num(`winkler${l}`, (s) => s.levels[i]!.winkler),
      num(`pinball${l}`, (s) => s.levels[i]!.pinball),
    ];
  });
  return [...SCORE_COLUMNS.map((c) => num(c, (s) => s[c])), ...perLevel];
}

/** A score table: its key columns, `n`, then the score columns of `levels`. */
export function scoreContract(keys: readonly ScoreKey[], levels: readonly number[]): Contract<ScoreRow> {
  const n: Column<ScoreRow> = { name: 'n', kind: 'number', integer: true, min: 0, cell: (r) => r.scores.n };
  return defineContract<ScoreRow>([...keys.map((k) => KEY_COLUMNS[k]), n, ...scoreColumnsOf(levels)]);
}

/** The keys of each score table `forecast evaluate` writes. */
export const SCORE_TABLES = {
  summary: ['model'],
  perCutoff: ['model', 'cutoff'],
  perStep: ['model', 'step'],
  perSku: ['sku', 'model'],
} as const satisfies Record<string, readonly ScoreKey[]>;

/** One holdout forecast with its actual (`--forecasts`). */
export interface HoldoutForecastRecord {
  sku: string;
  /** Day numbers of the cutoff and of the forecast period. */
  cutoff: number;
  day: number;
  step: number;
  model: string;
  actual: number;
  forecast: number;
  sd: number;
  p10: number;
  p90: number;
  /** lo, hi of each level, in the order of the levels. */
  bounds: readonly number[];
}

/** The `--forecasts` table: sku, cutoff, date, step, model, actual, forecast, sd, p10, p90, then lo-L,hi-L per level. */
export function holdoutForecastContract(levels: readonly number[]): Contract<HoldoutForecastRecord> {
  const num = (name: string, cell: (r: HoldoutForecastRecord) => Cell): Column<HoldoutForecastRecord> => ({ name, kind: 'number', cell });
  return defineContract<HoldoutForecastRecord>([
    { name: 'sku', kind: 'string', cell: (r) => r.sku },
    { name: 'cutoff', kind: 'date', cell: (r) => formatDay(r.cutoff) },
    { name: 'date', kind: 'date', cell: (r) => formatDay(r.day) },
    { name: 'step', kind: 'number', integer: true, min: 1, cell: (r) => r.step },
    { name: 'model', kind: 'string', cell: (r) => r.model },
    num('actual', (r) => r.actual),
    num('forecast', (r) => r.forecast),
    num('sd', (r) => r.sd),
    num('p10', (r) => r.p10),
    num('p90', (r) => r.p90),
    ...intervalColumns(levels).map((name, i) => num(name, (r) => r.bounds[i])),
  ]);
}
