/**
 * Day-by-day replays for the report's policy chart: the same replay, opening stock and seeded
 * lead-time draws as `stock backtest` (one policy, no constraints), with the trace kept. Pure.
 */
import { dailyDemand } from '../simulation/backtest/demand.js';
import { skuLeadTimeSampler } from '../simulation/backtest/lead-time-draws.js';
import { type UnmetRule, replaySku } from '../simulation/backtest/replay.js';
import type { LeadTime, SalesData } from '../core/types.js';
import type { ReplayInput } from './types.js';

export interface ReplayPolicy {
  reorderPoint: number;
  orderUpTo: number;
}

export interface ReplayOptions {
  from: number;
  to: number;
  unmet: UnmetRule;
  seed: number;
  reviewPeriod?: number;
}

/** One trace per SKU present in the sales data, the policies and the lead times. */
export function replayTraces(data: SalesData, policies: Map<string, ReplayPolicy>, leadTimes: Map<string, LeadTime>, opts: ReplayOptions): Map<string, ReplayInput> {
  const out = new Map<string, ReplayInput>();
  for (const s of data.series) {
    const p = policies.get(s.sku);
    const lt = leadTimes.get(s.sku);
    if (p === undefined || lt === undefined) continue;
    const { demand } = dailyDemand(s, data.step, opts.from, opts.to);
    const { trace } = replaySku({
      demand,
      reorderPoint: p.reorderPoint,
      orderUpTo: p.orderUpTo,
      opening: { onHand: p.orderUpTo },
      leadTime: skuLeadTimeSampler(opts.seed, s.sku, lt),
      unmet: opts.unmet,
      reviewPeriod: opts.reviewPeriod,
      trace: true,
    });
    out.set(s.sku, {
      from: opts.from,
      onHand: trace!.map((d) => d.onHand),
      ordered: trace!.map((d) => d.ordered),
      arrived: trace!.map((d) => d.arrived),
      unmet: trace!.map((d) => d.unmet),
    });
  }
  return out;
}
