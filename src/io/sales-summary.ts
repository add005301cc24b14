/**
 * What `data inspect` shows: the overall picture of a sales table and one line per SKU. Pure: works
 * on the SalesData and IngestReport that readSales returns.
 */
import type { SalesData } from '../core/types.js';
import { formatDay } from '../core/calendar.js';
import type { IngestReport } from './sales.js';

export interface SkuSummary {
  sku: string;
  first: string;
  last: string;
  /** Periods on the grid from first to last date. */
  periods: number;
  /** Periods with a known units value. */
  observed: number;
  /** Periods absent from the file (before --fill). */
  missing: number;
  longestGap: number;
  /** Share of observed periods with 0 units. */
  zeroShare: number;
  meanUnits: number;
  /** Per covariate: share of the SKU's periods where it is non-zero (promotion share for a 0/1 flag). */
  activeShare: number[];
  /** Too short for the LSTM: forecast predict gives it a fallback (the caller's rule, see data inspect). */
  tooShort: boolean;
  /** The model forecast predict will use ('' when the caller did not say). */
  predictModel: string;
}

export interface CovariateSummary {
  name: string;
  /** Share of all periods where the covariate is non-zero. */
  activeShare: number;
  mean: number;
  min: number;
  max: number;
}

/** Which SKUs are too short, and the rule as (key, value) pairs shown before them. */
export interface ShortRule {
  skus: ReadonlySet<string>;
  pairs: [string, number][];
  /** Per SKU, the model forecast predict will use. */
  models?: ReadonlyMap<string, string>;
}

export interface SalesSummary {
  report: IngestReport;
  /** The too-short rule, as shown in the summary. */
  shortRule: [string, number][];
  periods: number;
  observed: number;
  missing: number;
  zeroShare: number;
  skusWithGaps: number;
  worstGap: { sku: string; longest: number } | undefined;
  tooShort: string[];
  covariates: CovariateSummary[];
  skus: SkuSummary[];
}

export function summarizeSales(data: SalesData, report: IngestReport, short: ShortRule = { skus: new Set(), pairs: [] }): SalesSummary {
  const gapBySku = new Map(report.gaps.map((g) => [g.sku, g]));
  const nCov = data.covariates.length;
  const covActive = new Array<number>(nCov).fill(0);
  const covSum = new Array<number>(nCov).fill(0);
  const covMin = new Array<number>(nCov).fill(Number.POSITIVE_INFINITY);
  const covMax = new Array<number>(nCov).fill(Number.NEGATIVE_INFINITY);
  let periods = 0;
  let observedAll = 0;
  let zerosAll = 0;
  const skus: SkuSummary[] = [];
  for (const s of data.series) {
    const n = s.units.length;
    let observed = 0;
    let zeros = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (s.observed[i] === 1 && !Number.isNaN(s.units[i]!)) {
        observed++;
        sum += s.units[i]!;
        if (s.units[i] === 0) zeros++;
      }
    }
    const activeShare = s.covariates.map((col, c) => {
      let active = 0;
      for (let i = 0; i < n; i++) {
        const v = col[i]!;
        if (v !== 0 && !Number.isNaN(v)) active++;
        covSum[c]! += v;
        if (v < covMin[c]!) covMin[c] = v;
        if (v > covMax[c]!) covMax[c] = v;
      }
      covActive[c]! += active;
      return n > 0 ? active / n : 0;
    });
    periods += n;
    observedAll += observed;
    zerosAll += zeros;
    const gap = gapBySku.get(s.sku);
    skus.push({
      sku: s.sku,
      first: formatDay(s.start),
      last: formatDay(s.start + (n - 1) * data.step),
      periods: n,
      observed,
      missing: gap?.missing ?? 0,
      longestGap: gap?.longest ?? 0,
      zeroShare: observed > 0 ? zeros / observed : Number.NaN,
      meanUnits: observed > 0 ? sum / observed : Number.NaN,
      activeShare,
      tooShort: short.skus.has(s.sku),
      predictModel: short.models?.get(s.sku) ?? '',
    });
  }
  let worstGap: SalesSummary['worstGap'];
  for (const g of report.gaps) if (worstGap === undefined || g.longest > worstGap.longest) worstGap = { sku: g.sku, longest: g.longest };
  return {
    report,
    shortRule: short.pairs,
    periods,
    observed: observedAll,
    missing: report.gaps.reduce((a, g) => a + g.missing, 0),
    zeroShare: observedAll > 0 ? zerosAll / observedAll : Number.NaN,
    skusWithGaps: report.gaps.length,
    worstGap,
    tooShort: skus.filter((s) => s.tooShort).map((s) => s.sku),
    covariates: data.covariates.map((name, c) => ({
      name,
      activeShare: periods > 0 ? covActive[c]! / periods : 0,
      mean: periods > 0 ? covSum[c]! / periods : Number.NaN,
      min: covMin[c]!,
      max: covMax[c]!,
    })),
    skus,
  };
}

/** The overall summary as (key, value) pairs, in display order. */
export function summaryPairs(s: SalesSummary): [string, string | number][] {
  const r = s.report;
  const list = (xs: string[], max = 8) => (xs.length === 0 ? '' : `${xs.slice(0, max).join(' ')}${xs.length > max ? ` (+${xs.length - max} more)` : ''}`);
  return [
    ['file', r.file],
    ['rows', r.rows],
    ['skus', r.skus],
    ['first_date', formatDay(r.firstDay)],
    ['last_date', formatDay(r.lastDay)],
    ['frequency', `${r.freq === 'W' ? 'weekly' : 'daily'} (${r.freqDetected ? 'detected' : 'given'})`],
    ['periods', s.periods],
    ['observed_periods', s.observed],
    ['missing_periods', s.missing],
    ['skus_with_gaps', s.skusWithGaps],
    ['worst_gap', s.worstGap === undefined ? '' : `${s.worstGap.longest} periods (${s.worstGap.sku})`],
    ['zero_sales_share', round(s.zeroShare)],
    ['negative_rows', r.negatives],
    ['missing_targets', r.missingTargets],
    ['duplicates_aggregated', r.duplicatesAggregated],
    ['covariates', s.covariates.map((c) => c.name).join(' ')],
    ['ignored_columns', r.ignoredColumns.join(' ')],
    ...s.shortRule,
    ['too_short_skus', s.tooShort.length],
    ['too_short', list(s.tooShort)],
    ['single_row_skus', r.shortSkus.length],
    ['single_row', list(r.shortSkus)],
  ];
}

export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
