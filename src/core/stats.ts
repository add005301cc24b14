/** Small numeric helpers: normal distribution functions, the standard normal loss, selection, moments. */

/** Standard normal density. */
export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF (W. J. Cody's erfc rational approximations via Hart/West; |error| < 1e-14). */
export function normCdf(x: number): number {
  const z = Math.abs(x);
  let c: number;
  if (z > 37) c = 0;
  else {
    const e = Math.exp(-0.5 * z * z);
    if (z < 7.07106781186547) {
      let n = 0.0352624965998911 * z + 0.700383064443688;
      n = n * z + 6.37396220353165;
      n = n * z + 33.912866078383;
      n = n * z + 112.079291497871;
      n = n * z + 221.213596169931;
      n = n * z + 220.206867912376;
      let d = 0.0883883476483184 * z + 1.75566716318264;
      d = d * z + 16.064177579207;
      d = d * z + 86.7807322029461;
      d = d * z + 296.564248779674;
      d = d * z + 637.333633378831;
      d = d * z + 793.826512519948;
      d = d * z + 440.413735824752;
      c = (e * n) / d;
    } else {
      const b = z + 1 / (z + 2 / (z + 3 / (z + 4 / (z + 0.65))));
      c = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - c : c;
}

/** Inverse standard normal CDF (Acklam's approximation refined by one Halley step; ~1e-15). */
/** z of the 90% normal quantile, normInv(0.9): p10/p90 = mean -/+ Z90 * sd. */
export const Z90 = 1.2815515655446004;

/** The sd of a normal whose 80% interval is [p10, p90]: what every forecast's `sd` column is. */
export function sdOf80(p10: number, p90: number): number {
  return (p90 - p10) / (2 * Z90);
}

export function normInv(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const e = normCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  return x - u / (1 + (x * u) / 2);
}

/** Standard normal loss G(k) = E[(Z - k)+] = phi(k) - k (1 - Phi(k)). */
export function normalLoss(k: number): number {
  return normPdf(k) - k * (1 - normCdf(k));
}

/** Mean and population standard deviation. */
export function meanSd(x: Float64Array): { mean: number; sd: number } {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    ss += d * d;
  }
  return { mean, sd: Math.sqrt(ss / n) };
}

/**
 * The k-th smallest value (0-based) of `x`, reordering `x` in place (Hoare's quickselect with a
 * median-of-three pivot: O(n) on average, no allocation).
 */
export function select(x: Float64Array, k: number): number {
  let lo = 0;
  let hi = x.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three into x[mid]
    if (x[mid]! < x[lo]!) swap(x, mid, lo);
    if (x[hi]! < x[lo]!) swap(x, hi, lo);
    if (x[hi]! < x[mid]!) swap(x, hi, mid);
    const pivot = x[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (x[i]! < pivot) i++;
      while (x[j]! > pivot) j--;
      if (i <= j) {
        swap(x, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return x[k]!;
  }
  return x[k]!;
}

function swap(x: Float64Array, i: number, j: number): void {
  const t = x[i]!;
  x[i] = x[j]!;
  x[j] = t;
}

/**
 * Empirical alpha-quantile: the smallest sample value v such that at least a share alpha of the
 * samples are <= v (sorted[ceil(alpha n) - 1]). Reorders `x`.
 */
export function quantile(x: Float64Array, alpha: number): number {
  const k = Math.min(x.length - 1, Math.max(0, Math.ceil(alpha * x.length - 1e-9) - 1));
  return select(x, k);
}

/** Equally likely points of the quadrature in momentsFromMedian. */
export const QUADRATURE_POINTS = 200;
let quadratureZ: Float64Array | undefined;

/**
 * The mean and sd of demand implied by a median forecast and a central interval [lo, hi] of
 * demand (z = normInv of its upper quantile: Z90 for p10/p90). log1p(units) is taken as a
 * two-piece normal with median u = log1p(median) and sds (u - log1p(lo)) / z below and
 * (log1p(hi) - u) / z above; its moments in units come from quadrature over QUADRATURE_POINTS
 * equally likely points. Bounds on the wrong side of the median, or below 0, are clamped; a
 * zero-width interval gives the median and sd 0.
 */
export function momentsFromMedian(median: number, lo: number, hi: number, z = Z90): { mean: number; sd: number } {
  const Z = (quadratureZ ??= Float64Array.from({ length: QUADRATURE_POINTS }, (_, i) => normInv((i + 0.5) / QUADRATURE_POINTS)));
  const m = Math.max(0, median);
  const u = Math.log1p(m);
  const sLo = (u - Math.log1p(Math.max(0, Math.min(m, lo)))) / z;
  const sHi = (Math.log1p(Math.max(m, hi)) - u) / z;
  if (!(sLo > 0) && !(sHi > 0)) return { mean: m, sd: 0 };
  let s1 = 0;
  let s2 = 0;
  for (const q of Z) {
    const y = Math.max(0, Math.expm1(u + q * (q < 0 ? sLo : sHi)));
    s1 += y;
    s2 += y * y;
  }
  const mean = s1 / QUADRATURE_POINTS;
  return { mean, sd: Math.sqrt(Math.max(0, s2 / QUADRATURE_POINTS - mean * mean)) };
}
