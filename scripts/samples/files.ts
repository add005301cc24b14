/**
 * The sample files as CSV text: sales history, promotion plan, lead times and inventory, each
 * written with its contract's header and row mapper (src/core/contracts/). Pure:
 * `generateSamples(cfg)` returns the file contents; scripts/generate-samples.ts writes them.
 */
import type { Cell, Contract } from '../../src/core/contracts/table.js';
import { INVENTORY_CONTRACT } from '../../src/core/contracts/inventory.js';
import { LEAD_TIME_CONTRACT, type LeadTimeFileRow } from '../../src/core/contracts/lead-times.js';
import { planContract } from '../../src/core/contracts/plan.js';
import { salesContract } from '../../src/core/contracts/sales.js';
import { makeRng } from './random.js';
import { DEFAULT_CONFIG, generateTimelines, type SampleConfig, type SkuTimeline } from './sales.js';

export interface SampleFiles {
  'sales.csv': string;
  'promo_plan.csv': string;
  'lead_times.csv': string;
  'inventory.csv': string;
}

/** The covariates of the samples, in column order. */
const COVARIATES = ['price', 'promo', 'holiday'] as const;
const SALES = salesContract(COVARIATES);
const PLAN = planContract(COVARIATES);
/** Columns written with fixed decimals: a price has two, as an ERP exports it ("4.90"). */
const FIXED_DECIMALS: Readonly<Record<string, number>> = { price: 2 };

/**
 * A file as text: the header of `names` (the contract's columns by default), then one line per
 * record, its cells as the contract's row mapper gives them: numbers as they are (or with
 * `FIXED_DECIMALS`), an empty cell (null) as nothing.
 */
function csv<R>(contract: Contract<R>, records: readonly R[], names: readonly string[] = contract.names): string {
  const at = names.map((n) => contract.names.indexOf(n));
  const text = (c: Cell, name: string): string => {
    if (c === null || c === undefined) return '';
    const decimals = FIXED_DECIMALS[name];
    return decimals !== undefined && typeof c === 'number' ? c.toFixed(decimals) : String(c);
  };
  const lines = records.map((r) => {
    const cells = contract.row(r);
    return at.map((j, k) => text(cells[j], names[k]!)).join(',');
  });
  return `${[names.join(','), ...lines].join('\n')}\n`;
}

/** Indices into the timelines by date, then SKU (as a daily ERP export would list them). */
function byDate<T>(timelines: SkuTimeline[], from: number, to: number, length: (tl: SkuTimeline) => number, row: (tl: SkuTimeline, i: number, day: number) => T): T[] {
  const rows: T[] = [];
  for (let day = from; day <= to; day++) {
    for (const tl of timelines) {
      const i = day - tl.start;
      if (i >= 0 && i < length(tl)) rows.push(row(tl, i, day));
    }
  }
  return rows;
}

const covariatesAt = (tl: SkuTimeline, i: number): number[] => [tl.price[i]!, tl.promo[i]!, tl.holiday[i]!];

export function salesCsv(timelines: SkuTimeline[]): string {
  const from = Math.min(...timelines.map((t) => t.start));
  const to = Math.max(...timelines.map((t) => t.start + t.units.length - 1));
  const rows = byDate(timelines, from, to, (tl) => tl.units.length, (tl, i, day) => ({ day, sku: tl.profile.sku, units: tl.units[i]!, covariates: covariatesAt(tl, i) }));
  return csv(SALES, rows);
}

export function promoPlanCsv(timelines: SkuTimeline[], cfg: SampleConfig): string {
  const last = Math.max(...timelines.map((t) => t.start + t.units.length - 1));
  const rows = byDate(timelines, last + 1, last + cfg.planDays, (tl) => tl.price.length, (tl, i, day) => ({ day, sku: tl.profile.sku, values: covariatesAt(tl, i) }));
  return csv(PLAN, rows);
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
  const rows: LeadTimeFileRow[] = [];
  timelines.forEach((tl, k) => {
    const rng = makeRng(`${cfg.seed}:lead:${tl.profile.sku}`);
    const mean = Math.round(rng.uniform(3, 21) * 2) / 2;
    const sd = Math.round(mean * rng.uniform(0.1, 0.35) * 10) / 10;
    if (k % 8 === 2 && tl.profile.kind !== 'new') {
      const count = rng.int(8, 12);
      for (let j = 0; j < count; j++) rows.push({ sku: tl.profile.sku, leadTimeDays: Math.max(1, Math.round(rng.normal(mean, sd * 1.5))) });
    } else rows.push({ sku: tl.profile.sku, leadTimeDays: mean, leadTimeSdDays: sd });
  });
  // The contract's columns without order_qty (the samples use --order-qty or the default Q).
  return csv(LEAD_TIME_CONTRACT, rows, LEAD_TIME_CONTRACT.names.filter((n) => n !== 'order_qty'));
}

/** On hand a few days to a month of demand; constraints (moq, pack size, max) for some SKUs. */
export function inventoryCsv(timelines: SkuTimeline[], cfg: SampleConfig): string {
  const rows = timelines.map((tl, k) => {
    const rng = makeRng(`${cfg.seed}:inventory:${tl.profile.sku}`);
    const d = Math.max(0.1, recentDemand(tl));
    const short = k % 17 === 5; // a few SKUs out of stock with backorders
    const onHand = short ? 0 : Math.round(d * rng.uniform(4, 30));
    const onOrder = rng.next() < 0.4 ? Math.round(d * rng.uniform(7, 21)) : 0;
    const backorders = short ? Math.max(1, Math.round(d * rng.uniform(1, 3))) : 0;
    const moq = k % 4 === 1 ? Math.max(10, Math.round((d * 7) / 10) * 10) : undefined;
    const packSize = k % 3 === 0 ? rng.pick([6, 12, 24]) : undefined;
    const maxQty = k % 10 === 4 ? Math.max(50, Math.round((d * 60) / 10) * 10) : undefined;
    return { sku: tl.profile.sku, onHand, onOrder, backorders, moq, packSize, maxQty };
  });
  return csv(INVENTORY_CONTRACT, rows);
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
