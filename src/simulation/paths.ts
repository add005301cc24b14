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
}

const NORMAL_BLOCK = 4096;

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

function normalPaths(rng: Rng, demand: DailyDemand, review: number, bufs: PathBuffers): number {
  const { lead, dL, dP } = bufs;
  const m = demand.mean;
  const s = demand.sd;
  const last = m.length - 1;
  const z = new Float64Array(NORMAL_BLOCK);
  let zi = NORMAL_BLOCK;
  let draws = 0;
  for (let p = 0; p < lead.length; p++) {
    const len = lead[p]!;
    const end = len + review;
    let sumL = 0;
    let sumR = 0;
    if (Number.isInteger(len) && Number.isInteger(review)) {
      // Whole days only: the hot loop.
      for (let t = 0; t < end; t++) {
        if (zi === NORMAL_BLOCK) {
          rng.fillNormal(z);
          zi = 0;
        }
        const k = t < last ? t : last;
        let x = m[k]! + s[k]! * z[zi++]!;
        if (x < 0) x = 0;
        if (t < len) sumL += x;
        else sumR += x;
      }
      draws += end;
    } else {
      for (let pos = 0; pos < end; ) {
        const next = nextCut(pos, len, end);
        const w = next - pos;
        if (zi === NORMAL_BLOCK) {
          rng.fillNormal(z);
          zi = 0;
        }
        const day = Math.floor(pos);
        const k = day < last ? day : last;
        let x = w * m[k]! + Math.sqrt(w) * s[k]! * z[zi++]!;
        if (x < 0) x = 0;
        if (next <= len) sumL += x;
        else sumR += x;
        pos = next;
        draws++;
      }
    }
    dL[p] = sumL;
    dP[p] = sumL + sumR;
  }
  return draws;
}

function genericPaths(rng: Rng, demand: DailyDemand, dist: DemandDist, review: number, bufs: PathBuffers): number {
  const { lead, dL, dP } = bufs;
  const m = demand.mean;
  const s = demand.sd;
  const last = m.length - 1;
  let draws = 0;
  for (let p = 0; p < lead.length; p++) {
    const len = lead[p]!;
    const end = len + review;
    let sumL = 0;
    let sumR = 0;
    for (let pos = 0; pos < end; ) {
      const next = nextCut(pos, len, end);
      const day = Math.floor(pos);
      const k = day < last ? day : last;
      const x = drawPiece(rng, dist, m[k]!, s[k]!, next - pos);
      if (next <= len) sumL += x;
      else sumR += x;
      pos = next;
      draws++;
    }
    dL[p] = sumL;
    dP[p] = sumL + sumR;
  }
  return draws;
}
