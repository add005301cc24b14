/** Small dense linear algebra for ridge regressions (p of a few dozen). Pure. */

/** Normal-equation accumulator: X'X (row-major p x p), X'y, y'y and the row count. */
export class Gram {
  readonly xx: Float64Array;
  readonly xy: Float64Array;
  yy = 0;
  n = 0;

  constructor(readonly p: number) {
    this.xx = new Float64Array(p * p);
    this.xy = new Float64Array(p);
  }

  add(x: Float64Array, y: number, w = 1): void {
    const p = this.p;
    for (let i = 0; i < p; i++) {
      const xi = x[i]! * w;
      if (xi === 0) continue;
      this.xy[i] = this.xy[i]! + xi * y;
      const row = i * p;
      for (let j = i; j < p; j++) this.xx[row + j] = this.xx[row + j]! + xi * x[j]!;
    }
    this.yy += w * y * y;
    this.n += w;
  }

  /** Fill the lower triangle from the upper one (call once after the last add). */
  symmetrize(): void {
    const p = this.p;
    for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) this.xx[i * p + j] = this.xx[j * p + i]!;
  }
}

/**
 * Solve (X'X + diag(penalty)) beta = X'y + diag(penalty) prior by Cholesky: ridge shrinking each
 * coefficient towards `prior` (0 penalty = unpenalized). A tiny jitter keeps it positive definite.
 */
export function ridgeSolve(g: Gram, penalty: Float64Array, prior: Float64Array): Float64Array {
  const p = g.p;
  const a = Float64Array.from(g.xx);
  const b = new Float64Array(p);
  let scale = 0;
  for (let i = 0; i < p; i++) scale = Math.max(scale, a[i * p + i]!);
  const jitter = 1e-9 * (scale > 0 ? scale : 1);
  for (let i = 0; i < p; i++) {
    a[i * p + i] = a[i * p + i]! + penalty[i]! + jitter;
    b[i] = g.xy[i]! + penalty[i]! * prior[i]!;
  }
  // In-place Cholesky: a = L L' (lower triangle).
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j]!;
    for (let k = 0; k < j; k++) d -= a[j * p + k]! * a[j * p + k]!;
    if (!(d > 0)) d = jitter;
    const ljj = Math.sqrt(d);
    a[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= a[i * p + k]! * a[j * p + k]!;
      a[i * p + j] = s / ljj;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= a[i * p + k]! * z[k]!;
    z[i] = s / a[i * p + i]!;
  }
  const beta = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= a[k * p + i]! * beta[k]!;
    beta[i] = s / a[i * p + i]!;
  }
  return beta;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
