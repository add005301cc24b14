/**
 * From what the command read (per-period forecasts, lead times, defaults) to the per-SKU inputs of
 * the simulation, with the problems a person must hear about: SKUs without a lead time and
 * forecasts shorter than the protection interval.
 */
import type { ForecastSeries } from '../../core/contracts/forecast.js';
import { spreadToDays } from './demand.js';
import type { SkuInput } from './engine.js';
import type { LeadTime, SkuLeadTime } from '../../core/types.js';
import { type Policy, requiredDays, reviewDays } from './policy.js';
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
  /** SKUs of the shard whose daily sd was widened for correlated errors (sumSpreadFactor over 1, some sd above 0). */
  widened: { sku: string; rho: number; factor: number }[];
}

/**
 * `--valid-days forecast`: the days a SKU's policy can stay in force with its forecast covering
 * every protection interval that starts on one of them, a lead time of its mean plus three sds
 * long (random lead times run past the forecast on few paths, under the 1% that simulate warns
 * about): days - ceil(review + mean + 3 sd) + 1, at least 1.
 */
export function forecastValidDays(days: number, lead: LeadTime, policy: Policy): number {
  return Math.max(1, days - Math.max(1, Math.ceil(reviewDays(policy) + lead.mean + 3 * lead.sd - 1e-9)) + 1);
}

/**
 * The factor on every daily sd that gives the demand summed over `periods` forecast periods the
 * variance it has when the errors of any two of those periods have correlation `rho`
 * (equicorrelation, models/error-correlation.ts): with equal sds s, Var(sum of m) = m s^2 (1 + (m -
 * 1) rho) against m s^2 for independent periods. 1 for one period or less, or rho <= 0.
 */
export function sumSpreadFactor(periods: number, rho: number): number {
  if (!(rho > 0) || !(periods > 1)) return 1;
  return Math.sqrt(1 + (periods - 1) * Math.min(1, rho));
}

/** sumSpreadFactor over a SKU's protection interval (review period plus mean lead time) in forecast periods of `step` days. */
export function protectionSpreadFactor(lead: LeadTime, policy: Policy, step: number, rho: number): number {
  return sumSpreadFactor((reviewDays(policy) + lead.mean) / step, rho);
}

export function buildInputs(
  forecasts: Map<string, ForecastSeries>,
  step: number,
  leadTimes: Map<string, SkuLeadTime>,
  defaultLead: LeadTime | undefined,
  policy: Policy,
  shard?: Shard,
  /**
   * Days the policy stays in force: the forecast must also cover intervals starting on the last.
   * 'forecast': every day each SKU's forecast covers (forecastValidDays), set per SKU.
   */
  validDays: number | 'forecast' = 1,
  /**
   * The correlation of the forecast errors between periods (stock simulate --error-corr) for every
   * SKU; undefined: each SKU's own from the forecast file (error_corr), else 0 (independent).
   */
  errorCorr?: number,
): BuildInputsResult {
  const inputs: SkuInput[] = [];
  const missingLeadTime: string[] = [];
  const shortHorizon: BuildInputsResult['shortHorizon'] = [];
  const widened: BuildInputsResult['widened'] = [];
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
    const own = validDays === 'forecast' ? forecastValidDays(days, lead, policy) : validDays;
    const needed = requiredDays(lead, policy, own);
    if (days < needed) shortHorizon.push({ sku, days, needed });
    if (!inShard(sku, shard)) continue;
    // Correlated errors: the lead-time sum is wider than independent days make it (the replan loop's
    // spread calibration does the same from its own past errors).
    const rho = errorCorr ?? f.errorCorr ?? 0;
    const factor = protectionSpreadFactor(lead, policy, step, rho);
    const demand = spreadToDays(f.mean, f.sd, step);
    if (factor > 1 && demand.sd.some((v) => v > 0)) {
      for (let d = 0; d < demand.sd.length; d++) demand.sd[d]! *= factor;
      widened.push({ sku, rho, factor });
    }
    inputs.push({
      sku,
      ...(validDays === 'forecast' ? { validDays: own } : {}),
      demand,
      lead: { mean: lead.mean, sd: lead.sd, samples: lead.samples },
      orderQty: entry?.orderQty,
    });
  }
  const unusedLeadTimes = [...leadTimes.keys()].filter((s) => !forecasts.has(s)).sort();
  return { inputs, missingLeadTime, shortHorizon, unusedLeadTimes, widened };
}
