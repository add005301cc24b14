/**
 * From raw columns (file order) to SalesData: sort by (sku, day), resolve duplicates, detect the
 * frequency, and lay every SKU on a regular grid from its first to its last date. Pure: no I/O.
 */
import { ProblemCollector } from '../errors.js';
import { FREQ_STEP_DAYS, type Freq, type IngestOptions, type SalesData, type Series } from '../core/types.js';
import { showValue } from '../text-safe.js';
import { formatDay } from '../core/calendar.js';
import type { RawSales } from './sales-columns.js';

export interface BuildResult {
  data: SalesData;
  freqDetected: boolean;
  gaps: { sku: string; missing: number; longest: number }[];
  duplicatesAggregated: number;
  /** SKUs with a single row. */
  shortSkus: string[];
  /** Covariate cells still unknown after filling (a whole series without a value) set to 0. */
  covariatesZeroed: number;
  warnings: string[];
}

/**
 * Longest series accepted, in periods (about 270 years of days): a SKU from 2024 to a `9999-12-31`
 * sentinel would be a grid of millions of missing periods.
 */
export const MAX_SERIES_PERIODS = 100_000;

/** Share of gaps that are multiples of 7 above which data with some off-grid dates is called weekly-with-errors. */
const WEEKLY_SHARE = 0.75;

type BuildOptions = Pick<IngestOptions, 'freq' | 'fill' | 'aggregate'>;

/** Row indices grouped by SKU (SKUs in sorted name order), each group sorted by (day, line). */
function sortRows(raw: RawSales): { order: Int32Array; bounds: Int32Array; names: string[] } {
  const nSku = raw.skuNames.length;
  const ranked = raw.skuNames.map((name, id) => ({ name, id })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rankOf = new Int32Array(nSku);
  ranked.forEach((r, k) => (rankOf[r.id] = k));
  const bounds = new Int32Array(nSku + 1);
  const n = raw.sku.length;
  for (let i = 0; i < n; i++) bounds[rankOf[raw.sku[i]!]! + 1]!++;
  for (let k = 0; k < nSku; k++) bounds[k + 1]! += bounds[k]!;
  const fillAt = bounds.slice(0, nSku);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fillAt[rankOf[raw.sku[i]!]!]!++] = i;
  const { day, line } = raw;
  for (let k = 0; k < nSku; k++) {
    const group = order.subarray(bounds[k], bounds[k + 1]);
    let sorted = true;
    for (let j = 1; j < group.length && sorted; j++) if (day[group[j]!]! < day[group[j - 1]!]!) sorted = false;
    if (!sorted) group.sort((a, b) => day[a]! - day[b]! || line[a]! - line[b]!);
  }
  return { order, bounds, names: ranked.map((r) => r.name) };
}

function detectFreq(raw: RawSales, order: Int32Array, bounds: Int32Array): { total: number; weekly: number } {
  let total = 0;
  let weekly = 0;
  for (let k = 0; k + 1 < bounds.length; k++) {
    for (let j = bounds[k]! + 1; j < bounds[k + 1]!; j++) {
      const g = raw.day[order[j]!]! - raw.day[order[j - 1]!]!;
      if (g === 0) continue;
      total++;
      if (g % 7 === 0) weekly++;
    }
  }
  return { total, weekly };
}

/** Problems for rows whose date is not on their SKU's 7-day grid (first off-grid date per SKU). */
function offGrid(raw: RawSales, order: Int32Array, bounds: Int32Array, names: string[], file: string, problems: ProblemCollector): void {
  for (let k = 0; k < names.length; k++) {
    const first = raw.day[order[bounds[k]!]!]!;
    for (let j = bounds[k]! + 1; j < bounds[k + 1]!; j++) {
      const i = order[j]!;
      if ((raw.day[i]! - first) % 7 !== 0) {
        problems.add({
          file,
          line: raw.line[i],
          message: `SKU ${showValue(names[k]!, 40)}: date ${formatDay(raw.day[i]!)} is off the weekly grid that starts ${formatDay(first)}`,
          expected: `dates 7 days apart (same weekday as ${formatDay(first)})`,
        });
        break;
      }
    }
  }
}

export function buildSales(raw: RawSales, opts: BuildOptions, file: string): BuildResult {
  const { order, bounds, names } = sortRows(raw);
  const problems = new ProblemCollector();
  const warnings: string[] = [];

  // Duplicates (sku, day): adjacent after the sort.
  let duplicates = 0;
  for (let k = 0; k < names.length; k++) {
    for (let j = bounds[k]! + 1; j < bounds[k + 1]!; j++) {
      const a = order[j - 1]!;
      const b = order[j]!;
      if (raw.day[a] !== raw.day[b]) continue;
      duplicates++;
      if (opts.aggregate === undefined) {
        problems.add({
          file,
          line: raw.line[b],
          message: `duplicate row for SKU ${showValue(names[k]!, 40)} on ${formatDay(raw.day[b]!)} (first at line ${raw.line[a]})`,
          expected: 'one row per SKU and date (or --aggregate sum)',
        });
      }
    }
  }
  problems.throwIfAny(`${file}: duplicate (sku, date) rows`, 'pass --aggregate sum to add them up (units summed, covariates take the maximum)');

  // Frequency.
  let freq: Freq;
  let freqDetected = false;
  if (opts.freq !== undefined) freq = opts.freq;
  else {
    freqDetected = true;
    const { total, weekly } = detectFreq(raw, order, bounds);
    if (total === 0) {
      freq = 'D';
      warnings.push('no SKU has two dates: frequency assumed daily (pass --freq W for weekly data)');
    } else if (weekly === total) freq = 'W';
    else if (weekly >= WEEKLY_SHARE * total) {
      offGrid(raw, order, bounds, names, file, problems);
      problems.throwIfAny(
        `${file}: the data looks weekly (${weekly} of ${total} date gaps are whole weeks) but some dates are off the weekly grid`,
        'fix those dates, or pass --freq D to read the data as daily with missing days',
      );
      freq = 'D';
    } else freq = 'D';
  }
  if (freq === 'W') {
    offGrid(raw, order, bounds, names, file, problems);
    problems.throwIfAny(
      `${file}: --freq W but dates within a SKU are not 7 days apart`,
      'aggregate the data to one row per SKU and week first (all dates of a SKU on the same weekday), or use --freq D',
    );
  }
  const step = FREQ_STEP_DAYS[freq];

  // Grid: refuse spans no sales history has (a sentinel or mistyped date), before allocating them.
  for (let k = 0; k < names.length; k++) {
    const first = raw.day[order[bounds[k]!]!]!;
    const lastRow = order[bounds[k + 1]! - 1]!;
    const periods = (raw.day[lastRow]! - first) / step + 1;
    if (periods > MAX_SERIES_PERIODS) {
      problems.add({
        file,
        line: raw.line[lastRow],
        message: `SKU ${showValue(names[k]!, 40)} spans ${formatDay(first)} to ${formatDay(raw.day[lastRow]!)}, ${periods} ${freq === 'W' ? 'weeks' : 'days'}: a sentinel or mistyped date?`,
        expected: `at most ${MAX_SERIES_PERIODS} periods from a SKU's first date to its last`,
        value: formatDay(raw.day[lastRow]!),
      });
    }
  }
  problems.throwIfAny(`${file}: dates far outside the rest of the history`, 'fix or drop those rows (a placeholder date such as 9999-12-31 is not a sales date)');

  // Grid.
  const nCov = raw.covariateNames.length;
  const series: Series[] = [];
  const gaps: BuildResult['gaps'] = [];
  const shortSkus: string[] = [];
  let covariatesZeroed = 0;
  for (let k = 0; k < names.length; k++) {
    const lo = bounds[k]!;
    const hi = bounds[k + 1]!;
    if (hi - lo === 1) shortSkus.push(names[k]!);
    const start = raw.day[order[lo]!]!;
    const len = (raw.day[order[hi - 1]!]! - start) / step + 1;
    const units = new Float64Array(len).fill(opts.fill === 'zero' ? 0 : Number.NaN);
    const observed = new Uint8Array(len).fill(opts.fill === 'zero' ? 1 : 0);
    const present = new Uint8Array(len);
    const cov: Float64Array[] = [];
    for (let c = 0; c < nCov; c++) cov.push(new Float64Array(len).fill(Number.NaN));
    for (let j = lo; j < hi; j++) {
      const i = order[j]!;
      const p = (raw.day[i]! - start) / step;
      const u = raw.units[i]!;
      if (present[p] === 0) {
        present[p] = 1;
        units[p] = u;
        observed[p] = Number.isNaN(u) ? 0 : 1;
        for (let c = 0; c < nCov; c++) cov[c]![p] = raw.covariates[c]![i]!;
      } else {
        // --aggregate sum: units add up (unknown cells ignored), covariates take the maximum.
        if (!Number.isNaN(u)) {
          units[p] = Number.isNaN(units[p]!) ? u : units[p]! + u;
          observed[p] = 1;
        }
        for (let c = 0; c < nCov; c++) {
          const v = raw.covariates[c]![i]!;
          if (!Number.isNaN(v) && !(cov[c]![p]! >= v)) cov[c]![p] = v;
        }
      }
    }
    let missing = 0;
    let longest = 0;
    let run = 0;
    for (let p = 0; p < len; p++) {
      if (present[p] === 1) run = 0;
      else {
        missing++;
        run++;
        if (run > longest) longest = run;
      }
    }
    if (missing > 0) gaps.push({ sku: names[k]!, missing, longest });
    for (const col of cov) covariatesZeroed += fillCovariate(col);
    series.push({ sku: names[k]!, start, units, covariates: cov, observed });
  }
  if (duplicates > 0) warnings.push(`${duplicates} duplicate (sku, date) row${duplicates === 1 ? '' : 's'} summed (--aggregate sum)`);
  return {
    data: { freq, step, covariates: [...raw.covariateNames], series },
    freqDetected,
    gaps,
    duplicatesAggregated: duplicates,
    shortSkus,
    covariatesZeroed,
    warnings,
  };
}

/** Carry the last known value forward, then the first known value backward; all unknown -> 0. Returns cells zeroed. */
export function fillCovariate(col: Float64Array): number {
  let last = Number.NaN;
  let firstKnown = -1;
  for (let p = 0; p < col.length; p++) {
    if (Number.isNaN(col[p]!)) col[p] = last;
    else {
      last = col[p]!;
      if (firstKnown < 0) firstKnown = p;
    }
  }
  if (firstKnown < 0) {
    col.fill(0);
    return col.length;
  }
  for (let p = 0; p < firstKnown; p++) col[p] = col[firstKnown]!;
  return 0;
}
