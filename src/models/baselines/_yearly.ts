/**
 * A smooth yearly profile for daily series with more than a year of history: low-order Fourier
 * terms of the day of year fitted to log1p(units) by least squares, turned into multiplicative
 * factors (geometric mean 1). Models with a weekly season (ets) divide the history by them and
 * multiply the forecast back. Pure.
 */
import { Gram, ridgeSolve } from './_ridge.js';

/** Fourier pairs of the yearly profile. */
export const YEARLY_PAIRS = 3;
/** Days of history needed before a yearly profile is tried. */
export const YEARLY_MIN_DAYS = 400;

const YEAR = 365.25;

function terms(day: number, out: Float64Array): void {
  out[0] = 1;
  for (let k = 1; k <= YEARLY_PAIRS; k++) {
    const a = (2 * Math.PI * k * day) / YEAR;
    out[2 * k - 1] = Math.sin(a);
    out[2 * k] = Math.cos(a);
  }
}

/**
 * Yearly factors for the history (index i = day start + i * step) and the `horizon` periods after
 * it; undefined when the series spans less than YEARLY_MIN_DAYS of observations.
 */
export function yearlyFactors(y: Float64Array, start: number, step: number, horizon: number): { hist: Float64Array; future: Float64Array } | undefined {
  let first = -1;
  let last = -1;
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i]!)) continue;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0 || (last - first) * step < YEARLY_MIN_DAYS) return undefined;
  const p = 1 + 2 * YEARLY_PAIRS;
  const g = new Gram(p);
  const x = new Float64Array(p);
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i]!)) continue;
    terms(start + i * step, x);
    g.add(x, Math.log1p(Math.max(0, y[i]!)));
  }
  g.symmetrize();
  const penalty = new Float64Array(p).fill(1);
  penalty[0] = 0;
  const beta = ridgeSolve(g, penalty, new Float64Array(p));
  const factor = (day: number): number => {
    terms(day, x);
    let s = 0;
    for (let j = 1; j < p; j++) s += beta[j]! * x[j]!;
    return Math.exp(s);
  };
  return {
    hist: Float64Array.from({ length: y.length }, (_, i) => factor(start + i * step)),
    future: Float64Array.from({ length: horizon }, (_, h) => factor(start + (y.length + h) * step)),
  };
}
