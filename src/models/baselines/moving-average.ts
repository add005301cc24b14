/**
 * `moving_average`: every step is the mean of the last k observed periods (missing periods are
 * skipped, not counted as zeros). Default k: 4 for weekly data, 28 for daily data.
 */
import type { Freq } from '../../core/types.js';
import type { SeriesForecast } from '../forecaster.js';
import { type Cut, LocalForecaster, observedSd, rollingResiduals, unitForecast } from './local-forecaster.js';

export const DEFAULT_WINDOW: Record<Freq, number> = { W: 4, D: 28 };

export function movingAverageRule(k: number) {
  return (y: Float64Array, end: number, out: Float64Array): void => {
    let sum = 0;
    let n = 0;
    for (let i = Math.min(end, y.length) - 1; i >= 0 && n < k; i--) {
      if (Number.isNaN(y[i]!)) continue;
      sum += y[i]!;
      n++;
    }
    out.fill(n > 0 ? sum / n : Number.NaN);
  };
}

export class MovingAverageForecaster extends LocalForecaster {
  readonly name = 'moving_average';

  /** @param window k; undefined = DEFAULT_WINDOW for the data's frequency. */
  constructor(private readonly window?: number) {
    super();
  }

  protected forecastSeries(cut: Cut, horizon: number, _step: number, freq: Freq): SeriesForecast {
    const rule = movingAverageRule(this.window ?? DEFAULT_WINDOW[freq]);
    const mean = new Float64Array(horizon);
    rule(cut.y, cut.y.length, mean);
    const res = rollingResiduals(cut.y, horizon, rule, 1);
    return unitForecast(this.name, mean, res, observedSd(cut.y));
  }
}
