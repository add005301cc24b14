/** Small pure helpers to build and query SalesData in memory (tests, generators, models). */
import { parseDay } from './core/calendar.js';
import { FREQ_STEP_DAYS, type Freq, type SalesData, type Series } from './core/types.js';

export interface SeriesInput {
  sku: string;
  /** First period as YYYY-MM-DD or day number. */
  start: string | number;
  /** NaN = missing period. */
  units: ArrayLike<number>;
  /** One array per covariate, same length as units. */
  covariates?: ArrayLike<number>[];
}

export function makeSalesData(freq: Freq, covariates: string[], series: SeriesInput[]): SalesData {
  const built: Series[] = series.map((s) => {
    const units = Float64Array.from(s.units);
    const cov = covariates.map((_, k) => {
      const src = s.covariates?.[k];
      if (src !== undefined && src.length !== units.length) throw new Error(`covariate ${covariates[k]} of ${s.sku}: length ${src.length} != ${units.length}`);
      return src === undefined ? new Float64Array(units.length) : Float64Array.from(src);
    });
    const observed = new Uint8Array(units.length);
    for (let i = 0; i < units.length; i++) observed[i] = Number.isNaN(units[i]!) ? 0 : 1;
    return { sku: s.sku, start: typeof s.start === 'number' ? s.start : parseDay(s.start), units, covariates: cov, observed };
  });
  built.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  return { freq, step: FREQ_STEP_DAYS[freq], covariates: [...covariates], series: built };
}

/** Day number of the last period of a series. */
export function lastDay(s: Series, step: number): number {
  return s.start + (s.units.length - 1) * step;
}

/** How many of a series' periods fall on or before day `origin` (0 when it starts after it). */
export function periodsUpTo(s: Series, origin: number, step: number): number {
  return Math.max(0, Math.min(s.units.length, Math.floor((origin - s.start) / step) + 1));
}

/** Last period over all series (the forecast origin). */
export function dataEnd(data: SalesData): number {
  let end = Number.NEGATIVE_INFINITY;
  for (const s of data.series) end = Math.max(end, lastDay(s, data.step));
  return end;
}
