/** Building blocks: generator, samplers, per-day demand model, order quantities, shards. */
import { describe, expect, it } from 'vitest';
import { AUTO_RULE, chooseDistribution, drawPiece, spreadToDays } from '../../../src/simulation/montecarlo/demand.js';
import { DEFAULT_Q_DAYS, eoq, orderQuantity, requiredDays } from '../../../src/simulation/montecarlo/policy.js';
import { cyrb128 } from '../../../src/core/random.js';
import { Rng } from '../../../src/simulation/montecarlo/rng.js';
import { inShard } from '../../../src/simulation/montecarlo/shard.js';
import { normCdf, normInv, normalLoss, quantile } from '../../../src/core/stats.js';
import { expectMean, expectVariance, moments } from '../../helpers/simulation.js';

const N = 100_000;

function draws(f: () => number, n = N): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f();
  return out;
}

describe('generator', () => {
  it('truncNormalSum (the inlined hot loop) equals the same sum over normal() calls, tail draws included', () => {
    const a = Rng.forSku(7, 'x');
    const b = Rng.forSku(7, 'x');
    const n = 20_000;
    const mean = Float64Array.from({ length: n }, (_, t) => (t % 7) * 3);
    const sd = Float64Array.from({ length: n }, (_, t) => 1 + (t % 5));
    let expected = 0;
    let tails = 0;
    for (let t = 0; t < n; t++) {
      const z = b.normal();
      if (Math.abs(z) > 3.4426) tails++;
      expected += Math.max(0, mean[t]! + sd[t]! * z);
    }
    expect(a.truncNormalSum(mean, sd, 0, n)).toBe(expected);
    expect(tails).toBeGreaterThan(0); // the ziggurat's base-strip tail ran
    expect(a.next()).toBe(b.next());
  });

  it('seeds: per (master seed, SKU) and never all-zero', () => {
    expect(cyrb128('a')).toEqual(cyrb128('a'));
    expect(cyrb128('a')).not.toEqual(cyrb128('b'));
    expect(Rng.forSku(1, 'A').next()).not.toBe(Rng.forSku(2, 'A').next());
    expect(new Rng([0, 0, 0, 0]).next()).not.toBe(0);
  });

  it('uniform is in (0,1) with mean 1/2 and variance 1/12', () => {
    const r = Rng.forSku(1, 'u');
    const x = draws(() => r.uniform());
    expect(Math.min(...x)).toBeGreaterThan(0);
    expect(Math.max(...x)).toBeLessThan(1);
    const m = moments(x);
    expectMean(m, 0.5);
    expectVariance(m, 1 / 12);
  });

  it('normal: moments and tail probability P(Z > 1.645) = 0.05', () => {
    const r = Rng.forSku(2, 'n');
    const x = draws(() => r.normal());
    const m = moments(x);
    expectMean(m, 0);
    expectVariance(m, 1);
    const p = x.filter((z) => z > normInv(0.95)).length / N;
    expect(Math.abs(p - 0.05)).toBeLessThan(4 * Math.sqrt((0.05 * 0.95) / N));
  });

  it.each([0.3, 1, 2.5, 40])('gamma(%s): mean = variance = shape', (shape) => {
    const r = Rng.forSku(3, 'g');
    const m = moments(draws(() => r.gamma(shape)));
    expectMean(m, shape);
    expectVariance(m, shape);
  });

  it.each([0.2, 3, 9.9, 10, 45, 700])('poisson(%s): mean = variance = lambda', (lambda) => {
    const r = Rng.forSku(4, 'p');
    const x = draws(() => r.poisson(lambda));
    expect(x.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
    const m = moments(x);
    expectMean(m, lambda);
    expectVariance(m, lambda);
  });

  it('negbin(mean 3, size 1.5): variance mean + mean^2/size = 9', () => {
    const r = Rng.forSku(5, 'nb');
    const m = moments(draws(() => r.negbin(3, 1.5)));
    expectMean(m, 3);
    expectVariance(m, 9);
  });
});

describe('demand pieces', () => {
  // A share w of a day has mean w*m and variance w*s^2 under every distribution.
  it.each([
    ['normal', 100, 20, 1],
    ['normal', 100, 20, 0.3],
    ['gamma', 10, 8, 1],
    ['gamma', 10, 8, 0.4],
    ['negbin', 2, 3, 1],
    ['negbin', 2, 3, 0.25],
  ] as const)('%s m=%s s=%s w=%s', (dist, mu, sd, w) => {
    const r = Rng.forSku(6, dist);
    const x = draws(() => drawPiece(r, dist, mu, sd, w));
    expect(x.every((v) => v >= 0)).toBe(true);
    const m = moments(x);
    expectMean(m, w * mu);
    expectVariance(m, w * sd * sd);
  });

  it('negbin with variance below the mean falls back to Poisson', () => {
    const r = Rng.forSku(6, 'pois');
    const m = moments(draws(() => drawPiece(r, 'negbin', 4, 1, 1)));
    expectMean(m, 4);
    expectVariance(m, 4);
  });

  it('normal is truncated at zero: never negative', () => {
    const r = Rng.forSku(6, 'trunc');
    const x = draws(() => drawPiece(r, 'normal', 1, 5, 1), 10_000);
    expect(Math.min(...x)).toBe(0);
  });
});

describe('per-day demand model', () => {
  it('spreads a week to seven days keeping its mean and variance', () => {
    const d = spreadToDays([700, 140], [70, 0], 7);
    expect(d.mean.length).toBe(14);
    expect(d.mean.slice(0, 7).reduce((a, b) => a + b, 0)).toBeCloseTo(700, 10);
    expect(d.sd.slice(0, 7).reduce((a, b) => a + b * b, 0)).toBeCloseTo(4900, 8);
    expect(Array.from(d.mean.slice(7))).toEqual(new Array(7).fill(20));
    expect(spreadToDays([5], [1], 1)).toEqual({ mean: Float64Array.from([5]), sd: Float64Array.from([1]) });
  });

  const days = (mean: number[], sd: number[]) => ({ mean: Float64Array.from(mean), sd: Float64Array.from(sd) });
  it.each([
    ['fast mover, low spread', days([100, 100, 100, 100], [20, 20, 20, 20]), 'normal'],
    ['fast mover, cv 0.8', days([100, 100, 100, 100], [80, 80, 80, 80]), 'gamma'],
    ['slow mover (< 5/day)', days([3, 3, 3, 3], [1, 1, 1, 1]), 'negbin'],
    ['intermittent (1 zero day in 4)', days([0, 40, 40, 40], [5, 5, 5, 5]), 'negbin'],
    ['zero days only beyond the window', days([40, 40, 40, 40, 0, 0, 0, 0], [5, 5, 5, 5, 5, 5, 5, 5]), 'normal'],
  ] as const)('auto: %s -> %s', (_name, d, expected) => {
    expect(chooseDistribution(d, 4, 'auto')).toBe(expected);
    expect(chooseDistribution(d, 4, 'gamma')).toBe('gamma');
  });

  it('documents its thresholds', () => {
    expect(AUTO_RULE).toEqual({ countBelowDailyMean: 5, countZeroShare: 0.25, gammaAboveCv: 0.5 });
  });
});

describe('policy parameters', () => {
  it('EOQ: K=8, h=0.225, lambda=1300 -> 304.0468, annual cost 68.4105 (stockpyl)', () => {
    const q = eoq(8, 1300, 0.225);
    expect(q).toBeCloseTo(304.0468, 4);
    expect((8 * 1300) / q + (0.225 * q) / 2).toBeCloseTo(68.4105, 4);
  });

  it('order quantity: SKU column, then --order-qty, then EOQ, then 30 days of demand; whole units', () => {
    expect(orderQuantity(10, { skuQty: 55, orderQty: 70, orderCost: 8, holdingCost: 0.225 })).toBe(55);
    expect(orderQuantity(10, { orderQty: 70.2, orderCost: 8, holdingCost: 0.225 })).toBe(71);
    expect(orderQuantity(1300 / 365, { orderCost: 8, holdingCost: 0.225 })).toBe(305);
    expect(orderQuantity(10, { orderCost: 8 })).toBe(DEFAULT_Q_DAYS * 10);
    expect(orderQuantity(0, {})).toBe(1);
  });

  it('required horizon: R + mean lead time, whole days', () => {
    expect(requiredDays({ mean: 9, sd: 0 }, { kind: 'sQ' })).toBe(9);
    expect(requiredDays({ mean: 9.2, sd: 0 }, { kind: 'RS', review: 7 })).toBe(17);
    expect(requiredDays({ mean: 9, sd: 2 }, { kind: 'sQ' })).toBe(9);
    expect(requiredDays({ mean: 6, sd: 1.6, samples: Float64Array.from([4, 6, 8]) }, { kind: 'RS', review: 2 })).toBe(8);
  });
});

describe('stats', () => {
  it('normal functions match published values', () => {
    expect(normInv(0.95)).toBeCloseTo(1.6448536, 6);
    expect(normCdf(1.6448536269514722)).toBeCloseTo(0.95, 12);
    expect(normCdf(-3)).toBeCloseTo(0.0013498980316301, 13);
    expect(normalLoss(0)).toBeCloseTo(0.3989, 4);
    expect(normalLoss(1)).toBeCloseTo(0.0833, 4);
    expect(normalLoss(1.645)).toBeCloseTo(0.0209, 4);
    expect(normalLoss(2)).toBeCloseTo(0.0085, 4);
  });

  it('quantile is the smallest value with at least alpha of the samples at or below it', () => {
    const x = () => Float64Array.from([5, 1, 4, 2, 3, 10, 9, 8, 7, 6]);
    expect(quantile(x(), 0.95)).toBe(10);
    expect(quantile(x(), 0.9)).toBe(9);
    expect(quantile(x(), 0.5)).toBe(5);
    expect(quantile(x(), 0.01)).toBe(1);
  });
});

describe('shards', () => {
  it('are disjoint and cover every SKU', () => {
    const skus = Array.from({ length: 500 }, (_, i) => `SKU-${i}`);
    const n = 3;
    const owners = skus.map((s) => [0, 1, 2].filter((k) => inShard(s, { index: k, count: n })));
    expect(owners.every((o) => o.length === 1)).toBe(true);
    for (let k = 0; k < n; k++) expect(owners.filter((o) => o[0] === k).length).toBeGreaterThan(100);
    expect(skus.every((s) => inShard(s, undefined))).toBe(true);
  });
});

describe('pool', () => {
  it('runs in this thread when the sources are TypeScript, in input order, SKU by SKU', async () => {
    const { simulateAll, workersAvailable } = await import('../../../src/simulation/montecarlo/workers.js');
    const { simulateSku } = await import('../../../src/simulation/montecarlo/engine.js');
    const { config, constantSku } = await import('../../helpers/simulation.js');
    const inputs = ['Z', 'A', 'M'].map((s, i) => constantSku(s, 10 + i, 3, { mean: 5, sd: 1 }));
    const cfg = config({ paths: 300 });
    const seen: number[] = [];
    const run = await simulateAll(inputs, cfg, { workers: 2, onProgress: (done) => seen.push(done) });
    expect(workersAvailable()).toBe(false);
    expect(run.threads).toBe(0);
    expect(run.results.map((r) => r.sku)).toEqual(['Z', 'A', 'M']);
    expect(run.results[2]).toEqual(simulateSku(inputs[2]!, cfg));
    expect(seen.at(-1)).toBe(3);
  });
});
