/**
 * The sample files as CSV text: sales history, promotion plan, lead times and inventory. Pure:
 * `generateSamples(cfg)` returns the file contents; scripts/generate-samples.ts writes them.
 */
import { formatDay } from '../../src/core/calendar.js';
import { INVENTORY_CONTRACT } from '../../src/core/contracts/inventory.js';
import { LEAD_TIME_CONTRACT } from '../../src/core/contracts/lead-times.js';
import { makeRng } from './random.js';
import { DEFAULT_CONFIG, generateTimelines, type SampleConfig, type SkuTimeline } from './sales.js';

export interface SampleFiles {
  'sales.csv': string;
  'promo_plan.csv': string;
  'lead_times.csv': string;
  'inventory.csv': string;
}

const money = (x: number) => x.toFixed(2);

/** Rows by date, then SKU (as a daily ERP export would list them). */
function byDate(timelines: SkuTimeline[], from: number, to: number, row: (tl: SkuTimeline, i: number, date: string) => string): string[] {
  const lines: string[] = [];
  for (let day = from; day <= to; day++) {
    const date = formatDay(day);
    for (const tl of timelines) {
      const i = day - tl.start;
      if (i >= 0 && i < tl.price.length) lines.push(row(tl, i, date));
    }
  }
  return lines;
}

export function salesCsv(timelines: SkuTimeline[]): string {
  const from = Math.min(...timelines.map((t) => t.start));
  const to = Math.max(...timelines.map((t) => t.start + t.units.length - 1));
  const rows = byDate(timelines, from, to, (tl, i, date) =>
    i < tl.units.length ? `${date},${tl.profile.sku},${tl.units[i]},${money(tl.price[i]!)},${tl.promo[i]},${tl.holiday[i]}` : '',
  ).filter((l) => l !== '');
  return `date,sku,units,price,promo,holiday\n${rows.join('\n')}\n`;
}

export function promoPlanCsv(timelines: SkuTimeline[], cfg: SampleConfig): string {
  const last = Math.max(...timelines.map((t) => t.start + t.units.length - 1));
  const rows = byDate(timelines, last + 1, last + cfg.planDays, (tl, i, date) => `${date},${tl.profile.sku},${money(tl.price[i]!)},${tl.promo[i]},${tl.holiday[i]}`);
  return `date,sku,price,promo,holiday\n${rows.join('\n')}\n`;
}

/** Mean daily units over the last 8 weeks of history. */
function recentDemand(tl: SkuTimeline): number {
  const n = tl.units.length;
  const from = Math.max(0, n - 56);
  let s = 0;
  for (let i = from; i < n; i++) s += tl.units[i]!;
  return s / (n - from);
}

/** One row per SKU (mean, sd); every 8th SKU from the 3rd instead lists 8-12 observed lead times. */
export function leadTimesCsv(timelines: SkuTimeline[], cfg: SampleConfig): string {
  // The lead-time contract's columns without order_qty (the samples use --order-qty or the default Q).
  const lines = [LEAD_TIME_CONTRACT.names.filter((n) => n !== 'order_qty').join(',')];
  timelines.forEach((tl, k) => {
    const rng = makeRng(`${cfg.seed}:lead:${tl.profile.sku}`);
    const mean = Math.round(rng.uniform(3, 21) * 2) / 2;
    const sd = Math.round(mean * rng.uniform(0.1, 0.35) * 10) / 10;
    if (k % 8 === 2 && tl.profile.kind !== 'new') {
      const count = rng.int(8, 12);
      for (let j = 0; j < count; j++) lines.push(`${tl.profile.sku},${Math.max(1, Math.round(rng.normal(mean, sd * 1.5)))},`);
    } else lines.push(`${tl.profile.sku},${mean},${sd}`);
  });
  return `${lines.join('\n')}\n`;
}

/** On hand a few days to a month of demand; constraints (moq, pack size, max) for some SKUs. */
export function inventoryCsv(timelines: SkuTimeline[], cfg: SampleConfig): string {
  const lines = [INVENTORY_CONTRACT.names.join(',')];
  timelines.forEach((tl, k) => {
    const rng = makeRng(`${cfg.seed}:inventory:${tl.profile.sku}`);
    const d = Math.max(0.1, recentDemand(tl));
    const short = k % 17 === 5; // a few SKUs out of stock with backorders
    const onHand = short ? 0 : Math.round(d * rng.uniform(4, 30));
    const onOrder = rng.next() < 0.4 ? Math.round(d * rng.uniform(7, 21)) : 0;
    const backorders = short ? Math.max(1, Math.round(d * rng.uniform(1, 3))) : 0;
    const moq = k % 4 === 1 ? Math.max(10, Math.round((d * 7) / 10) * 10) : '';
    const pack = k % 3 === 0 ? rng.pick([6, 12, 24]) : '';
    const max = k % 10 === 4 ? Math.max(50, Math.round((d * 60) / 10) * 10) : '';
    lines.push(`${tl.profile.sku},${onHand},${onOrder},${backorders},${moq},${pack},${max}`);
  });
  return `${lines.join('\n')}\n`;
}

export function generateSamples(cfg: SampleConfig = DEFAULT_CONFIG): SampleFiles {
  const timelines = generateTimelines(cfg);
  return {
    'sales.csv': salesCsv(timelines),
    'promo_plan.csv': promoPlanCsv(timelines, cfg),
    'lead_times.csv': leadTimesCsv(timelines, cfg),
    'inventory.csv': inventoryCsv(timelines, cfg),
  };
}
