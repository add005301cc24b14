/**
 * Forecast file (core/contracts/forecast.ts): any CSV with `sku,date,forecast,sd` (`p10,p90,model`
 * optional and ignored here):
 * stockcast's own `forecast predict` output or another tool's. Other tools' column names come in
 * through `skuCol`/`dateCol`/`forecastCol`; without `sd`, the sd is derived from an interval
 * (statsforecast's `<model>-lo-80`/`-hi-80`, `p10`/`p90`, or `intervalCols`). A file with p10/p90
 * (stockcast's own: its forecast is the median) is read as a median by default: the series get the
 * mean and sd of demand it and its interval imply (`point`). Daily or weekly, detected from the
 * spacing of the dates; every SKU must be on a regular grid with no gaps or duplicates.
 */
import { safeText } from '../text-safe.js';
import { InputError, ProblemCollector } from '../errors.js';
import { FREQ_STEP_DAYS, type Freq } from '../core/types.js';
import { ERROR_CORR_RULE, FORECAST_CONTRACT, type ForecastSeries, intervalBoundRule } from '../core/contracts/forecast.js';

export type { ForecastSeries };
import { type ColumnSpec, type TableRow, readTable } from './typed-table.js';
import { displayName } from './csv-in.js';
import { momentsFromMedian, normInv } from '../core/stats.js';
import { type DateFormat, formatDay } from '../core/calendar.js';
import type { DecimalMark } from './numbers.js';

export interface ForecastFile {
  freq: Freq;
  step: number;
  bySku: Map<string, ForecastSeries>;
  /** Which columns were read and where the sd came from, for the info log. */
  source: ForecastSource;
}

export interface ForecastSource {
  sku: string;
  date: string;
  forecast: string;
  /**
   * `mean`: the forecast column is the mean of demand, the sd comes from `sd` (a column, or an
   * interval: sd = (hi - lo) / (2 z), z = normInv((1 + level) / 2)). `median`: the forecast column
   * is the median, and the mean and sd are those implied by it and the interval `sd` names
   * (core/stats.ts momentsFromMedian).
   */
  point: 'mean' | 'median';
  sd: { column: string } | { lo: string; hi: string; level: number; z: number };
}

/** --point: auto = median when the file has p10 and p90 columns (a quantile forecast, as stockcast writes), else mean. */
export type PointChoice = 'auto' | 'median' | 'mean';

export interface ForecastReadOptions {
  delimiter?: string;
  decimal?: DecimalMark;
  dateFormat?: DateFormat;
  stdin?: NodeJS.ReadableStream;
  /** Frequency when it cannot be detected (one date per SKU) or to enforce it. */
  freq?: Freq;
  /** Column names (defaults sku, date, forecast): other tools' files, e.g. statsforecast's unique_id, ds, AutoETS. */
  skuCol?: string;
  dateCol?: string;
  forecastCol?: string;
  /** Interval columns LO,HI to derive the sd from when there is no sd column, and their level in percent (default 80). */
  intervalCols?: [string, string];
  intervalLevel?: number;
  /** What the forecast column holds (default auto). */
  point?: PointChoice;
}

/** How a forecast file without `sd` says how uncertain it is: --interval-cols, `<model>-lo-L`/`-hi-L`, or p10/p90. */
export function findInterval(header: string[], forecastCol: string, opts: Pick<ForecastReadOptions, 'intervalCols' | 'intervalLevel'>): { lo: string; hi: string; level: number } | undefined {
  if (opts.intervalCols !== undefined) return { lo: opts.intervalCols[0], hi: opts.intervalCols[1], level: opts.intervalLevel ?? 80 };
  // statsforecast: AutoETS-lo-80, AutoETS-hi-80 (any level; 80 first when several are there).
  const prefix = `${forecastCol}-lo-`;
  const levels: number[] = [];
  for (const h of header) {
    if (!h.startsWith(prefix)) continue;
    const tail = h.slice(prefix.length);
    const level = /^\d+(\.\d+)?$/.test(tail) ? Number(tail) : Number.NaN;
    if (level > 0 && level < 100 && header.includes(`${forecastCol}-hi-${tail}`)) levels.push(level);
  }
  if (levels.length > 0) {
    const level = levels.includes(80) ? 80 : levels[0]!;
    const name = header.find((h) => h.startsWith(prefix) && Number(h.slice(prefix.length)) === level)!.slice(prefix.length);
    return { lo: `${prefix}${name}`, hi: `${forecastCol}-hi-${name}`, level };
  }
  if (header.includes('p10') && header.includes('p90')) return { lo: 'p10', hi: 'p90', level: 80 };
  return undefined;
}

/** One line for the info log: which columns, and how the sd was found. */
export function describeSource(s: ForecastSource): string {
  if (s.point === 'median' && !('column' in s.sd)) {
    return `forecast columns: sku ${s.sku}, date ${s.date}, forecast ${s.forecast} read as the median; demand mean and sd implied by it and the ${s.sd.level}% interval ${s.sd.lo}..${s.sd.hi} (log-scale two-piece normal)`;
  }
  const sd =
    'column' in s.sd
      ? `sd from column ${s.sd.column}`
      : `sd derived from the ${s.sd.level}% interval ${s.sd.lo}..${s.sd.hi} as (hi - lo) / (2 x ${s.sd.z.toFixed(4)})`;
  return `forecast columns: sku ${s.sku}, date ${s.date}, forecast ${s.forecast} read as the mean; ${sd}`;
}

/**
 * True when the file was read the way stockcast reads its own forecasts (no log line needed): a
 * `forecast predict` file (median, with p10/p90), or sku,date,forecast,sd (mean and sd).
 */
export function isDefaultSource(s: ForecastSource): boolean {
  if (s.sku !== 'sku' || s.date !== 'date' || s.forecast !== 'forecast') return false;
  return s.point === 'median' ? !('column' in s.sd) && s.sd.lo === 'p10' && s.sd.hi === 'p90' : 'column' in s.sd;
}

interface Point {
  day: number;
  mean: number;
  sd: number;
  line: number;
  /** The error_corr cell, when the file has the column. */
  corr?: number;
}

export async function readForecastFile(path: string, opts: ForecastReadOptions = {}): Promise<ForecastFile> {
  const skuCol = opts.skuCol ?? 'sku';
  const dateColName = opts.dateCol ?? 'date';
  const forecastCol = opts.forecastCol ?? 'forecast';
  let source: ForecastSource | undefined;
  // One pass: cell problems and duplicate dates are reported together (spacing needs both fixed).
  const problems = new ProblemCollector();
  const table = await readTable(path, {
    collect: problems,
    what: 'forecast file',
    delimiter: opts.delimiter,
    decimal: opts.decimal,
    dateFormat: opts.dateFormat,
    stdin: opts.stdin,
    columns: (header, line) => {
      const named = (name: string, as: string): ColumnSpec => ({ ...FORECAST_CONTRACT.rule(name), name: as });
      const columns: ColumnSpec[] = [named('sku', skuCol), named('date', dateColName), named('forecast', forecastCol)];
      const choice = opts.point ?? 'auto';
      const point = choice === 'auto' ? (header.includes('p10') && header.includes('p90') ? 'median' : 'mean') : choice;
      const interval = header.includes('sd') && opts.intervalCols === undefined && point === 'mean' ? undefined : findInterval(header, forecastCol, opts);
      if (point === 'median' && interval === undefined && header.includes(forecastCol)) {
        throw new InputError(`${displayName(path)}: --point median needs an interval around the forecast, and there is none`, [{ file: displayName(path), line, message: 'missing interval columns', value: header.join(opts.delimiter ?? ',') }],
          `add p10,p90 columns or ${forecastCol}-lo-80,${forecastCol}-hi-80 (statsforecast), or name them with --interval-cols LO,HI [--interval-level 80], or read the forecast as a mean with --point mean`);
      }
      if (interval === undefined) {
        if (!header.includes('sd') && header.includes(skuCol) && header.includes(dateColName) && header.includes(forecastCol)) {
          throw new InputError(`${displayName(path)}: no sd column and no interval to derive it from`, [{ file: displayName(path), line, message: 'missing column sd', value: header.join(opts.delimiter ?? ',') }],
            `add an sd column, or interval columns ${forecastCol}-lo-80,${forecastCol}-hi-80 (statsforecast) or p10,p90, or name them with --interval-cols LO,HI [--interval-level 80]`);
        }
        source = { sku: skuCol, date: dateColName, forecast: forecastCol, point: 'mean', sd: { column: 'sd' } };
        columns.push(FORECAST_CONTRACT.rule('sd'), FORECAST_CONTRACT.rule('p10'), FORECAST_CONTRACT.rule('p90'));
      } else {
        const z = normInv((1 + interval.level / 100) / 2);
        source = { sku: skuCol, date: dateColName, forecast: forecastCol, point, sd: { ...interval, z } };
        // A stockcast file read as the median: p10/p90 may be empty on a row (the contract allows
        // it), which then keeps its forecast and sd; the sd column is checked as its contract says.
        const ownFile = point === 'median' && header.includes('sd');
        const boundRule = (name: string) => (ownFile && (name === 'p10' || name === 'p90') ? FORECAST_CONTRACT.rule(name) : intervalBoundRule(name));
        columns.push(boundRule(interval.lo), boundRule(interval.hi));
        if (ownFile) columns.push(FORECAST_CONTRACT.rule('sd'));
      }
      columns.push(FORECAST_CONTRACT.rule('model'));
      if (header.includes(ERROR_CORR_RULE.name)) columns.push(ERROR_CORR_RULE);
      return columns;
    },
  });
  const file = table.file;
  const dateCol = table.header.indexOf(dateColName) + 1;
  const src = source!;
  const sdOf = sdReader(src, table.header, file, problems);
  const momentsOf = (row: TableRow): { mean: number; sd: number } => {
    const forecast = row.values[forecastCol] as number;
    const s = src.sd;
    if (src.point === 'mean' || 'column' in s) return { mean: forecast, sd: sdOf(row) };
    const lo = row.values[s.lo];
    const hi = row.values[s.hi];
    // Empty p10/p90 of a stockcast row: its forecast and sd as they are.
    if (typeof lo !== 'number' || typeof hi !== 'number' || Number.isNaN(lo) || Number.isNaN(hi)) return { mean: forecast, sd: row.values.sd as number };
    const checked = sdOf(row);
    return Number.isNaN(checked) ? { mean: Number.NaN, sd: checked } : momentsFromMedian(forecast, lo, hi, s.z);
  };

  const points = new Map<string, Point[]>();
  for (const row of table.rows) {
    // A row with a bad cell still takes part in the duplicate check (its problems are already listed).
    const sku = row.values[skuCol];
    const day = row.values[dateColName];
    if (typeof sku !== 'string' || typeof day !== 'number') continue;
    let list = points.get(sku);
    if (list === undefined) points.set(sku, (list = []));
    const corr = row.values[ERROR_CORR_RULE.name];
    list.push({ day, ...momentsOf(row), line: row.line, ...(typeof corr === 'number' ? { corr } : {}) });
  }

  // Duplicates first; the smallest positive gap of every SKU then tells the frequency.
  const gaps = new Set<number>();
  for (const [sku, list] of points) {
    list.sort((a, b) => a.day - b.day || a.line - b.line);
    for (let i = 1; i < list.length; i++) {
      const gap = list[i]!.day - list[i - 1]!.day;
      if (gap === 0) {
        problems.add({
          file,
          line: list[i]!.line,
          column: dateCol,
          columnName: dateColName,
          value: formatDay(list[i]!.day),
          message: `duplicate forecast for SKU ${safeText(sku, 40)} (first on line ${list[i - 1]!.line})`,
          expected: 'one row per sku and date',
        });
      } else gaps.add(gap);
    }
  }
  problems.sortByPlace().throwIfAny(`${file}: invalid forecast file`);

  let freq: Freq;
  const minGap = gaps.size === 0 ? undefined : Math.min(...gaps);
  if (opts.freq !== undefined) freq = opts.freq;
  else if (minGap === 1) freq = 'D';
  else if (minGap === 7) freq = 'W';
  else if (minGap === undefined) {
    throw new InputError(`${file}: cannot tell daily from weekly forecasts with one date per SKU`, [], 'pass --freq D or --freq W');
  } else {
    throw new InputError(`${file}: forecast dates are ${minGap} days apart`, [], 'expected daily (1 day apart) or weekly (7 days apart) forecasts');
  }
  const step = FREQ_STEP_DAYS[freq];

  const bySku = new Map<string, ForecastSeries>();
  for (const [sku, list] of [...points].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    for (let i = 1; i < list.length; i++) {
      const gap = list[i]!.day - list[i - 1]!.day;
      if (gap !== step) {
        problems.add({
          file,
          line: list[i]!.line,
          column: dateCol,
          columnName: dateColName,
          value: formatDay(list[i]!.day),
          message: `irregular spacing for SKU ${safeText(sku, 40)}: ${gap} days after ${formatDay(list[i - 1]!.day)} (line ${list[i - 1]!.line})`,
          expected: `${freq === 'D' ? 'daily' : 'weekly'} dates without gaps (${step} day${step === 1 ? '' : 's'} apart)`,
        });
      }
    }
    // One correlation per SKU: the largest of its rows (a wider lead-time demand when they differ).
    const corrs = list.flatMap((p) => (p.corr === undefined ? [] : [p.corr]));
    bySku.set(sku, {
      days: Int32Array.from(list, (p) => p.day),
      mean: Float64Array.from(list, (p) => p.mean),
      sd: Float64Array.from(list, (p) => p.sd),
      ...(corrs.length > 0 ? { errorCorr: corrs.reduce((a, b) => Math.max(a, b)) } : {}),
    });
  }
  problems.throwIfAny(`${file}: invalid forecast file`);
  return { freq, step, bySku, source: src };
}

/** The sd of a row: the sd cell, or (hi - lo) / (2 z) from the interval, checked (no negative or inverted interval). */
function sdReader(src: ForecastSource, header: string[], file: string, problems: ProblemCollector): (row: TableRow & { invalid?: boolean }) => number {
  const s = src.sd;
  if ('column' in s) return (row) => row.values[s.column] as number;
  const loAt = header.indexOf(s.lo) + 1;
  const hiAt = header.indexOf(s.hi) + 1;
  return (row) => {
    const lo = row.values[s.lo];
    const hi = row.values[s.hi];
    if (typeof lo !== 'number' || typeof hi !== 'number') return Number.NaN;
    if (hi < 0) {
      problems.add({ file, line: row.line, column: hiAt, columnName: s.hi, value: String(hi), message: 'negative interval: demand cannot be below 0', expected: 'an upper bound >= 0' });
      return Number.NaN;
    }
    if (hi < lo) {
      problems.add({ file, line: row.line, column: hiAt, columnName: s.hi, value: String(hi), message: `inverted interval: ${s.hi} is below ${s.lo} (${lo}, column ${loAt})`, expected: `${s.hi} >= ${s.lo}` });
      return Number.NaN;
    }
    return (hi - lo) / (2 * s.z);
  };
}
