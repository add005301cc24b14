/** Shared helpers of the simulation tests: in-memory SKUs and moment checks with tolerances from the standard error. */
import { expect } from 'vitest';
import type { SimConfig, SkuInput } from '../../src/simulation/montecarlo/engine.js';
import type { LeadTime } from '../../src/core/types.js';

/** A SKU with constant daily demand over `days` days. */
export function constantSku(sku: string, mu: number, sigma: number, lead: LeadTime, days = 60, orderQty?: number): SkuInput {
  return { sku, demand: { mean: new Float64Array(days).fill(mu), sd: new Float64Array(days).fill(sigma) }, lead, orderQty };
}

export function config(over: Partial<SimConfig> = {}): SimConfig {
  return { paths: 10_000, seed: 42, serviceLevel: 0.95, serviceType: 'cycle', policy: { kind: 'sQ' }, demandDist: 'normal', ...over };
}

export interface Moments {
  n: number;
  mean: number;
  variance: number;
  /** Fourth central moment. */
  m4: number;
}

export function moments(x: ArrayLike<number>): Moments {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const mean = s / n;
  let v = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i]! - mean) ** 2;
    v += d;
    m4 += d * d;
  }
  return { n, mean, variance: v / n, m4: m4 / n };
}

/** Sample mean within `k` standard errors (sd/sqrt(n)) of `mu`. */
export function expectMean(m: Moments, mu: number, k = 4): void {
  const se = Math.sqrt(m.variance / m.n);
  expect(Math.abs(m.mean - mu), `mean ${m.mean} vs ${mu} (SE ${se})`).toBeLessThanOrEqual(k * se + 1e-12);
}

/** Sample variance within `k` standard errors (sqrt((m4 - var^2)/n)) of `v`. */
export function expectVariance(m: Moments, v: number, k = 4): void {
  const se = Math.sqrt(Math.max(0, m.m4 - m.variance * m.variance) / m.n);
  expect(Math.abs(m.variance - v), `variance ${m.variance} vs ${v} (SE ${se})`).toBeLessThanOrEqual(k * se + 1e-12);
}
