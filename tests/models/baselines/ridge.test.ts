/** models/baselines/_ridge.ts: the normal-equation accumulator and the ridge solve by Cholesky. */
import { describe, expect, it } from 'vitest';
import { Gram, dot, ridgeSolve } from '../../../src/models/baselines/_ridge.js';

const f64 = (...xs: number[]) => Float64Array.from(xs);

function gramOf(rows: number[][], ys: number[], weights?: number[]): Gram {
  const g = new Gram(rows[0]!.length);
  rows.forEach((x, i) => g.add(f64(...x), ys[i]!, weights?.[i]));
  g.symmetrize();
  return g;
}

describe('Gram', () => {
  it("accumulates X'X (both triangles after symmetrize), X'y, y'y and the weighted count", () => {
    const g = gramOf([[1, 2], [1, 3]], [5, 7], [1, 2]);
    expect([...g.xx]).toEqual([3, 8, 8, 22]);
    expect([...g.xy]).toEqual([19, 52]);
    expect(g.yy).toBe(25 + 2 * 49);
    expect(g.n).toBe(3);
  });
});

describe('ridgeSolve', () => {
  it('without a penalty recovers exact least squares (y = 2 + 3x)', () => {
    const xs = [0, 1, 2, 3, 4];
    const g = gramOf(xs.map((x) => [1, x]), xs.map((x) => 2 + 3 * x));
    const beta = ridgeSolve(g, f64(0, 0), f64(0, 0));
    expect(beta[0]).toBeCloseTo(2, 6);
    expect(beta[1]).toBeCloseTo(3, 6);
  });

  it('a penalty shrinks towards the prior; a huge one returns the prior', () => {
    const xs = [0, 1, 2, 3];
    const g = gramOf(xs.map((x) => [x]), xs.map((x) => 3 * x));
    const free = ridgeSolve(g, f64(0), f64(0))[0]!;
    const shrunk = ridgeSolve(g, f64(14), f64(0))[0]!;
    // One column: beta = (x'y + penalty * prior) / (x'x + penalty) = 42 / (14 + 14).
    expect(shrunk).toBeCloseTo(1.5, 6);
    expect(shrunk).toBeLessThan(free);
    expect(ridgeSolve(g, f64(1e12), f64(5))[0]).toBeCloseTo(5, 3);
  });

  it('a singular design (a duplicated column) still gives a finite solution that fits', () => {
    const xs = [1, 2, 3];
    const g = gramOf(xs.map((x) => [x, x]), xs.map((x) => 4 * x));
    const beta = ridgeSolve(g, f64(0, 0), f64(0, 0));
    expect(beta.every(Number.isFinite)).toBe(true);
    expect(beta[0]! + beta[1]!).toBeCloseTo(4, 3);
  });

  it('dot', () => {
    expect(dot(f64(1, 2, 3), f64(4, 5, 6))).toBe(32);
  });
});
