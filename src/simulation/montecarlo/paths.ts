/**
 * Simulated demand paths of one SKU: for every path, demand over the lead time (D_L) and over the
 * protection interval (D_P = demand over lead time + review period; D_P = D_L under (s,Q)).
 *
 * Time is continuous: a path with lead time 9.4 days takes 9 whole days and 0.4 of day 10, each
 * piece drawn independently (see demand.ts), so mean and variance of lead-time demand are exactly
 * mu*E[L] and E[L]*sigma^2 + mu^2*Var(L) in the stationary case. Days past the end of the forecast
 * reuse the last day (the command refuses that unless asked, see requiredDays).
 */
import { type DailyDemand, type DemandDist, drawPiece } from './demand.js';
import type { Rng } from './rng.js';

export interface PathBuffers {
  /** Lead time of each path (days). */
  lead: Float64Array;
  /** Demand over the lead time. */
  dL: Float64Array;
  /** Demand over the protection interval (lead time + review period). */
  dP: Float64Array;
  /** Day of the forecast each path's protection interval starts on (absent: day 0). */
  offsets?: Int32Array;
}

/** End of the piece of [0, end) starting at `pos`: the next whole day, the lead time, or the end. */
function nextCut(pos: number, lead: number, end: number): number {
  let next = Math.floor(pos) + 1;
  if (pos < lead && lead < next) next = lead;
  if (end < next) next = end;
  return next;
}

/** Fill `bufs.dL` and `bufs.dP` for lead times already in `bufs.lead`. Returns daily draws made. */
export function simulatePaths(rng: Rng, demand: DailyDemand, dist: DemandDist, review: number, bufs: PathBuffers): number {
  return dist === 'normal' ? normalPaths(rng, demand, review, bufs) : genericPaths(rng, demand, dist, review, bufs);
}

/** The daily arrays extended to `days` days by repeating the last day (no clamping in the hot loop). */
function extend(demand: DailyDemand, days: number): DailyDemand {
  const n = demand.mean.length;
  if (days <= n) return demand;
  const mean = new Float64Array(days);
  const sd = new Float64Array(days);
  mean.set(demand.mean);
  sd.set(demand.sd);
  mean.fill(demand.mean[n - 1]!, n);
  sd.fill(demand.sd[n - 1]!, n);
  return { mean, sd };
}

function normalPaths(rng: Rng, demand: DailyDemand, review: number, bufs: PathBuffers): number {
  const { lead, dL, dP, offsets } = bufs;
  let longest = 0;
  for (let p = 0; p < lead.length; p++) longest = Math.max(longest, lead[p]! + (offsets?.[p] ?? 0));
  const { mean: m, sd: s } = extend(demand, Math.ceil(longest + review) + 1);
  const piece = (day: number, w: number): number => {
    const x = w * m[day]! + Math.sqrt(w) * s[day]! * rng.normal();
    return x > 0 ? x : 0;
  };
  let draws = 0;
  if (!Number.isInteger(review)) {
    for (let p = 0; p < lead.length; p++) draws += piecewise(lead[p]!, review, bufs, p, (day, w) => (w === 1 ? rng.truncNormalSum(m, s, day, day + 1) : piece(day, w)));
    return draws;
  }
  for (let p = 0; p < lead.length; p++) {
    const len = lead[p]!;
    const o = offsets === undefined ? 0 : offsets[p]!;
    // Whole days in one call (the hot loop, generator inlined in truncNormalSum); a fractional lead
    // time adds a part of day `full`, and the review period then starts with the rest of that day.
    const full = Math.floor(len);
    const frac = len - full;
    let sumL = rng.truncNormalSum(m, s, o, o + full);
    draws += full;
    if (frac > 0) {
      sumL += piece(o + full, frac);
      draws++;
    }
    let sumR = 0;
    if (review > 0) {
      if (frac > 0) {
        sumR = piece(o + full, 1 - frac) + rng.truncNormalSum(m, s, o + full + 1, o + full + review) + piece(o + full + review, frac);
        draws += review + 1;
      } else {
        sumR = rng.truncNormalSum(m, s, o + full, o + full + review);
        draws += review;
      }
    }
    dL[p] = sumL;
    dP[p] = sumL + sumR;
  }
  return draws;
}

/** Path `p` cut into pieces at whole days and at the lead time (any review period); returns the pieces drawn. */
function piecewise(len: number, review: number, bufs: PathBuffers, p: number, draw: (day: number, w: number) => number): number {
  const end = len + review;
  const o = bufs.offsets === undefined ? 0 : bufs.offsets[p]!;
  let sumL = 0;
  let sumR = 0;
  let n = 0;
  for (let pos = 0; pos < end; ) {
    const next = nextCut(pos, len, end);
    const x = draw(o + Math.floor(pos), next - pos);
    if (next <= len) sumL += x;
    else sumR += x;
    pos = next;
    n++;
  }
  bufs.dL[p] = sumL;
  bufs.dP[p] = sumL + sumR;
  return n;
}

function genericPaths(rng: Rng, demand: DailyDemand, dist: DemandDist, review: number, bufs: PathBuffers): number {
  const m = demand.mean;
  const s = demand.sd;
  const last = m.length - 1;
  let draws = 0;
  for (let p = 0; p < bufs.lead.length; p++) {
    draws += piecewise(bufs.lead[p]!, review, bufs, p, (day, w) => {
      const k = day < last ? day : last;
      return drawPiece(rng, dist, m[k]!, s[k]!, w);
    });
  }
  return draws;
}
