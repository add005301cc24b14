/**
 * The `--plans` file of `stock backtest --replan`: one row per SKU and replan, the policy the
 * replay used from that day on. Written by commands/stock/_backtest-replan.ts.
 */
import { formatDay } from '../calendar.js';
import { type Contract, defineContract } from './table.js';

/** One SKU's policy at one replan, as simulation/backtest/replan.ts records it (`ReplanResult.plans`). */
export interface ReplanPlanRecord {
  /** Day number of the replan. */
  day: number;
  policy: string;
  serviceLevel: number;
  sku: string;
  reorderPoint: number;
  orderUpTo: number;
  /** false when the SKU kept its previous policy at this replan. */
  fresh: boolean;
}

export const REPLAN_PLANS_CONTRACT: Contract<ReplanPlanRecord> = defineContract<ReplanPlanRecord>([
  { name: 'replan_date', kind: 'date', cell: (r) => formatDay(r.day) },
  { name: 'policy', kind: 'string', cell: (r) => r.policy },
  { name: 'service_level_target', kind: 'number', above: 0, max: 1, cell: (r) => r.serviceLevel },
  { name: 'sku', kind: 'string', cell: (r) => r.sku },
  { name: 'reorder_point', kind: 'number', cell: (r) => r.reorderPoint },
  { name: 'order_up_to', kind: 'number', cell: (r) => r.orderUpTo },
  { name: 'fresh', kind: 'number', integer: true, min: 0, max: 1, cell: (r) => (r.fresh ? 1 : 0) },
]);
