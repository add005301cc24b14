/** `stockcast data inspect`: read a sales CSV with the ingest options and describe it. */
import { FORMULA_START, formatNumber, toCsv } from '../../io/csv-out.js';
import { formatDay } from '../../core/calendar.js';
import { shortLivedCovariates } from '../../models/covariate-kind.js';
import { forecastOrigins, periodsAfter } from '../../models/origins.js';
import { showValue } from '../../text-safe.js';
import { dateWarnings, today } from '../_dates-check.js';
import { emit } from '../../io/output.js';
import { type SalesSummary, round, summarizeSales, summaryPairs } from '../../io/sales-summary.js';
import { defaultFormat, type Format } from '../../io/table.js';
import { readSalesInput } from '../_ingest-options.js';
import { absPath, checkPaths } from '../_paths.js';
import type { Context } from '../command.js';
import type { InspectOptions } from './inspect.options.js';
import type { OutputDialect } from '../_csv-dialect.js';
import { predictModels, predictRule } from './_predict-models.js';

export async function run(options: InspectOptions, ctx: Context): Promise<void> {
  await checkPaths(ctx, [['--out', options.out]], [['--data', options.data]]);
  const { data, report } = await readSalesInput(options.data, options.ingest, ctx);
  const origins = forecastOrigins(data);
  // too_short = what forecast predict does: the SKUs it gives a fallback instead of the LSTM.
  const rule = predictRule(data.freq, options.window);
  const models = predictModels(data, origins, rule);
  const short = [...models].filter(([, m]) => m.fallback).map(([sku]) => sku);
  const summary = summarizeSales(data, report, {
    skus: new Set(short),
    pairs: [['lstm_window', rule.window], ['lstm_min_observed', rule.minObserved]],
    models: new Map([...models].map(([sku, m]) => [sku, m.model])),
  });
  if (short.length > 0) {
    const shown = short.slice(0, 5).map((sku) => `${showValue(sku, 40)} (${models.get(sku)!.model})`).join(', ');
    ctx.log.warn(
      `${short.length} SKU(s) too short for the LSTM (fewer than ${rule.minObserved} observed periods in the last ${rule.window} before the forecast origin): ` +
        `forecast predict gives them a fallback baseline, named in predict_model: ${shown}${short.length > 5 ? ', ...' : ''}`,
    );
  }
  // Numeric covariates every model feeds as neutral: they have not varied for a yearly cycle yet.
  const shortLived = shortLivedCovariates(data, origins.common).map((k) => showValue(data.covariates[k]!, 40));
  if (shortLived.length > 0) {
    ctx.log.warn(
      `covariate(s) ${shortLived.join(', ')} only started to vary less than a year before the end of the data: ` +
        'forecast train, predict and evaluate feed them as neutral until they have varied for a yearly cycle (their effect cannot be told apart from the season\'s; docs/forecasting.md)',
    );
  }
  // Flags: SKUs far past the others, rows after today, SKU ids a spreadsheet would run as formulas.
  const now = today(ctx.env);
  for (const w of dateWarnings(data, origins, now)) ctx.log.warn(w);
  const formulas = data.series.filter((s) => FORMULA_START.test(s.sku)).map((s) => s.sku);
  if (formulas.length > 0) {
    ctx.log.warn(
      `${formulas.length} SKU id(s) start with = + - @ tab or CR, which spreadsheets run as formulas: ${formulas.slice(0, 5).map((s) => showValue(s, 40)).join(', ')}${formulas.length > 5 ? ', ...' : ''}. ` +
        'stockcast writes ids unchanged (ERP matching); pass --escape-formulas to commands whose CSV a spreadsheet opens',
    );
  }
  const future = periodsAfter(data, now);
  const extra: [string, string | number][] = [
    ['late_skus', origins.late.length],
    ['late', origins.late.slice(0, 8).map((l) => `${l.sku}@${formatDay(l.last)}`).join(' ')],
    ['skus_after_today', future.skus],
    ['formula_like_skus', formulas.length],
  ];
  const format = options.format ?? defaultFormat(ctx.stdout.isTTY === true, options.out);
  await emit(absPath(ctx, options.out), renderSummary(summary, format, options.summaryOnly, options.escapeFormulas, extra, options.output), ctx.stdout);
}

function skuColumns(s: SalesSummary): string[] {
  return ['sku', 'first', 'last', 'periods', 'observed', 'missing', 'longest_gap', 'zero_share', 'mean_units', ...s.covariates.map((c) => `${c.name}_share`), 'too_short', 'predict_model'];
}

/** In CSV, a share or mean of nothing (a SKU without observed periods) is an empty cell, never NaN (JSON: null). */
function csvCells<T>(rows: T[][]): (T | null)[][] {
  return rows.map((r) => r.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
}

function skuRows(s: SalesSummary): (string | number | boolean)[][] {
  return s.skus.map((k) => [k.sku, k.first, k.last, k.periods, k.observed, k.missing, k.longestGap, round(k.zeroShare), round(k.meanUnits), ...k.activeShare.map((a) => round(a)), k.tooShort, k.predictModel]);
}

function covariateRows(s: SalesSummary): (string | number)[][] {
  return s.covariates.map((c) => [c.name, round(c.activeShare), round(c.mean), c.min, c.max]);
}

const COVARIATE_COLUMNS = ['covariate', 'nonzero_share', 'mean', 'min', 'max'];

export function renderSummary(s: SalesSummary, format: Format, summaryOnly: boolean, escapeFormulas = false, extra: [string, string | number][] = [], output: OutputDialect = {}): string {
  const pairs = [...summaryPairs(s), ...extra];
  if (format === 'json') {
    const obj: Record<string, unknown> = { summary: Object.fromEntries(pairs) };
    if (!summaryOnly) {
      obj.covariates = objects(COVARIATE_COLUMNS, covariateRows(s));
      obj.skus = objects(skuColumns(s), skuRows(s));
    }
    return `${JSON.stringify(obj, null, 2)}\n`;
  }
  if (format === 'csv') return summaryOnly ? toCsv(['key', 'value'], csvCells(pairs), { escapeFormulas, ...output }) : toCsv(skuColumns(s), csvCells(skuRows(s)), { escapeFormulas, ...output });
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
