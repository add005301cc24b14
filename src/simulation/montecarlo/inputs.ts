/**
 * From what the command read (per-period forecasts, lead times, defaults) to the per-SKU inputs of
 * the simulation, with the problems a person must hear about: SKUs without a lead time and
 * forecasts shorter than the protection interval.
 */
import type { ForecastSeries } from '../../core/contracts/forecast.js';
import { spreadToDays } from './demand.js';
import type { SkuInput } from './engine.js';
import type { LeadTime, SkuLeadTime } from '../../core/types.js';
import { type Policy, requiredDays } from './policy.js';
import { type Shard, inShard } from './shard.js';

export interface BuildInputsResult {
  /** Sorted by sku; only the SKUs of the shard. */
  inputs: SkuInput[];
  /** SKUs with a forecast but no lead time (and no default). */
  missingLeadTime: string[];
  /** SKUs whose forecast covers fewer days than the protection interval needs. */
  shortHorizon: { sku: string; days: number; needed: number }[];
  /** SKUs in the lead-time file without a forecast. */
  unusedLeadTimes: string[];
}

export function buildInputs(
  forecasts: Map<string, ForecastSeries>,
  step: number,
  leadTimes: Map<string, SkuLeadTime>,
  defaultLead: LeadTime | undefined,
  policy: Policy,
  shard?: Shard,
  /** Days the policy stays in force: the forecast must also cover intervals starting on the last. */
  validDays = 1,
): BuildInputsResult {
  const inputs: SkuInput[] = [];
  const missingLeadTime: string[] = [];
  const shortHorizon: BuildInputsResult['shortHorizon'] = [];
  const skus = [...forecasts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Validate every SKU, not only the shard's: every shard of a bad input fails the same way.
  for (const sku of skus) {
    const f = forecasts.get(sku)!;
    const entry = leadTimes.get(sku);
    const lead: SkuLeadTime | undefined = entry ?? defaultLead;
    if (lead === undefined) {
      missingLeadTime.push(sku);
      continue;
    }
    const days = f.mean.length * step;
    const needed = requiredDays(lead, policy, validDays);
    if (days < needed) shortHorizon.push({ sku, days, needed });
    if (!inShard(sku, shard)) continue;
    inputs.push({
      sku,
      demand: spreadToDays(f.mean, f.sd, step),
      lead: { mean: lead.mean, sd: lead.sd, samples: lead.samples },
      orderQty: entry?.orderQty,
    });
  }
  const unusedLeadTimes = [...leadTimes.keys()].filter((s) => !forecasts.has(s)).sort();
  return { inputs, missingLeadTime, shortHorizon, unusedLeadTimes };
}
