/**
 * What the model learned about each covariate: its range in the training data, whether it was a
 * 0/1 flag, whether it was always positive (a price). `forecast predict` checks the plan against
 * it: a flag stays 0/1 and a positive covariate stays positive (else exit 2), and values far outside
 * the training range are warned about. Saved in metadata.json (`covariateRanges`); models trained
 * before it are checked against the history given to predict instead. Pure.
 */
import type { SalesData } from './types.js';

export interface CovariateRange {
  name: string;
  min: number;
  max: number;
  /** Every training value was 0 or 1. */
  binary: boolean;
  /** Every training value was above 0 (a price, a distance): 0 or below is not a value it had. */
  positive: boolean;
}

export function covariateRanges(data: SalesData): CovariateRange[] {
  return data.covariates.map((name, k) => {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let binary = true;
    for (const s of data.series) {
      const c = s.covariates[k]!;
      for (let i = 0; i < c.length; i++) {
        const v = c[i]!;
        if (!Number.isFinite(v)) continue;
        if (v < min) min = v;
        if (v > max) max = v;
        if (v !== 0 && v !== 1) binary = false;
      }
    }
    if (min > max) return { name, min: 0, max: 0, binary: true, positive: false };
    return { name, min, max, binary, positive: min > 0 };
  });
}

/** Values beyond the training range by more than its width (at least half its largest magnitude) are "far outside". */
export function farOutside(r: CovariateRange, v: number): boolean {
  const span = Math.max(r.max - r.min, 0.5 * Math.max(Math.abs(r.min), Math.abs(r.max)), 1e-9);
  return v < r.min - span || v > r.max + span;
}

/** Why a plan value cannot be used (exit 2), or undefined. */
export function planValueProblem(r: CovariateRange, v: number): { message: string; expected: string } | undefined {
  if (r.binary && v !== 0 && v !== 1) return { message: `${r.name} was a 0/1 flag in the training data`, expected: '0 or 1' };
  if (r.positive && v <= 0) return { message: `${r.name} was always above 0 in the training data (${r.min} to ${r.max})`, expected: 'a value > 0' };
  return undefined;
}

export function isCovariateRanges(x: unknown): x is CovariateRange[] {
  return (
    Array.isArray(x) &&
    x.every(
      (r) =>
        typeof r === 'object' && r !== null && typeof r.name === 'string' && Number.isFinite(r.min) && Number.isFinite(r.max) &&
        typeof r.binary === 'boolean' && typeof r.positive === 'boolean',
    )
  );
}
