/**
 * Which columns of a wide forecast file belong together: `p10`/`p90` and `lo-80`/`hi-80` bound an
 * interval; `<model>`, `<model>-p10`, `<model>_lo_80` ... belong to one model. Pure.
 */
import type { BandColumns, ModelColumns } from './report-inputs.js';

const QUANTILE = /^p(\d{1,2}(?:\.\d+)?)$/i;
const LOHI = /^(lo|hi)[-_](\d{1,2}(?:\.\d+)?)$/i;
const POINT = /^(forecast|mean|point|yhat)$/i;
const IGNORED = /^(sd|std|model)$/i;

interface Part {
  kind: 'point' | 'q' | 'lo' | 'hi' | 'ignored';
  level: number;
}

/** What a column suffix (or a whole column name) says: a quantile, an interval bound, a point. */
function classify(suffix: string): Part | undefined {
  const q = QUANTILE.exec(suffix);
  if (q) return { kind: 'q', level: Number(q[1]) };
  const lh = LOHI.exec(suffix);
  if (lh) return { kind: lh[1]!.toLowerCase() as 'lo' | 'hi', level: Number(lh[2]) };
  if (POINT.test(suffix)) return { kind: 'point', level: 0 };
  if (IGNORED.test(suffix)) return { kind: 'ignored', level: 0 };
  return undefined;
}

/** Intervals among the quantile and lo/hi columns of one model, widest first. */
export function pairBands(cols: { col: string; part: Part }[]): BandColumns[] {
  const bands: BandColumns[] = [];
  const qs = cols.filter((c) => c.part.kind === 'q');
  for (const lo of qs) {
    if (lo.part.level >= 50) continue;
    const hi = qs.find((c) => Math.abs(c.part.level - (100 - lo.part.level)) < 1e-9);
    if (hi) bands.push({ label: `p${lo.part.level}-p${hi.part.level}`, lo: lo.col, hi: hi.col, coverage: 100 - 2 * lo.part.level });
  }
  for (const lo of cols.filter((c) => c.part.kind === 'lo')) {
    const hi = cols.find((c) => c.part.kind === 'hi' && c.part.level === lo.part.level);
    if (hi) bands.push({ label: `${lo.part.level}%`, lo: lo.col, hi: hi.col, coverage: lo.part.level });
  }
  // p10/p90 and lo-80/hi-80 side by side are one interval: keep the quantile pair.
  bands.sort((a, b) => b.coverage - a.coverage || (a.label.startsWith('p') === b.label.startsWith('p') ? (a.label < b.label ? -1 : 1) : a.label.startsWith('p') ? -1 : 1));
  return bands.filter((b, i) => i === 0 || bands[i - 1]!.coverage !== b.coverage);
}

/** Bands among a forecast file's own columns (`p10`, `p90`, `lo-95`, `hi-95`, `AutoETS-lo-80` ...). */
export function forecastBands(header: readonly string[]): BandColumns[] {
  const parts: { col: string; part: Part }[] = [];
  for (const col of header) {
    const whole = classify(col);
    if (whole && (whole.kind === 'q' || whole.kind === 'lo' || whole.kind === 'hi')) {
      parts.push({ col, part: whole });
      continue;
    }
    const m = /^(.+?)[-_]((?:lo|hi)[-_]\d.*)$/i.exec(col);
    const p = m ? classify(m[2]!) : undefined;
    if (p) parts.push({ col, part: p });
  }
  return pairBands(parts);
}

/**
 * Group the columns of a wide file into models. `skip` are the key columns (sku, date, actual ...).
 * A bare name is a model's point forecast; `<name>-p10`, `<name>_lo_80` its quantiles; a column
 * that holds no numbers is dropped later by the caller.
 */
export function groupModelColumns(header: readonly string[], skip: readonly string[]): ModelColumns[] {
  const byModel = new Map<string, { point?: string; parts: { col: string; part: Part }[] }>();
  const entry = (name: string) => {
    let e = byModel.get(name);
    if (e === undefined) byModel.set(name, (e = { parts: [] }));
    return e;
  };
  for (const col of header) {
    if (skip.includes(col)) continue;
    const m = /^(.+?)[-_.:]((?:lo|hi)[-_]\d+(?:\.\d+)?|p\d{1,2}(?:\.\d+)?|forecast|mean|point|sd|std)$/i.exec(col);
    if (m) {
      const part = classify(m[2]!)!;
      if (part.kind === 'ignored') continue;
      if (part.kind === 'point') entry(m[1]!).point = col;
      else entry(m[1]!).parts.push({ col, part });
      continue;
    }
    const e = entry(col);
    e.point ??= col;
  }
  const models: ModelColumns[] = [];
  for (const [name, e] of byModel) {
    const bands = pairBands(e.parts);
    let point = e.point;
    if (point === undefined) point = e.parts.find((p) => p.part.kind === 'q' && p.part.level === 50)?.col;
    if (point === undefined && bands.length === 0) continue;
    models.push({ name, point, bands });
  }
  return models;
}
