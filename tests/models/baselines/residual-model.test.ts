/** models/baselines/_residual-model.ts: which error model carries the current deviation forward. */
import { describe, expect, it } from 'vitest';
import { fitResidualModel } from '../../../src/models/baselines/_residual-model.js';
import { mulberry32 } from '../../../src/core/random.js';

describe('fitResidualModel', () => {
  it('residuals that flip sign: none (phi clamps to 0, and a tie keeps none)', () => {
    const rand = mulberry32(3);
    const r = Float64Array.from({ length: 200 }, (_, t) => (t % 2 === 0 ? 1 : -1) * (0.5 + rand()));
    const fit = fitResidualModel(r, 4, true);
    expect(fit.kind).toBe('none');
    expect([...fit.correction]).toEqual([0, 0, 0, 0]);
    expect(fit.errors).toHaveLength(4);
  });

  it('white noise: whatever wins corrects little', () => {
    const rand = mulberry32(3);
    const r = Float64Array.from({ length: 200 }, () => rand() - 0.5);
    for (const c of fitResidualModel(r, 4, true).correction) expect(Math.abs(c)).toBeLessThan(0.1);
  });

  it('a level shift: the local level, its correction persisting over the horizon', () => {
    const rand = mulberry32(5);
    const r = Float64Array.from({ length: 200 }, (_, t) => (t < 100 ? 0 : 10) + 0.3 * (rand() - 0.5));
    const fit = fitResidualModel(r, 3, true);
    expect(fit.kind).toBe('level');
    expect(fit.correction[0]).toBeGreaterThan(8);
    expect(fit.correction[2]).toBe(fit.correction[0]);
  });

  it('a deviation that fades: AR(1), the correction decaying as phi^h', () => {
    const rand = mulberry32(9);
    const r = new Float64Array(300);
    for (let t = 1; t < r.length; t++) r[t] = 0.7 * r[t - 1]! + (rand() - 0.5);
    r[r.length - 1] = 4;
    const fit = fitResidualModel(r, 3, true);
    expect(fit.kind).toBe('ar1');
    expect(fit.param).toBeGreaterThan(0.5);
    expect(fit.param).toBeLessThanOrEqual(0.95);
    expect(fit.correction[1]! / fit.correction[0]!).toBeCloseTo(fit.param, 10);
  });

  it('disabled: always none; missing residuals are skipped', () => {
    const r = Float64Array.from({ length: 50 }, (_, t) => (t % 7 === 0 ? Number.NaN : t < 25 ? 0 : 5));
    expect(fitResidualModel(r, 2, false).kind).toBe('none');
    const fit = fitResidualModel(r, 2, true);
    expect(fit.correction.every(Number.isFinite)).toBe(true);
    expect(fit.errors.flat().every(Number.isFinite)).toBe(true);
  });
});
