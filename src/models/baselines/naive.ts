/** `naive`: every step repeats the last observed value (0 when the series has none). */
import type { Freq } from '../../core/types.js';
import type { SeriesForecast } from '../forecaster.js';
import { type Cut, LocalForecaster, lastObservedIndex, observedSd, rollingResiduals, unitForecast } from './local-forecaster.js';

export function naiveRule(y: Float64Array, end: number, out: Float64Array): void {
  const i = lastObservedIndex(y, end);
  out.fill(i < 0 ? Number.NaN : y[i]!);
}

export class NaiveForecaster extends LocalForecaster {
  readonly name = 'naive';

  protected forecastSeries(cut: Cut, horizon: number, _step: number, _freq: Freq): SeriesForecast {
    const mean = new Float64Array(horizon);
    naiveRule(cut.y, cut.y.length, mean);
    const res = rollingResiduals(cut.y, horizon, naiveRule, 1);
    return unitForecast(this.name, mean, res, observedSd(cut.y));
  }
}
