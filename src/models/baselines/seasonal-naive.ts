/**
 * `seasonal_naive`: step h repeats the value one season earlier (52 weeks = 364 days for weekly
 * data, 7 days for daily), going back whole seasons for h > season; where that period is missing
 * or before the series, the last observed value (naive).
 */
import { seasonPeriods } from '../../core/calendar.js';
import type { Freq } from '../../core/types.js';
import type { SeriesForecast } from '../forecaster.js';
import { type Cut, LocalForecaster, MIN_RESIDUALS, lastObservedIndex, observedSd, rollingResiduals, unitForecast } from './local-forecaster.js';

export function seasonalNaiveRule(season: number) {
  return (y: Float64Array, end: number, out: Float64Array): void => {
    const last = lastObservedIndex(y, end);
    const naive = last < 0 ? Number.NaN : y[last]!;
    for (let h = 1; h <= out.length; h++) {
      const j = end - 1 + h - season * Math.ceil(h / season);
      const v = j >= 0 ? y[j]! : Number.NaN;
      out[h - 1] = Number.isNaN(v) ? naive : v;
    }
  };
}

export class SeasonalNaiveForecaster extends LocalForecaster {
  readonly name = 'seasonal_naive';

  protected forecastSeries(cut: Cut, horizon: number, _step: number, freq: Freq): SeriesForecast {
    const season = seasonPeriods(freq);
    const rule = seasonalNaiveRule(season);
    const mean = new Float64Array(horizon);
    rule(cut.y, cut.y.length, mean);
    // Residuals from origins with a full season behind them, when the series is long enough.
    const res = rollingResiduals(cut.y, horizon, rule, cut.y.length > season + MIN_RESIDUALS ? season : 1);
    return unitForecast(this.name, mean, res, observedSd(cut.y));
  }
}
