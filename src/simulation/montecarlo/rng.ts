/**
 * Seeded random numbers for the simulation: xoshiro128** (32-bit, four words of state, fast with
 * Math.imul) and the samplers built on it: uniform, normal (Marsaglia-Tsang ziggurat, 128 layers),
 * gamma (Marsaglia-Tsang, from core/random.ts), Poisson (inversion below 10, Hormann's PTRS above) and negative binomial
 * (gamma-Poisson mixture). One generator per SKU, seeded by hashing (cyrb128) the master seed with
 * the SKU id, so a SKU's numbers do not depend on which worker or shard simulates it.
 */

import { cyrb128, gamma } from '../../core/random.js';

const TWO_M32 = 2 ** -32;

// Ziggurat tables (Marsaglia & Tsang 2000, "The Ziggurat Method for Generating Random Variables").
const KN = new Float64Array(128);
const WN = new Float64Array(128);
const FN = new Float64Array(128);
const ZIG_R = 3.442619855899;
{
  const m1 = 2147483648.0;
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  KN[0] = (dn / q) * m1;
  KN[1] = 0;
  WN[0] = q / m1;
  WN[127] = dn / m1;
  FN[0] = 1;
  FN[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = (dn / tn) * m1;
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
}

// log(k!) for small k, Stirling's series above.
const LOG_FACT = new Float64Array(256);
for (let k = 1; k < 256; k++) LOG_FACT[k] = LOG_FACT[k - 1]! + Math.log(k);

export function logFactorial(k: number): number {
  if (k < 256) return LOG_FACT[k]!;
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

export class Rng {
  /** xoshiro128** state; an Int32Array so that V8 keeps every load an int32 in the hot loops. */
  private readonly st = new Int32Array(4);
  private readonly uniformSource = () => this.uniform();
  private readonly normalSource = () => this.normal();

  constructor(seed: readonly [number, number, number, number]) {
    this.st[0] = seed[0] | 0;
    this.st[1] = seed[1] | 0;
    this.st[2] = seed[2] | 0;
    this.st[3] = seed[3] | 0;
    if ((seed[0] | seed[1] | seed[2] | seed[3]) === 0) this.st[0] = 1;
    for (let i = 0; i < 8; i++) this.next();
  }

  /** The generator of one SKU: master seed and SKU id hashed together. */
  static forSku(masterSeed: number, sku: string): Rng {
    return new Rng(cyrb128(`stockcast/${masterSeed}/${sku}`));
  }

  /** Next 32 random bits as a signed int32 (xoshiro128**). */
  next(): number {
    const b = this.st[1]!;
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9);
    const t = b << 9;
    this.st[2] ^= this.st[0];
    this.st[3] ^= b;
    this.st[1] = b ^ this.st[2]!;
    this.st[0] ^= this.st[3];
    this.st[2] ^= t;
    this.st[3] = rotl(this.st[3]!, 11);
    return r;
  }

  /** Uniform on the open interval (0, 1). */
  uniform(): number {
    return ((this.next() >>> 0) + 0.5) * TWO_M32;
  }

  /** Integer uniform in [0, n). */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (ziggurat). */
  normal(): number {
    const hz = this.next();
    const iz = hz & 127;
    if (Math.abs(hz) < KN[iz]!) return hz * WN[iz]!;
    return this.normalTail(hz, iz);
  }

  /**
   * Sum over days t in [from, to) of max(0, mean[t] + sd[t] * Z_t), Z_t standard normal drawn as
   * by normal(): the whole-day demand of one path, with the generator inlined (the hot loop).
   */
  truncNormalSum(mean: Float64Array, sd: Float64Array, from: number, to: number): number {
    let a = this.st[0];
    let b = this.st[1];
    let c = this.st[2];
    let d = this.st[3];
    let sum = 0;
    let t = from;
    for (;;) {
      // The inner loop has no calls: the rare ziggurat rejection (about 1.2% of draws) leaves it,
      // is handled below, and the loop resumes (a call inside the loop slows V8's code ~2x).
      let hz = 0;
      let iz = 0;
      for (; t < to; t++) {
        const b5 = Math.imul(b, 5);
        hz = Math.imul((b5 << 7) | (b5 >>> 25), 9);
        const tmp = b << 9;
        c ^= a;
        d ^= b;
        b ^= c;
        a ^= d;
        c ^= tmp;
        d = (d << 11) | (d >>> 21);
        iz = hz & 127;
        if (!(Math.abs(hz) < KN[iz]!)) break;
        const x = mean[t]! + sd[t]! * (hz * WN[iz]!);
        if (x > 0) sum += x;
      }
      if (t >= to) break;
      this.st[0] = a;
      this.st[1] = b;
      this.st[2] = c;
      this.st[3] = d;
      const x = mean[t]! + sd[t]! * this.normalTail(hz, iz);
      if (x > 0) sum += x;
      t++;
      a = this.st[0];
      b = this.st[1];
      c = this.st[2];
      d = this.st[3];
    }
    this.st[0] = a;
    this.st[1] = b;
    this.st[2] = c;
    this.st[3] = d;
    return sum;
  }

  private normalTail(hzIn: number, izIn: number): number {
    let hz = hzIn;
    let iz = izIn;
    for (;;) {
      const x = hz * WN[iz]!;
      if (iz === 0) {
        let xt: number;
        let y: number;
        do {
          xt = -Math.log(this.uniform()) / ZIG_R;
          y = -Math.log(this.uniform());
        } while (y + y < xt * xt);
        return hz > 0 ? ZIG_R + xt : -ZIG_R - xt;
      }
      if (FN[iz]! + this.uniform() * (FN[iz - 1]! - FN[iz]!) < Math.exp(-0.5 * x * x)) return x;
      hz = this.next();
      iz = hz & 127;
      if (Math.abs(hz) < KN[iz]!) return hz * WN[iz]!;
    }
  }

  /** Gamma with the given shape and scale 1 (core/random.ts, on this generator's uniform and normal); 0 when shape is 0. */
  gamma(shape: number): number {
    return gamma(shape, this.uniformSource, this.normalSource);
  }

  /** Poisson with mean lambda. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 10) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.uniform();
      while (p > limit) {
        k++;
        p *= this.uniform();
      }
      return k;
    }
    // PTRS: Hormann (1993), "The transformed rejection method for generating Poisson random variables".
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
    }
  }

  /** Negative binomial as a gamma-Poisson mixture: mean `mean`, size `r` (variance mean + mean^2/r). */
  negbin(mean: number, r: number): number {
    if (mean <= 0) return 0;
    return this.poisson(this.gamma(r) * (mean / r));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
