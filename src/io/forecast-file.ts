/**
 * Forecast file: any CSV with `sku,date,forecast,sd` (`p10,p90,model` optional and ignored here):
 * stockcast's own `forecast predict` output or another tool's. Daily or weekly, detected from the
 * spacing of the dates; every SKU must be on a regular grid with no gaps or duplicates.
 */
import { safeText } from '../text-safe.js';
import { InputError, ProblemCollector } from '../errors.js';
import { FREQ_STEP_DAYS, type Freq } from '../core/types.js';
import { MAX_UNITS } from './numbers.js';
import { readTable } from './typed-table.js';
import { type DateFormat, formatDay } from '../core/calendar.js';
import type { DecimalMark } from './numbers.js';

export interface ForecastSeries {
  /** Day numbers of the periods, ascending, evenly spaced by `step`. */
  days: Int32Array;
  /** Forecast per period (units per period: per day or per week). */
  mean: Float64Array;
  /** Standard deviation of the forecast error per period. */
  sd: Float64Array;
}

export interface ForecastFile {
  freq: Freq;
  step: number;
  bySku: Map<string, ForecastSeries>;
}

export interface ForecastReadOptions {
  delimiter?: string;
  decimal?: DecimalMark;
  dateFormat?: DateFormat;
  stdin?: NodeJS.ReadableStream;
  /** Frequency when it cannot be detected (one date per SKU) or to enforce it. */
  freq?: Freq;
}

interface Point {
  day: number;
  mean: number;
  sd: number;
  line: number;
}

export async function readForecastFile(path: string, opts: ForecastReadOptions = {}): Promise<ForecastFile> {
  // One pass: cell problems and duplicate dates are reported together (spacing needs both fixed).
  const problems = new ProblemCollector();
  const table = await readTable(path, {
    collect: problems,
    what: 'forecast file',
    delimiter: opts.delimiter,
    decimal: opts.decimal,
    dateFormat: opts.dateFormat,
    stdin: opts.stdin,
    columns: [
      { name: 'sku', kind: 'string' },
      { name: 'date', kind: 'date' },
      // Ceilings keep sums over a lead time finite (docs/input-format.md: forecast files).
      { name: 'forecast', kind: 'number', min: 0, max: MAX_UNITS },
      { name: 'sd', kind: 'number', min: 0, max: MAX_UNITS },
      { name: 'p10', kind: 'number', required: false, allowEmpty: true, min: -MAX_UNITS, max: MAX_UNITS },
      { name: 'p90', kind: 'number', required: false, allowEmpty: true, min: -MAX_UNITS, max: MAX_UNITS },
      { name: 'model', kind: 'string', required: false, allowEmpty: true },
    ],
  });
  const file = table.file;
  const dateCol = table.header.indexOf('date') + 1;

  const points = new Map<string, Point[]>();
  for (const row of table.rows) {
    // A row with a bad cell still takes part in the duplicate check (its problems are already listed).
    if (typeof row.values.sku !== 'string' || typeof row.values.date !== 'number') continue;
    const sku = row.values.sku;
    let list = points.get(sku);
    if (list === undefined) points.set(sku, (list = []));
    list.push({ day: row.values.date as number, mean: row.values.forecast as number, sd: row.values.sd as number, line: row.line });
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
          columnName: 'date',
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
          columnName: 'date',
          value: formatDay(list[i]!.day),
          message: `irregular spacing for SKU ${safeText(sku, 40)}: ${gap} days after ${formatDay(list[i - 1]!.day)} (line ${list[i - 1]!.line})`,
          expected: `${freq === 'D' ? 'daily' : 'weekly'} dates without gaps (${step} day${step === 1 ? '' : 's'} apart)`,
        });
      }
    }
    bySku.set(sku, {
      days: Int32Array.from(list, (p) => p.day),
      mean: Float64Array.from(list, (p) => p.mean),
      sd: Float64Array.from(list, (p) => p.sd),
    });
  }
  problems.throwIfAny(`${file}: invalid forecast file`);
  return { freq, step, bySku };
}
