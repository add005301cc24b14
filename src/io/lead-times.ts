/**
 * Lead-time file: `sku,lead_time_days[,lead_time_sd_days][,order_qty]`.
 *
 * - One row per SKU: a lead time with mean `lead_time_days` and spread `lead_time_sd_days`
 *   (empty or absent = fixed lead time).
 * - Several rows per SKU: observed lead times; the simulation resamples them (empirical
 *   distribution). Their sd column must then be empty or absent: the spread is the observations'.
 * - `order_qty` (optional): the SKU's order quantity Q for (s,Q); one value per SKU.
 */
import { LEAD_TIME_CONTRACT } from '../core/contracts/lead-times.js';
import type { SkuLeadTime } from '../core/types.js';
import { safeText } from '../text-safe.js';
import { ProblemCollector } from '../errors.js';
import { readTable } from './typed-table.js';
import type { DecimalMark } from './numbers.js';

export interface LeadTimeReadOptions {
  delimiter?: string;
  decimal?: DecimalMark;
  stdin?: NodeJS.ReadableStream;
}

interface Acc {
  values: number[];
  sds: { sd: number; line: number }[];
  qty?: { value: number; line: number };
  firstLine: number;
}

export async function readLeadTimes(path: string, opts: LeadTimeReadOptions = {}): Promise<Map<string, SkuLeadTime>> {
  // One pass: cell problems and the per-SKU checks below are reported together.
  const problems = new ProblemCollector();
  const table = await readTable(path, {
    collect: problems,
    what: 'lead-time file',
    delimiter: opts.delimiter,
    decimal: opts.decimal,
    stdin: opts.stdin,
    columns: LEAD_TIME_CONTRACT.rules(),
  });
  const file = table.file;
  const sdCol = table.header.indexOf('lead_time_sd_days') + 1;
  const qtyCol = table.header.indexOf('order_qty') + 1;
  const bySku = new Map<string, Acc>();
  for (const row of table.rows) {
    if (row.invalid === true) continue; // its problems are reported already
    const sku = row.values.sku as string;
    let acc = bySku.get(sku);
    if (acc === undefined) {
      acc = { values: [], sds: [], firstLine: row.line };
      bySku.set(sku, acc);
    }
    acc.values.push(row.values.lead_time_days as number);
    const sd = row.values.lead_time_sd_days;
    if (typeof sd === 'number' && !Number.isNaN(sd)) acc.sds.push({ sd, line: row.line });
    const q = row.values.order_qty;
    if (typeof q === 'number' && !Number.isNaN(q)) {
      if (acc.qty !== undefined && acc.qty.value !== q) {
        problems.add({
          file,
          line: row.line,
          column: qtyCol,
          columnName: 'order_qty',
          value: String(q),
          message: `conflicts with order_qty ${acc.qty.value} on line ${acc.qty.line} for SKU ${safeText(sku, 40)}`,
          expected: 'one order quantity per SKU',
        });
      } else acc.qty = { value: q, line: row.line };
    }
  }

  const out = new Map<string, SkuLeadTime>();
  for (const [sku, acc] of bySku) {
    if (acc.values.length > 1) {
      for (const s of acc.sds) {
        problems.add({
          file,
          line: s.line,
          column: sdCol,
          columnName: 'lead_time_sd_days',
          value: String(s.sd),
          message: `SKU ${safeText(sku, 40)} has ${acc.values.length} rows (observed lead times), so its spread comes from them`,
          expected: 'an empty lead_time_sd_days on observation rows',
        });
      }
      const samples = Float64Array.from(acc.values);
      let mean = 0;
      for (const v of samples) mean += v;
      mean /= samples.length;
      let ss = 0;
      for (const v of samples) ss += (v - mean) * (v - mean);
      out.set(sku, { mean, sd: Math.sqrt(ss / samples.length), samples, orderQty: acc.qty?.value });
    } else {
      const sd = acc.sds[0]?.sd ?? 0;
      if (sd > 0 && acc.values[0] === 0) {
        problems.add({
          file,
          line: acc.firstLine,
          column: sdCol,
          columnName: 'lead_time_sd_days',
          value: String(sd),
          message: `SKU ${safeText(sku, 40)}: a random lead time needs a mean above 0`,
          expected: 'lead_time_days > 0 when lead_time_sd_days > 0',
        });
      }
      out.set(sku, { mean: acc.values[0]!, sd, orderQty: acc.qty?.value });
    }
  }
  problems.sortByPlace().throwIfAny(`${file}: invalid lead-time file`);
  return out;
}
