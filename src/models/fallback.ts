/**
 * Fallback as a Forecaster of its own (statsforecast's `fallback_model`): the primary forecaster
 * forecasts the SKUs it can, and every SKU it leaves out gets the classical model the fallback
 * rule picks from that SKU's history (baselines/index.ts `fallbackModel`: croston for intermittent
 * demand, promo_regression with enough observations, moving_average with a few, naive with none).
 * Pure.
 */
import type { SalesData, Series } from '../core/types.js';
import { BASELINES, type BaselineName, demandCounts, fallbackModel } from './baselines/index.js';
import type { Forecaster, FuturePlan, SeriesForecast } from './forecaster.js';

export class FallbackForecaster implements Forecaster {
  readonly name: string;

  /**
   * `shared`: forecasters to reuse by baseline name (a RefitForecaster the primary also uses), so
   * promo_regression, which is fitted on every SKU, is not fitted twice at one origin.
   */
  constructor(
    private readonly primary: Forecaster,
    private readonly shared: ReadonlyMap<string, Forecaster> = new Map(),
  ) {
    this.name = primary.name;
  }

  async fit(history: SalesData): Promise<void> {
    await this.primary.fit(history);
  }

  async predict(history: SalesData, origin: number, horizon: number, plan: FuturePlan): Promise<Map<string, SeriesForecast>> {
    const out = await this.primary.predict(history, origin, horizon, plan);
    const rest = history.series.filter((s) => !out.has(s.sku));
    for (const [sku, f] of await forecastFallbacks(history, rest, origin, horizon, plan, this.shared)) out.set(sku, f);
    return out;
  }
}

/** The fallback rule's forecasts of `series` (a subset of `history`), grouped by chosen model. */
export async function forecastFallbacks(
  history: SalesData,
  series: readonly Series[],
  origin: number,
  horizon: number,
  plan: FuturePlan,
  shared: ReadonlyMap<string, Forecaster> = new Map(),
): Promise<Map<string, SeriesForecast>> {
  const groups = new Map<BaselineName, Series[]>();
  for (const s of series) {
    const { observed, demands } = demandCounts(s.units, Math.floor((origin - s.start) / history.step) + 1);
    const name = fallbackModel(observed, demands);
    groups.set(name, [...(groups.get(name) ?? []), s]);
  }
  const out = new Map<string, SeriesForecast>();
  for (const name of [...groups.keys()].sort()) {
    const reuse = shared.get(name);
    const subset: SalesData = { ...history, series: groups.get(name)! };
    if (name === 'promo_regression' && reuse !== undefined) {
      const all = await reuse.predict(history, origin, horizon, plan);
      for (const s of subset.series) out.set(s.sku, all.get(s.sku)!);
      continue;
    }
    // promo_regression is fitted on every SKU (it borrows seasonality and lifts from the global fit).
    const fitOn = name === 'promo_regression' ? history : subset;
    for (const [sku, f] of await fitPredict(name, fitOn, subset, origin, horizon, plan)) out.set(sku, f);
  }
  return out;
}

async function fitPredict(name: BaselineName, fitOn: SalesData, forecastOf: SalesData, origin: number, horizon: number, plan: FuturePlan): Promise<Map<string, SeriesForecast>> {
  const model = BASELINES[name]();
  await model.fit(fitOn);
  return model.predict(forecastOf, origin, horizon, plan);
}
