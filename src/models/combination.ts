/**
 * Forecast combination as a Forecaster of its own (statsforecast/darts `NaiveEnsembleModel`): the
 * members' forecasts of a SKU are averaged with fixed weights, quantile by quantile (point, p10,
 * p90, and every interval level all members carry). The sd is recomputed from the combined 80%
 * interval (the normal sd with that interval), as for every stockcast forecast. Pure.
 *
 * A member may leave SKUs out (the LSTM leaves out SKUs with too little recent history): the
 * combination forecasts only the SKUs every member forecast, so a FallbackForecaster can route the
 * rest (models/fallback.ts).
 */
import type { SalesData } from '../core/types.js';
import { sdOf80 } from '../core/stats.js';
import type { BaselineName } from './baselines/index.js';
import type { Forecaster, FuturePlan, SeriesForecast } from './forecaster.js';

/** Weighted quantile average of forecasts of one SKU (weights sum to 1). */
export function combineMany(fs: readonly SeriesForecast[], weights: readonly number[], model: string): SeriesForecast {
  const H = fs[0]!.mean.length;
  const f: SeriesForecast = { mean: new Float64Array(H), sd: new Float64Array(H), p10: new Float64Array(H), p90: new Float64Array(H), model };
  const mix = (get: (x: SeriesForecast) => Float64Array, h: number) => fs.reduce((a, x, i) => a + weights[i]! * get(x)[h]!, 0);
  for (let h = 0; h < H; h++) {
    f.mean[h] = mix((x) => x.mean, h);
    f.p10[h] = Math.min(f.mean[h]!, mix((x) => x.p10, h));
    f.p90[h] = Math.max(f.mean[h]!, mix((x) => x.p90, h));
    f.sd[h] = sdOf80(f.p10[h]!, f.p90[h]!);
  }
  const levels = [...(fs[0]!.intervals?.keys() ?? [])].filter((L) => fs.every((x) => x.intervals?.has(L) === true));
  if (levels.length > 0) {
    f.intervals = new Map();
    for (const L of levels) {
      const lo = new Float64Array(H);
      const hi = new Float64Array(H);
      for (let h = 0; h < H; h++) {
        lo[h] = Math.min(f.mean[h]!, mix((x) => x.intervals!.get(L)!.lo, h));
        hi[h] = Math.max(f.mean[h]!, mix((x) => x.intervals!.get(L)!.hi, h));
      }
      f.intervals.set(L, { lo, hi });
    }
  }
  return f;
}

/** Two forecasts, `weight` on the first (the LSTM + promo_regression combination of format 2). */
export function combineForecasts(a: SeriesForecast, b: SeriesForecast, weight: number, model: string): SeriesForecast {
  return combineMany([a, b], [weight, 1 - weight], model);
}

export interface Member {
  forecaster: Forecaster;
  weight: number;
}

/** The name of a combination of named members: `lstm+promo_regression+arimax`. */
export function combinationName(names: readonly string[]): string {
  return names.join('+');
}

export class CombinationForecaster implements Forecaster {
  readonly name: string;

  constructor(private readonly members: readonly Member[]) {
    if (members.length === 0) throw new Error('CombinationForecaster: no members');
    const total = members.reduce((a, m) => a + m.weight, 0);
    if (!(Math.abs(total - 1) < 1e-9)) throw new Error(`CombinationForecaster: weights sum to ${total}, not 1`);
    this.name = combinationName(members.map((m) => m.forecaster.name));
  }

  async fit(history: SalesData): Promise<void> {
    for (const m of this.members) await m.forecaster.fit(history);
  }

  async predict(history: SalesData, origin: number, horizon: number, plan: FuturePlan): Promise<Map<string, SeriesForecast>> {
    const each: Map<string, SeriesForecast>[] = [];
    for (const m of this.members) each.push(await m.forecaster.predict(history, origin, horizon, plan));
    const weights = this.members.map((m) => m.weight);
    const out = new Map<string, SeriesForecast>();
    for (const sku of each[0]!.keys()) {
      const fs = each.map((e) => e.get(sku));
      if (fs.some((f) => f === undefined)) continue;
      out.set(sku, fs.length === 1 ? fs[0]! : combineMany(fs as SeriesForecast[], weights, this.name));
    }
    return out;
  }
}

/**
 * A classical model fitted at predict time on the history it is given (deterministic, so a saved
 * model reproduces it), its forecasts remembered for the same call arguments (the same history
 * object, origin, horizon and plan): a combination and a fallback rule that both use
 * promo_regression at one origin fit it once. `fit` does nothing.
 */
export class RefitForecaster implements Forecaster {
  private last?: { history: SalesData; origin: number; horizon: number; plan: FuturePlan; out: Map<string, SeriesForecast> };

  constructor(
    readonly name: string,
    private readonly make: () => Forecaster,
    /** The registry name when `make` is that baseline with its defaults: then a worker thread can run it (refit-pool.ts). */
    readonly baseline?: BaselineName,
  ) {}

  async fit(): Promise<void> {}

  /** Remember `out` as the forecasts for these arguments (computed elsewhere, e.g. on a worker thread, by the same code). */
  prime(history: SalesData, origin: number, horizon: number, plan: FuturePlan, out: Map<string, SeriesForecast>): void {
    this.last = { history, origin, horizon, plan, out };
  }

  async predict(history: SalesData, origin: number, horizon: number, plan: FuturePlan): Promise<Map<string, SeriesForecast>> {
    const l = this.last;
    if (l !== undefined && l.history === history && l.origin === origin && l.horizon === horizon && l.plan === plan) return l.out;
    const model = this.make();
    await model.fit(history);
    const out = await model.predict(history, origin, horizon, plan);
    this.last = { history, origin, horizon, plan, out };
    return out;
  }
}

/**
 * The inner forecaster's forecasts of the SKUs `covers` names only (the others are left to a
 * fallback): a shipped combination without the LSTM still leaves the SKUs too short for the LSTM
 * to the fallback rule, as `data inspect` reports.
 */
export class OnlySkus implements Forecaster {
  readonly name: string;

  constructor(
    private readonly inner: Forecaster,
    private readonly covers: (history: SalesData, origin: number, plan: FuturePlan) => Set<string>,
  ) {
    this.name = inner.name;
  }

  async fit(history: SalesData): Promise<void> {
    await this.inner.fit(history);
  }

  async predict(history: SalesData, origin: number, horizon: number, plan: FuturePlan): Promise<Map<string, SeriesForecast>> {
    const keep = this.covers(history, origin, plan);
    const out = new Map<string, SeriesForecast>();
    for (const [sku, f] of await this.inner.predict(history, origin, horizon, plan)) if (keep.has(sku)) out.set(sku, f);
    return out;
  }
}
