/**
 * Windows over prepared series: the `WindowSource` handed to the network engine (pure).
 * A window is (series, origin): the history is the `window` periods ending at `origin` (left-padded
 * with unobserved zeros when the series is shorter), the targets the `horizon` periods after it.
 * Missing targets are masked out of the loss, never taught as zeros; observed ones carry the window's
 * loss weight in the mask (the engine's loss is sum(mask * pinball) / sum(mask)).
 */
import type { Batch, Inputs, WindowSource } from './lstm/contract.js';
import { type FeatureSpec, type PreparedSeries, scalesAtOrigin, staticInputs } from './features.js';
import { observedShape, seriesScale, toScaled } from './scaling.js';

/** What one window sees of its series' units: the scale, z of a period (observed ones only), the anchor. */
export interface WindowLevel {
  scale: number;
  z: (i: number) => number;
  anchor: number;
}

export class WindowSet implements WindowSource {
  readonly size: number;

  /** `windows` holds pairs (series index, origin index). */
  constructor(
    readonly spec: FeatureSpec,
    readonly series: PreparedSeries[],
    readonly windows: Int32Array,
  ) {
    this.size = windows.length / 2;
  }

  batch(indices: ArrayLike<number>): Batch {
    const n = indices.length;
    const { horizon } = this.spec;
    // One level per window, shared by its inputs and its targets.
    const levels = Array.from(indices, (w) => this.level(w));
    const inputs = this.inputsAt(indices, levels);
    const target = new Float32Array(n * horizon);
    const mask = new Float32Array(n * horizon);
    for (let b = 0; b < n; b++) {
      const w = indices[b]!;
      const p = this.series[this.windows[2 * w]!]!;
      const o = this.windows[2 * w + 1]!;
      const { scale, z, anchor: a } = levels[b]!;
      const weight = this.weight(scale, a);
      for (let h = 0; h < horizon; h++) {
        const t = o + 1 + h;
        if (t < p.length && p.obs[t] === 1) {
          target[b * horizon + h] = z(t) - a;
          mask[b * horizon + h] = weight;
        }
      }
    }
    return { ...inputs, target, mask };
  }

  /**
   * The window's anchor: mean z over the observed history periods of the window (0 when none).
   * Every z the network sees (history, seasonal lags, targets) is relative to it, so the network
   * learns shapes and effects, not levels; forecasts add it back.
   */
  anchor(w: number): number {
    return this.level(w).anchor;
  }

  /** The scale that turns the window's z back into units. */
  scaleOf(w: number): number {
    return this.level(w).scale;
  }

  /**
   * The window's scale (version 2: the mean non-zero units of the season up to its origin, as
   * skuStats computes it at a forecast origin; version 1: the SKU's), z and anchor.
   */
  level(w: number): WindowLevel {
    const p = this.series[this.windows[2 * w]!]!;
    const o = this.windows[2 * w + 1]!;
    let scale = p.scale;
    let z = (i: number) => p.z[i]!;
    if (scalesAtOrigin(this.spec)) {
      const s = seriesScale(p.units, this.spec.season, o + 1);
      scale = s;
      z = (i: number) => toScaled(p.units[i]!, s);
    }
    let sum = 0;
    let n = 0;
    for (let i = Math.max(0, o - this.spec.window + 1); i <= o; i++) {
      if (p.obs[i] === 1) {
        sum += z(i);
        n++;
      }
    }
    return { scale, z, anchor: n > 0 ? sum / n : 0 };
  }

  /** Static inputs of a window other than its anchor: in version 2, from the periods up to its origin. */
  private staticsOf(p: PreparedSeries, o: number, scale: number): ArrayLike<number> {
    if (!scalesAtOrigin(this.spec)) return p.statics;
    const { observed, zeroShare } = observedShape(p.units, o + 1);
    return staticInputs(this.spec, scale, observed, zeroShare);
  }

  /** Loss weight of a window (the mask holds it: 0 = missing target, > 0 = weight). */
  weight(scale: number, anchor: number): number {
    const { weightPower: pw, weightReference: ref } = this.spec;
    if (pw === 0) return 1;
    const level = scale * Math.expm1(Math.max(0, anchor));
    return Math.min(5, Math.max(0.05, (level / ref) ** pw));
  }

  /** Network inputs only (prediction windows have no targets). */
  inputs(indices: ArrayLike<number>): Inputs {
    return this.inputsAt(indices, Array.from(indices, (w) => this.level(w)));
  }

  /** The inputs of windows whose levels are already known (levels[b] of window indices[b]). */
  private inputsAt(indices: ArrayLike<number>, levels: readonly WindowLevel[]): Inputs {
    const n = indices.length;
    const { window, horizon, pastFeatures: pf, futureFeatures: ff, staticFeatures: sf, calendar: nc, season } = this.spec;
    const nk = this.spec.covariates.length;
    const past = new Float32Array(n * window * pf);
    const future = new Float32Array(n * horizon * ff);
    const statics = new Float32Array(n * sf);
    const near = this.spec.step === 7 ? 1 : 7;
    const relative = this.spec.covariates.flatMap((c, k) => (c.kind === 'numeric' ? [k] : []));
    const center = new Float64Array(nk);
    const neutral = this.spec.covariates.map((c) => c.neutral === true);
    for (let b = 0; b < n; b++) {
      const w = indices[b]!;
      const p = this.series[this.windows[2 * w]!]!;
      const o = this.windows[2 * w + 1]!;
      const { scale, z, anchor: a } = levels[b]!;
      const own = this.staticsOf(p, o, scale);
      statics.set(own, b * sf);
      statics[b * sf + own.length] = a;
      const known = (i: number) => i >= 0 && i <= o && p.obs[i] === 1;
      // Generic numeric covariates enter relative to their mean over the history window.
      center.fill(0);
      const first = Math.max(0, o - window + 1);
      for (const k of relative) {
        let sum = 0;
        for (let i = first; i <= o; i++) sum += p.cov[i * nk + k]!;
        center[k] = sum / Math.max(1, o - first + 1);
      }
      for (let s = 0; s < window; s++) {
        const i = o - window + 1 + s;
        if (i < 0) continue;
        let j = (b * window + s) * pf;
        past[j++] = p.obs[i] === 1 ? z(i) - a : 0;
        past[j++] = p.obs[i]!;
        if (known(i - season)) {
          past[j] = z(i - season) - a;
          past[j + 1] = 1;
        }
        past[j + 2] = p.eff[i]!;
        j += 3;
        for (let k = 0; k < nk; k++) past[j++] = neutral[k] ? 0 : p.cov[i * nk + k]! - center[k]!;
        for (let k = 0; k < nc; k++) past[j++] = p.cal[i * nc + k]!;
      }
      for (let h = 0; h < horizon; h++) {
        const t = o + 1 + h;
        let j = (b * horizon + h) * ff;
        if (t < p.length) {
          for (let k = 0; k < nk; k++) future[j + k] = neutral[k] ? 0 : p.cov[t * nk + k]! - center[k]!;
          for (let k = 0; k < nc; k++) future[j + nk + k] = p.cal[t * nc + k]!;
        }
        j += nk + nc;
        const lag = t - season;
        if (known(lag)) {
          future[j] = z(lag) - a;
          future[j + 1] = 1;
        }
        let sum = 0;
        let cnt = 0;
        for (let i = lag - near; i <= lag + near; i += near) {
          if (known(i)) {
            sum += z(i);
            cnt++;
          }
        }
        future[j + 2] = cnt > 0 ? sum / cnt - a : 0;
        future[j + 3] = (h + 1) / horizon;
        if (t < p.length) future[j + 4] = p.eff[t]!;
      }
    }
    return { n, past, future, statics };
  }
}

/** Prefix counts of observed periods: count in [a, b) = c[b] - c[a]. */
function prefixObserved(p: PreparedSeries): Int32Array {
  const c = new Int32Array(p.length + 1);
  for (let i = 0; i < p.length; i++) c[i + 1] = c[i]! + p.obs[i]!;
  return c;
}

export interface WindowRange {
  /** Per series: first and last allowed target period index (inclusive), from a time split. */
  firstTarget: (p: PreparedSeries) => number;
  lastTarget: (p: PreparedSeries) => number;
  /** Minimum observed periods in the history window. */
  minPast: number;
}

/**
 * Every window whose targets all lie in [firstTarget, lastTarget] of its series, with at least
 * `minPast` observed history periods and at least one observed target.
 */
export function enumerateWindows(spec: FeatureSpec, series: PreparedSeries[], range: WindowRange): Int32Array {
  const out: number[] = [];
  const { window, horizon } = spec;
  series.forEach((p, si) => {
    const c = prefixObserved(p);
    const count = (a: number, b: number) => c[Math.min(p.length, Math.max(0, b))]! - c[Math.min(p.length, Math.max(0, a))]!;
    const first = Math.max(0, range.firstTarget(p));
    const last = Math.min(p.length - 1, range.lastTarget(p));
    for (let o = first - 1; o + horizon <= last; o++) {
      if (o < 0) continue;
      if (count(o - window + 1, o + 1) < range.minPast) continue;
      if (count(o + 1, o + 1 + horizon) === 0) continue;
      out.push(si, o);
    }
  });
  return Int32Array.from(out);
}
