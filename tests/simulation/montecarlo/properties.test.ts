/** Invariants of the simulated policy over random SKUs (fast-check; small path counts to stay fast). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillRateAt, simulateDemand, simulateSku } from '../../../src/simulation/montecarlo/engine.js';
import type { Policy } from '../../../src/simulation/montecarlo/policy.js';
import { config, constantSku } from '../../helpers/simulation.js';

const sku = fc.record({
  mu: fc.double({ min: 0.5, max: 500, noNaN: true }),
  cv: fc.double({ min: 0, max: 1.5, noNaN: true }),
  lead: fc.double({ min: 1, max: 20, noNaN: true }),
  leadCv: fc.constantFrom(0, 0.2),
  review: fc.constantFrom(0, 7),
  dist: fc.constantFrom('normal' as const, 'gamma' as const, 'negbin' as const),
  seed: fc.nat(1000),
});

function build(s: fc.Value<typeof sku>) {
  const policy: Policy = s.review > 0 ? { kind: 'RS', review: s.review } : { kind: 'sQ' };
  const input = constantSku('P', s.mu, s.mu * s.cv, { mean: s.lead, sd: s.lead * s.leadCv }, 40);
  return { policy, input };
}

describe('policy invariants', () => {
  it('cycle target: the reorder point meets the target, is monotone in it, order_up_to >= reorder_point', () => {
    fc.assert(
      fc.property(sku, fc.double({ min: 0.5, max: 0.99, noNaN: true }), fc.double({ min: 0.5, max: 0.99, noNaN: true }), (s, a1, a2) => {
        const { policy, input } = build(s);
        const [lo, hi] = a1 <= a2 ? [a1, a2] : [a2, a1];
        const base = config({ paths: 400, seed: s.seed, policy, demandDist: s.dist });
        const rLo = simulateSku(input, { ...base, serviceLevel: lo });
        const rHi = simulateSku(input, { ...base, serviceLevel: hi });
        // Same seed = same paths, so a higher target can only raise the quantile.
        expect(rHi.reorderPoint).toBeGreaterThanOrEqual(rLo.reorderPoint);
        expect(rHi.safetyStock).toBeGreaterThanOrEqual(rLo.safetyStock);
        for (const r of [rLo, rHi]) {
          // 1e-9: alpha*n is rounded to forgive floating-point dust (0.95 * 10000 = 9500.000000000002).
          expect(r.cycleServiceLevel).toBeGreaterThanOrEqual(r.serviceLevelTarget - 1e-9);
          expect(r.orderUpTo).toBeGreaterThanOrEqual(r.reorderPoint);
          expect(r.fillRate).toBeGreaterThanOrEqual(0);
          expect(r.fillRate).toBeLessThanOrEqual(1);
          expect(Number.isInteger(r.reorderPoint) && Number.isInteger(r.safetyStock) && Number.isInteger(r.orderUpTo)).toBe(true);
          expect(r.reorderPoint).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('fill target: the smallest whole reorder point whose fill rate reaches it', () => {
    fc.assert(
      fc.property(sku, fc.double({ min: 0.5, max: 0.995, noNaN: true }), (s, beta) => {
        const { policy, input } = build(s);
        const cfg = config({ paths: 400, seed: s.seed, policy, demandDist: s.dist, serviceType: 'fill', serviceLevel: beta });
        const r = simulateSku(input, cfg);
        expect(r.fillRate).toBeGreaterThanOrEqual(beta);
        // One unit less misses the target (same paths), unless it is already 0 (never negative).
        expect(r.reorderPoint).toBeGreaterThanOrEqual(0);
        const p = simulateDemand(input, cfg);
        const dP = policy.kind === 'RS' ? p.dP : p.dL;
        // Up to float rounding: the engine and fillRateAt sum the same paths in another order, so a
        // fill rate within 1e-9 of the target is a tie either way (fast-check found 0.5 + 9e-15).
        if (r.reorderPoint > 0) expect(fillRateAt(policy, p.dL, dP, r.reorderPoint - 1, r.orderQty ?? 0)).toBeLessThan(beta + 1e-9);
      }),
      { numRuns: 40 },
    );
  });

  it('symmetric demand (normal, fixed lead time, service >= 60%): safety stock >= 0', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 5, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0.6, max: 0.99, noNaN: true }),
        fc.nat(1000),
        (mu, cv, lead, alpha, seed) => {
          const r = simulateSku(constantSku('S', mu, mu * cv, { mean: lead, sd: 0 }, 30), config({ paths: 1000, seed, serviceLevel: alpha }));
          expect(r.safetyStock).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('more spread, more safety stock (same seed, scaled normal demand)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.2, noNaN: true }), fc.nat(1000), (cv, seed) => {
        const cfg = config({ paths: 1000, seed, serviceLevel: 0.95 });
        const a = simulateSku(constantSku('S', 100, 100 * cv, { mean: 9, sd: 0 }, 30), cfg);
        const b = simulateSku(constantSku('S', 100, 200 * cv, { mean: 9, sd: 0 }, 30), cfg);
        expect(b.reorderLevel - 900).toBeGreaterThanOrEqual(a.reorderLevel - 900);
      }),
      { numRuns: 30 },
    );
  });
});
