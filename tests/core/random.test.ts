/**
 * core/random.ts: the hashes and samplers every seeded output rests on. The pinned values are
 * those of the copies this module replaced (simulation/backtest-rng.ts, models/lstm/rng.ts,
 * simulation/rng.ts before the layering step), so a change to any of them shows here first.
 */
import { describe, expect, it } from 'vitest';
import { basisSeed, cyrb128, fmix32, fnv1a, gamma, keyedSeed, mulberry32, normal, normalPairs } from '../../src/core/random.js';

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) };
}

describe('hashes', () => {
  it('keep the values of the copies they replaced', () => {
    expect(keyedSeed(42, 'SKU-001')).toBe(771847642);
    expect(keyedSeed(7, 'replan\u000014')).toBe(917878271);
    expect(basisSeed(3, 'init')).toBe(960417308);
    expect(basisSeed(2 ** 33 + 5, 'epoch 1')).toBe(3688692536);
    expect(fnv1a('SKU-001')).toBe(2831658724);
    expect(cyrb128('stockcast/42/SKU-001')).toEqual([403052257, 1763064237, -1180598662, -770170494]);
  });

  it('keyedSeed is fmix32 of FNV-1a over "seed NUL key"; the two seed hashes differ', () => {
    expect(keyedSeed(5, 'a')).toBe(fmix32(fnv1a('5\u0000a')));
    expect(keyedSeed(5, 'a')).not.toBe(basisSeed(5, 'a'));
    expect(fnv1a('abc', 1)).not.toBe(fnv1a('abc'));
  });
});

describe('samplers', () => {
  it('gamma on the backtest stream (1 - mulberry32, Box-Muller) keeps its draws', () => {
    const draws = (shape: number) => {
      const rand = mulberry32(1);
      return [0, 1, 2].map(() => gamma(shape, () => 1 - rand(), () => normal(rand)));
    };
    expect(draws(0.5)).toEqual([0.00123370830645533, 0.05440707324206402, 0.709081722780216]);
    expect(draws(4)).toEqual([7.066729157792401, 11.901606453964305, 3.205299903030278]);
  });

  it('normalPairs gives the cosine, then the sine of each pair (the LSTM initialiser)', () => {
    const n = normalPairs(mulberry32(9));
    expect([n(), n(), n()]).toEqual([0.3953545967716887, -0.5355433338823019, 0.24067822195178704]);
    expect(normal(mulberry32(9))).toBe(0.3953545967716887);
  });

  it('gamma(k) has mean k and variance k within 4 standard errors; 0 for shape 0', () => {
    const rand = mulberry32(11);
    const n = 20000;
    for (const k of [0.3, 1, 6.5]) {
      const { mean, variance } = moments(Array.from({ length: n }, () => gamma(k, () => 1 - rand(), () => normal(rand))));
      expect(Math.abs(mean - k)).toBeLessThan(4 * Math.sqrt(k / n));
      expect(Math.abs(variance - k) / k).toBeLessThan(0.1);
    }
    expect(gamma(0, rand, () => 0)).toBe(0);
  });

  it('normal(mean, sd) scales the standard normal', () => {
    const rand = mulberry32(4);
    const { mean, variance } = moments(Array.from({ length: 20000 }, () => normal(rand, 10, 3)));
    expect(Math.abs(mean - 10)).toBeLessThan(4 * (3 / Math.sqrt(20000)));
    expect(Math.abs(Math.sqrt(variance) - 3)).toBeLessThan(0.1);
  });
});
