/**
 * No forecast claims certainty it has no evidence for. A SKU with few observed periods (1 or 2
 * rows: a moving average of one value has sd 0) would otherwise get sd 0, hence safety stock 0 and
 * a claimed 100% service level. For every model alike, after it forecast: a SKU with fewer than
 * MIN_SPREAD_EVIDENCE observed periods up to its origin gets, per horizon step, at least the pooled
 * spread of the well-observed SKUs (their median sd/forecast ratio at that step, times its own
 * forecast), and at least a Poisson spread (sqrt of its forecast); p10/p90 widen to match. Pure.
 */
import { Z90 } from '../core/stats.js';
import type { SeriesForecast } from './forecaster.js';
import type { SalesData } from '../core/types.js';
import { periodsUpTo } from '../sales-data.js';

/** Observed periods from which a SKU's own spread is trusted. */
export const MIN_SPREAD_EVIDENCE = 10;
/** sd / forecast used when no SKU has enough history to pool from. */
export const DEFAULT_CV = 1;

export interface SpreadGuardResult {
  /** SKUs whose spread was raised. */
  widened: string[];
  /** SKUs with too little history, widened or not. */
  thin: number;
  /** Whether the pooled ratio came from other SKUs (else DEFAULT_CV). */
  pooled: boolean;
}

function observedUpTo(s: SalesData['series'][number], origin: number, step: number): number {
  const end = periodsUpTo(s, origin, step);
  let n = 0;
  for (let i = 0; i < end; i++) if (s.observed[i] === 1 && !Number.isNaN(s.units[i]!)) n++;
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function guardSpread(forecasts: Map<string, SeriesForecast>, history: SalesData, originOf: (sku: string) => number): SpreadGuardResult {
  const thin: SeriesForecast[] = [];
  const thinSkus: string[] = [];
  const ratios: number[][] = [];
  for (const s of history.series) {
    const f = forecasts.get(s.sku);
    if (f === undefined) continue;
    if (observedUpTo(s, originOf(s.sku), history.step) < MIN_SPREAD_EVIDENCE) {
      thin.push(f);
      thinSkus.push(s.sku);
      continue;
    }
    for (let h = 0; h < f.mean.length; h++) {
      const m = f.mean[h]!;
      const sd = f.sd[h]!;
      if (m > 0 && Number.isFinite(sd)) (ratios[h] ??= []).push(sd / m);
    }
  }
  const widened: string[] = [];
  const pooled = ratios.some((r) => r !== undefined && r.length > 0);
  thin.forEach((f, i) => {
    let changed = false;
    for (let h = 0; h < f.mean.length; h++) {
      const m = f.mean[h]!;
      if (!(m > 0)) continue;
      const r = ratios[h];
      const cv = r !== undefined && r.length > 0 ? median(r) : DEFAULT_CV;
      const floor = Math.max(cv * m, Math.sqrt(m));
      if (!(f.sd[h]! < floor)) continue;
      f.sd[h] = floor;
      f.p10[h] = Math.min(f.p10[h]!, Math.max(0, m - Z90 * floor));
      f.p90[h] = Math.max(f.p90[h]!, m + Z90 * floor);
      changed = true;
    }
    if (changed) widened.push(thinSkus[i]!);
  });
  return { widened, thin: thin.length, pooled };
}
