/**
 * `croston`: the intermittent-demand family in one model, for slow movers with many zero periods.
 * Per SKU the variant and its smoothing constants are chosen by in-sample one-step mean squared
 * error (after the first demand) among
 * - Croston (1972): on a period with demand y > 0, size z += a (y - z) and interval
 *   p += a (q - p), q = periods since the previous demand; forecast z / p;
 * - SBA (Syntetos-Boylan approximation, 2005): Croston times (1 - a / 2), removing its upward bias;
 * - TSB (Teunter, Syntetos, Babai 2011): every period the demand probability pr += b (1{y > 0} - pr),
 *   and on demand z += a (y - z); forecast pr * z (it decays towards 0 for a SKU that stops selling);
 * with a in ALPHAS and b in BETAS. Missing periods (NaN) are skipped: no update, not counted in the
 * interval. The forecast is flat over the horizon; sd, p10 and p90 come from the chosen rule's
 * in-sample residuals at each horizon step (local-forecaster.ts).
 */
import type { Freq } from '../../core/types.js';
import type { SeriesForecast } from '../forecaster.js';
import { type Cut, LocalForecaster, type PointRule, observedSd, rollingResiduals, unitForecast } from './local-forecaster.js';

export type IntermittentMethod = 'croston' | 'sba' | 'tsb';
export const ALPHAS = [0.05, 0.1, 0.2, 0.3];
export const BETAS = [0.05, 0.1, 0.2, 0.3];

export interface IntermittentParams {
  method: IntermittentMethod;
  alpha: number;
  beta: number;
}

/** One-step-ahead forecast of y[end] from y[0..end) under the method (NaN before the first demand). */
export function intermittentLevel(y: ArrayLike<number>, end: number, m: IntermittentParams, steps?: Float64Array): number {
  let z = Number.NaN;
  let p = Number.NaN;
  let pr = Number.NaN;
  let q = 0;
  let seen = 0;
  let demands = 0;
  const forecast = () => {
    if (Number.isNaN(z)) return Number.NaN;
    if (m.method === 'tsb') return pr * z;
    return (m.method === 'sba' ? 1 - m.alpha / 2 : 1) * (z / p);
  };
  for (let t = 0; t < Math.min(end, y.length); t++) {
    if (steps !== undefined) steps[t] = forecast();
    const v = y[t]!;
    if (Number.isNaN(v)) continue;
    seen++;
    q++;
    const started = !Number.isNaN(z);
    if (started && m.method === 'tsb') pr += m.beta * ((v > 0 ? 1 : 0) - pr);
    if (v > 0) {
      demands++;
      if (!started) {
        // Initialise on the first demand: its size, the periods it took, the share so far.
        z = v;
        p = q;
        pr = demands / seen;
      } else {
        z += m.alpha * (v - z);
        p += m.alpha * (q - p);
      }
      q = 0;
    }
  }
  return forecast();
}

export function intermittentRule(m: IntermittentParams): PointRule {
  return (y, end, out) => out.fill(intermittentLevel(y, end, m));
}

function candidates(): IntermittentParams[] {
  const out: IntermittentParams[] = [];
  for (const alpha of ALPHAS) {
    out.push({ method: 'croston', alpha, beta: 0 }, { method: 'sba', alpha, beta: 0 });
    for (const beta of BETAS) out.push({ method: 'tsb', alpha, beta });
  }
  return out;
}
const CANDIDATES = candidates();

/** The variant with the lowest in-sample one-step squared error (ties: the first in CANDIDATES). */
export function chooseIntermittent(y: Float64Array): IntermittentParams {
  let best = CANDIDATES[1]!;
  let bestErr = Number.POSITIVE_INFINITY;
  const steps = new Float64Array(y.length);
  for (const c of CANDIDATES) {
    intermittentLevel(y, y.length, c, steps);
    let sse = 0;
    let n = 0;
    for (let t = 0; t < y.length; t++) {
      if (Number.isNaN(y[t]!) || Number.isNaN(steps[t]!)) continue;
      sse += (y[t]! - steps[t]!) ** 2;
      n++;
    }
    const err = n > 0 ? sse / n : Number.POSITIVE_INFINITY;
    if (err < bestErr - 1e-12) {
      bestErr = err;
      best = c;
    }
  }
  return best;
}

export class CrostonForecaster extends LocalForecaster {
  readonly name = 'croston';

  protected forecastSeries(cut: Cut, horizon: number, _step: number, _freq: Freq): SeriesForecast {
    const params = chooseIntermittent(cut.y);
    const rule = intermittentRule(params);
    const mean = new Float64Array(horizon);
    rule(cut.y, cut.y.length, mean);
    // No demand yet: zeros (as naive does for an empty series).
    if (Number.isNaN(mean[0]!)) mean.fill(0);
    const res = rollingResiduals(cut.y, horizon, rule, 1);
    return unitForecast(this.name, mean, res, observedSd(cut.y));
  }
}
