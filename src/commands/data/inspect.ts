/** `stockcast data inspect`: read a sales CSV with the ingest options and describe it. */
import { formatNumber, toCsv } from '../../io/csv-out.js';
import { emit } from '../../io/output.js';
import { type SalesSummary, round, summarizeSales, summaryPairs } from '../../io/sales-summary.js';
import { defaultFormat, type Format } from '../../io/table.js';
import { readSalesInput } from '../_ingest-options.js';
import { absPath, checkPaths } from '../_paths.js';
import type { Context } from '../_spec.js';
import type { InspectOptions } from './inspect.spec.js';

export async function run(options: InspectOptions, ctx: Context): Promise<void> {
  await checkPaths(ctx, [['--out', options.out]], [['--data', options.data]]);
  const { data, report } = await readSalesInput(options.data, options.ingest, ctx);
  const summary = summarizeSales(data, report, options.minPeriods);
  const format = options.format ?? defaultFormat(ctx.stdout.isTTY === true, options.out);
  await emit(absPath(ctx, options.out), renderSummary(summary, format, options.summaryOnly), ctx.stdout);
}

function skuColumns(s: SalesSummary): string[] {
  return ['sku', 'first', 'last', 'periods', 'observed', 'missing', 'longest_gap', 'zero_share', 'mean_units', ...s.covariates.map((c) => `${c.name}_share`), 'too_short'];
}

function skuRows(s: SalesSummary): (string | number | boolean)[][] {
  return s.skus.map((k) => [k.sku, k.first, k.last, k.periods, k.observed, k.missing, k.longestGap, round(k.zeroShare), round(k.meanUnits), ...k.activeShare.map((a) => round(a)), k.tooShort]);
}

function covariateRows(s: SalesSummary): (string | number)[][] {
  return s.covariates.map((c) => [c.name, round(c.activeShare), round(c.mean), c.min, c.max]);
}

const COVARIATE_COLUMNS = ['covariate', 'nonzero_share', 'mean', 'min', 'max'];

export function renderSummary(s: SalesSummary, format: Format, summaryOnly: boolean): string {
  const pairs = summaryPairs(s);
  if (format === 'json') {
    const obj: Record<string, unknown> = { summary: Object.fromEntries(pairs) };
    if (!summaryOnly) {
      obj.covariates = objects(COVARIATE_COLUMNS, covariateRows(s));
      obj.skus = objects(skuColumns(s), skuRows(s));
    }
    return `${JSON.stringify(obj, null, 2)}\n`;
  }
  if (format === 'csv') return summaryOnly ? toCsv(['key', 'value'], pairs) : toCsv(skuColumns(s), skuRows(s));
  const width = Math.max(...pairs.map(([k]) => k.length));
  const parts = [pairs.map(([k, v]) => `${k.padEnd(width)}  ${typeof v === 'number' ? formatNumber(v) : v}`.trimEnd()).join('\n') + '\n'];
  if (!summaryOnly) {
    if (s.covariates.length > 0) parts.push(aligned(COVARIATE_COLUMNS, covariateRows(s)));
    parts.push(aligned(skuColumns(s), skuRows(s)));
  }
  return parts.join('\n');
}

/** Columns padded to their widest cell, numbers right-aligned: compact enough for thousands of SKUs. */
function aligned(columns: string[], rows: (string | number | boolean)[][]): string {
  const cells = rows.map((r) => r.map((v) => (typeof v === 'number' ? formatNumber(v, 3) : v === false ? '' : v === true ? 'yes' : v)));
  const numeric = columns.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === 'number'));
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((v, j) => (numeric[j] ? v.padStart(widths[j]!) : v.padEnd(widths[j]!))).join('  ').trimEnd();
  return `${[line(columns), ...cells.map(line)].join('\n')}\n`;
}

/** Rows as JSON objects; NaN (no observed period) becomes null. */
function objects(columns: string[], rows: (string | number | boolean)[][]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(columns.map((c, j) => [c, typeof r[j] === 'number' && !Number.isFinite(r[j]) ? null : r[j]])));
}
