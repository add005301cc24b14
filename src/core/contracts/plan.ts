/**
 * The promotion plan (`forecast predict --future`): the known covariates of the forecast periods,
 * `date,sku` and the model's covariates under the names of the sales history (the date and SKU
 * columns renamed as there). One row per SKU and forecast date; other columns (units, ...) are
 * ignored. Every covariate cell is a finite number (no empty or NA: a plan states its values; under
 * `--plan-fill` io/plan.ts reads an empty covariate cell and fills it as a missing row).
 * The format is a function of the model's covariates: `planContract`. Read by io/plan.ts (which
 * checks the values against what the model learned); written by the samples generator.
 */
import { formatDay } from '../calendar.js';
import { type Column, type Contract, defineContract } from './table.js';
import { SALES_COLUMN_NAMES, type SalesColumnNames } from './sales.js';

/** One row of the plan. */
export interface PlanFileRow {
  /** Day number of the forecast period. */
  day: number;
  sku: string;
  /** One value per covariate, in the contract's (the model's) order. */
  values: readonly number[];
}

/** The columns of a plan for these covariates: date, sku, then the covariates. */
export function planContract(covariates: readonly string[], names: Pick<SalesColumnNames, 'date' | 'sku'> = SALES_COLUMN_NAMES): Contract<PlanFileRow> {
  return defineContract<PlanFileRow>([
    { name: names.date, kind: 'date', cell: (r) => formatDay(r.day) },
    { name: names.sku, kind: 'string', cell: (r) => r.sku },
    ...covariates.map((name, k): Column<PlanFileRow> => ({ name, kind: 'number', cell: (r) => r.values[k] })),
  ]);
}
