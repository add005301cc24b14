/**
 * The trained LSTM ensemble as a Forecaster of the SKUs it can forecast (pure: the networks are
 * injected). It leaves out SKUs with fewer than `minObserved` observed periods in its input window
 * (a FallbackForecaster forecasts those) and SKUs whose history ends before the origin.
 *
 * p50 is the point forecast (or the implied mean), p10/p90 the network's quantiles with the
 * per-step `zFactors` applied to their spread in the scaled space (format 2 models; format 3 keeps
 * them at 1 and calibrates out of sample, models/conformal.ts); sd = (p90 - p10) / 2.563.
 */
import type { SalesData } from '../core/types.js';
import { Z90, sdOf80 } from '../core/stats.js';
import { effectsFor } from './effects.js';
import { type FeatureSpec, type PreparedSeries, observedIn, prepareSeries } from './features.js';
import type { Forecaster, FuturePlan, SeriesForecast } from './forecaster.js';
import type { TrainedNetwork } from './lstm/contract.js';
import type { PointForecast } from './lstm-settings.js';
import { type SkuStats, fromScaled, skuStats } from './scaling.js';
import { WindowSet } from './windows.js';

export const QUANTILES = [0.1, 0.5, 0.9];
const PREDICT_BATCH = 1024;

export interface LstmNetworksOptions {
  minObserved: number;
  /** Per horizon step: factor on the quantile spread in scaled space. */
  zFactors: readonly number[];
  point: PointForecast;
}

export class LstmNetworks implements Forecaster {
  readonly name = 'lstm';

  constructor(
    readonly networks: readonly TrainedNetwork[],
    readonly spec: FeatureSpec,
    private readonly stats: ReadonlyMap<string, SkuStats>,
    private readonly options: LstmNetworksOptions,
  ) {}

  /** Trained elsewhere (models/lstm-forecaster.ts). */
  async fit(): Promise<void> {}

  /** Network output for windows, averaged over the members: n * horizon * 3 (p10, p50, p90 of z). */
  async predictZ(source: WindowSet): Promise<Float32Array> {
    const H = source.spec.horizon;
    const out = new Float32Array(source.size * H * QUANTILES.length);
    for (let from = 0; from < source.size; from += PREDICT_BATCH) {
      const idx = Array.from({ length: Math.min(PREDICT_BATCH, source.size - from) }, (_, i) => from + i);
      const inputs = source.inputs(idx);
      // Ensemble: the members' quantiles are averaged (in z).
      const q = new Float32Array(idx.length * H * QUANTILES.length);
      for (const net of this.networks) {
        const y = await net.predict(inputs);
        for (let j = 0; j < q.length; j++) q[j] = q[j]! + y[j]! / this.networks.length;
      }
      for (let b = 0; b < idx.length; b++) {
        const a = source.anchor(idx[b]!);
        for (let j = b * H * 3; j < (b + 1) * H * 3; j++) q[j] = q[j]! + a;
      }
      out.set(q, from * H * QUANTILES.length);
    }
    // Quantile crossing would give negative spreads: sort each step's three values.
    for (let i = 0; i < out.length; i += 3) {
      const a = [out[i]!, out[i + 1]!, out[i + 2]!].sort((x, y) => x - y);
      out.set(a, i);
    }
    return out;
  }

  /** Window b, step h of the z quantiles -> unit quantiles and sd, the spread scaled by `factor`. */
  static toUnits(z: Float32Array, b: number, h: number, H: number, scale: number, factor: number) {
    const i = (b * H + h) * 3;
    const mid = z[i + 1]!;
    const lo = mid - factor * (mid - z[i]!);
    const hi = mid + factor * (z[i + 2]! - mid);
    const p50 = Math.max(0, fromScaled(mid, scale));
    const p10 = Math.min(p50, Math.max(0, fromScaled(lo, scale)));
    const p90 = Math.max(p50, fromScaled(hi, scale));
    // Mean of units if z were normal with this median and 80% interval (log-normal mean).
    const s = (hi - lo) / (2 * Z90);
    const mean = Math.min(p90, Math.max(p10, fromScaled(mid + (s * s) / 2, scale)));
    return { p10, p50, p90, mean, sd: sdOf80(p10, p90) };
  }

  /** The SKUs of `history` this forecaster forecasts from `origin` (the others go to a fallback). */
  covers(history: SalesData, origin: number, plan: FuturePlan = new Map()): Set<string> {
    return new Set(this.prepare(history, origin, plan).map((p) => p.sku));
  }

  private prepare(history: SalesData, origin: number, plan: FuturePlan): PreparedSeries[] {
    const spec = this.spec;
    const prepared: PreparedSeries[] = [];
    for (const s of history.series) {
      const oi = Math.floor((origin - s.start) / spec.step);
      if (oi < 0) continue;
      const stats = this.stats.get(s.sku) ?? this.unseenStats(s, Math.max(0, Math.min(s.units.length, oi + 1)));
      const p = prepareSeries(spec, s, stats, oi + 1, spec.horizon, plan.get(s.sku));
      if (observedIn(p, oi - spec.window + 1, oi + 1) >= this.options.minObserved) prepared.push(p);
    }
    return prepared;
  }

  async predict(history: SalesData, origin: number, horizon: number, plan: FuturePlan): Promise<Map<string, SeriesForecast>> {
    const spec = this.spec;
    const prepared = this.prepare(history, origin, plan);
    const out = new Map<string, SeriesForecast>();
    if (prepared.length === 0) return out;
    const windows = new Int32Array(prepared.length * 2);
    prepared.forEach((p, i) => {
      windows[2 * i] = i;
      windows[2 * i + 1] = Math.floor((origin - p.start) / spec.step);
    });
    const source = new WindowSet(spec, prepared, windows);
    const z = await this.predictZ(source);
    prepared.forEach((p, b) => {
      const scale = source.scaleOf(b);
      const f: SeriesForecast = { mean: new Float64Array(horizon), sd: new Float64Array(horizon), p10: new Float64Array(horizon), p90: new Float64Array(horizon), model: this.name };
      for (let h = 0; h < horizon; h++) {
        const q = LstmNetworks.toUnits(z, b, h, spec.horizon, scale, this.options.zFactors[h]!);
        f.mean[h] = this.options.point === 'mean' ? q.mean : q.p50;
        f.sd[h] = q.sd;
        f.p10[h] = q.p10;
        f.p90[h] = q.p90;
      }
      out.set(p.sku, f);
    });
    return out;
  }

  /** Scale, usual prices and effects of a SKU that was not in the training data. */
  private unseenStats(s: SalesData['series'][number], end: number): SkuStats {
    const spec = this.spec;
    const stats = skuStats(s, spec.covariates, spec.step, end);
    stats.effects = effectsFor(s.units, s.covariates, spec.covariates, stats, spec.step, end, spec.globalEffects);
    return stats;
  }
}
