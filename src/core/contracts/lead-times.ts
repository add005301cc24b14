/**
 * The lead-time file: `sku,lead_time_days[,lead_time_sd_days][,order_qty]`. One row per SKU (mean
 * and spread), or several rows per SKU (observed lead times, sd empty). Read by io/lead-times.ts
 * (which checks the rows of a SKU together); written by the samples generator.
 */
import { type Contract, MAX_DAYS, MAX_UNITS, defineContract } from './table.js';

/** One row of the file. NaN or undefined: an empty cell. */
export interface LeadTimeFileRow {
  sku: string;
  leadTimeDays: number;
  leadTimeSdDays?: number;
  orderQty?: number;
}

const orEmpty = (x: number | undefined): number | null => (x === undefined || Number.isNaN(x) ? null : x);

export const LEAD_TIME_CONTRACT: Contract<LeadTimeFileRow> = defineContract<LeadTimeFileRow>([
  { name: 'sku', kind: 'string', cell: (r) => r.sku },
  { name: 'lead_time_days', kind: 'number', min: 0, max: MAX_DAYS, cell: (r) => r.leadTimeDays },
  { name: 'lead_time_sd_days', kind: 'number', min: 0, max: MAX_DAYS, required: false, allowEmpty: true, cell: (r) => orEmpty(r.leadTimeSdDays) },
  { name: 'order_qty', kind: 'number', above: 0, max: MAX_UNITS, required: false, allowEmpty: true, cell: (r) => orEmpty(r.orderQty) },
]);
