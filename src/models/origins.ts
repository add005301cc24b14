/**
 * Where each SKU's forecast starts. The common origin is the last period of the bulk of the SKUs,
 * not of the single latest row: a SKU whose last date lies far past the others' (a `9999-12-31`
 * sentinel, a 2052 typo) is forecast from its own last period instead and reported, so one bad row
 * never moves the forecasts of every SKU. Every SKU's forecast starts after its own last period:
 * a SKU that ends before the common origin is treated as missing up to it. Pure.
 */
import { lastDay } from '../sales-data.js';
import type { SalesData } from '../core/types.js';

/** A SKU whose last period is more than this many days after the median SKU's is "far past". */
export const FAR_PAST_DAYS = 28;

export interface Origins {
  /** Origin of every SKU that is not far past the others (NaN without series). */
  common: number;
  /** The forecast origin (last history period) of every SKU. */
  originOf: Map<string, number>;
  /** SKUs far past the others, latest first. */
  late: { sku: string; last: number }[];
  /** The median SKU's last period. */
  median: number;
}

export function forecastOrigins(data: SalesData): Origins {
  const ends = data.series.map((s) => ({ sku: s.sku, last: lastDay(s, data.step) }));
  const sorted = ends.map((e) => e.last).sort((a, b) => a - b);
  const median = sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
  const late = ends.filter((e) => e.last > median + FAR_PAST_DAYS).sort((a, b) => b.last - a.last || (a.sku < b.sku ? -1 : 1));
  const lateSet = new Set(late.map((e) => e.sku));
  let common = Number.NEGATIVE_INFINITY;
  for (const e of ends) if (!lateSet.has(e.sku)) common = Math.max(common, e.last);
  if (!Number.isFinite(common)) common = Number.NaN;
  const originOf = new Map(ends.map((e) => [e.sku, lateSet.has(e.sku) ? e.last : common]));
  return { common, originOf, late, median };
}

/** Series grouped by forecast origin (ascending), each group a SalesData of its own. */
export function groupByOrigin(data: SalesData, origins: Origins): { origin: number; data: SalesData }[] {
  const groups = new Map<number, SalesData['series']>();
  for (const s of data.series) {
    const o = origins.originOf.get(s.sku)!;
    let list = groups.get(o);
    if (list === undefined) groups.set(o, (list = []));
    list.push(s);
  }
  return [...groups].sort((a, b) => a[0] - b[0]).map(([origin, series]) => ({ origin, data: { ...data, series } }));
}

/** SKUs whose rows go past `today` (day number): how many, their periods after today, the latest date. */
export function periodsAfter(data: SalesData, today: number): { skus: number; periods: number; latest: number; examples: string[] } {
  let skus = 0;
  let periods = 0;
  let latest = Number.NEGATIVE_INFINITY;
  const examples: string[] = [];
  for (const s of data.series) {
    const last = lastDay(s, data.step);
    if (last <= today) continue;
    skus++;
    const first = Math.max(0, Math.floor((today - s.start) / data.step) + 1);
    for (let i = first; i < s.units.length; i++) if (s.observed[i] === 1) periods++;
    latest = Math.max(latest, last);
    if (examples.length < 5) examples.push(s.sku);
  }
  return { skus, periods, latest, examples };
}
