/**
 * The sales history: a long-format CSV, one row per SKU and period. Three fixed columns, named
 * `date`, `sku` and `units` unless the reader is told other names (io/sales.ts: `--date-col`,
 * `--sku-col`, `--target-col`), and covariate columns: the ones named (`--covariates`), or else
 * every other column with a name (`salesCovariateColumns`; the reader drops a column found to hold
 * text). Empty or NA cells are unknown (`MISSING_CELLS`); covariates may be TRUE/FALSE
 * (`BOOLEAN_CELLS`). The format is a function of its covariates and names: `salesContract`.
 * Read by io/sales.ts, which streams the file cell by cell on these names, bounds and cell words
 * (it does not go through io/typed-table.ts); written by the samples generator. Rules:
 * docs/input-format.md.
 */
import { formatDay } from '../calendar.js';
import { type Cell, type Column, type Contract, MAX_UNITS, defineContract } from './table.js';

/** The names of the fixed columns. */
export interface SalesColumnNames {
  date: string;
  sku: string;
  /** The units sold (the forecast target). */
  target: string;
}

/** The fixed columns' names when the reader is not told others. */
export const SALES_COLUMN_NAMES: Readonly<SalesColumnNames> = { date: 'date', sku: 'sku', target: 'units' };

/** One row of the file. NaN: an empty (unknown) cell. */
export interface SalesFileRow {
  /** Day number of the period. */
  day: number;
  sku: string;
  units: number;
  /** One value per covariate column, in the contract's order. */
  covariates: readonly number[];
}

/** Cells read as "unknown": in the target a missing period, in a covariate filled from the neighbouring periods. */
export const MISSING_CELLS: ReadonlySet<string> = new Set(['', 'NA', 'N/A', 'na', 'n/a']);

/** Words a covariate cell may hold for 1 and 0 (Walmart's `IsHoliday`). */
export const BOOLEAN_CELLS: ReadonlyMap<string, number> = new Map([['TRUE', 1], ['true', 1], ['True', 1], ['FALSE', 0], ['false', 0], ['False', 0]]);

/**
 * Bounds of a target or covariate value: |x| <= 1e12. A negative target is a return, which the
 * reader clips, keeps or refuses (`--negative`).
 */
const value = { kind: 'number', allowEmpty: true, min: -MAX_UNITS, max: MAX_UNITS } as const;

const orEmpty = (x: number | undefined): Cell => (x === undefined || Number.isNaN(x) ? null : x);

/** The columns of a sales file with these covariates: date, sku, target, then the covariates. */
export function salesContract(covariates: readonly string[], names: SalesColumnNames = SALES_COLUMN_NAMES): Contract<SalesFileRow> {
  return defineContract<SalesFileRow>([
    { name: names.date, kind: 'date', cell: (r) => formatDay(r.day) },
    { name: names.sku, kind: 'string', cell: (r) => r.sku },
    { name: names.target, ...value, cell: (r) => orEmpty(r.units) },
    ...covariates.map((name, k): Column<SalesFileRow> => ({ name, ...value, cell: (r) => orEmpty(r.covariates[k]) })),
  ]);
}

/** The covariate columns when none are named: every other column with a name, once, in header order. */
export function salesCovariateColumns(header: readonly string[], names: SalesColumnNames = SALES_COLUMN_NAMES): string[] {
  const fixed = new Set([names.date, names.sku, names.target]);
  return header.filter((h, i) => !fixed.has(h) && h !== '' && header.indexOf(h) === i);
}
