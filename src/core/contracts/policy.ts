/**
 * The policy CSV: what `stock simulate` writes (commands/stock/simulate.ts) and `stock reorder`,
 * `stock backtest` and the report read (io/policy-file.ts). The contract columns come first and do
 * not change; a reader needs only `sku,reorder_point,order_up_to` (a policy from another tool), the
 * others are validated when present. Columns added later go at the end (CHANGELOG.md):
 * `policy` (`sQ` continuous review or `RS` periodic review) and `review_period` (days, 0 for sQ).
 */
import type { SkuPolicy } from '../types.js';
import { type Contract, MAX_DAYS, MAX_UNITS, defineContract } from './table.js';

/** (s,Q): order when the inventory position falls to s; (R,S): every R days, order up to S. */
export type PolicyKind = 'sQ' | 'RS';

export const POLICY_KINDS: readonly PolicyKind[] = ['sQ', 'RS'];

/** What the simulation found for one SKU: the numbers of its policy row. */
export interface PolicyResult {
  sku: string;
  leadTimeMean: number;
  leadTimeSd: number;
  /** Mean and sd of simulated demand over the protection interval. */
  demandMean: number;
  demandSd: number;
  safetyStock: number;
  reorderPoint: number;
  orderUpTo: number;
  serviceLevelTarget: number;
  cycleServiceLevel: number;
  fillRate: number;
  paths: number;
}

/** One row of `stock simulate`'s output: a SKU's policy, what the simulation found, which policy it is. */
export interface PolicyRecord extends PolicyResult {
  policy: PolicyKind;
  /** Days between reviews under (R,S); 0 under (s,Q). */
  reviewPeriod: number;
}

/** One SKU's policy as a reader returns it: the record ordering and the replay use (core/types). */
export type PolicyRow = SkuPolicy;

const optional = { required: false, allowEmpty: true } as const;
const units = { min: -MAX_UNITS, max: MAX_UNITS };
const share = { min: 0, max: 1 };

export const POLICY_CONTRACT: Contract<PolicyRecord> = defineContract<PolicyRecord>([
  { name: 'sku', kind: 'string', cell: (r) => r.sku },
  { name: 'lead_time_mean', kind: 'number', ...optional, min: 0, max: MAX_DAYS, cell: (r) => r.leadTimeMean },
  { name: 'lead_time_sd', kind: 'number', ...optional, min: 0, max: MAX_DAYS, cell: (r) => r.leadTimeSd },
  { name: 'demand_mean', kind: 'number', ...optional, cell: (r) => r.demandMean },
  { name: 'demand_sd', kind: 'number', ...optional, min: 0, cell: (r) => r.demandSd },
  { name: 'safety_stock', kind: 'number', ...optional, cell: (r) => r.safetyStock },
  { name: 'reorder_point', kind: 'number', ...units, cell: (r) => r.reorderPoint },
  { name: 'order_up_to', kind: 'number', ...units, cell: (r) => r.orderUpTo },
  { name: 'service_level_target', kind: 'number', ...optional, ...share, cell: (r) => r.serviceLevelTarget },
  { name: 'cycle_service_level', kind: 'number', ...optional, ...share, cell: (r) => r.cycleServiceLevel },
  { name: 'fill_rate', kind: 'number', ...optional, ...share, cell: (r) => r.fillRate },
  { name: 'paths', kind: 'number', ...optional, min: 0, integer: true, cell: (r) => r.paths },
  // Added after the first release: at the end, optional on input (older files lack them).
  { name: 'policy', kind: 'string', ...optional, cell: (r) => r.policy },
  { name: 'review_period', kind: 'number', ...optional, min: 0, max: MAX_DAYS, integer: true, cell: (r) => r.reviewPeriod },
]);

/** The columns of `stock simulate`'s output, in order. */
export const POLICY_COLUMNS = POLICY_CONTRACT.names;

/** How a policy file says its SKUs are reviewed (its `policy` and `review_period` columns). */
export type PolicyReview = { kind: 'sQ' } | { kind: 'RS'; period: number };

/** One line for messages: "(s,Q), continuous review" or "(R,S), review every 7 day(s)". */
export function describeReview(r: PolicyReview): string {
  return r.kind === 'sQ' ? '(s,Q), continuous review' : `(R,S), review every ${r.period} day(s)`;
}
