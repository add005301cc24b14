/**
 * The sales-history reader every command uses: a long-format CSV (one row per SKU and period) is
 * streamed through csv-parse into typed columns, validated in one pass (every problem reported with
 * file:line:column, up to a cap), then sorted and laid on a regular daily or weekly grid per SKU.
 * Its columns, bounds and cell words are the sales contract's (core/contracts/sales.ts; the header
 * layout in sales-cells.ts). Semantics and policies: docs/input-format.md.
 */
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { InputError, ProblemCollector } from '../errors.js';
import type { Freq, IngestOptions, SalesData } from '../core/types.js';
import { RECORD_DELIMITERS, displayName, openSource, readFailure, wrongDelimiterHint } from './csv-in.js';
import { isSystemError } from './fs-ops.js';
import { parseDay, timeOfDay, timeOfDayMessage } from '../core/calendar.js';
import { buildSales } from './sales-build.js';
import { BOOLEAN_CELLS } from '../core/contracts/sales.js';
import { DECIMAL_COMMA, numberCellFor, numberProblem, numberProblemWith } from './numbers.js';
import { cellText, isMissing, type Layout, layout, outOfBounds } from './sales-cells.js';
import { Float64Column, Int32Column, type RawSales } from './sales-columns.js';

export { numberCell } from './sales-cells.js';

export interface IngestReport {
  file: string;
  /** Data rows read (header and blank lines excluded). */
  rows: number;
  skus: number;
  /** Day numbers of the earliest and latest date over all SKUs. */
  firstDay: number;
  lastDay: number;
  freq: Freq;
  /** False when --freq was given. */
  freqDetected: boolean;
  /** SKUs with missing periods inside their history: count and longest run. */
  gaps: { sku: string; missing: number; longest: number }[];
  /** Rows with negative units (clipped, kept or rejected per --negative). */
  negatives: number;
  /** Duplicate (sku, date) rows merged by --aggregate sum. */
  duplicatesAggregated: number;
  /** SKUs with a single row. */
  shortSkus: string[];
  /** Non-numeric columns that were not used as covariates. */
  ignoredColumns: string[];
  /** Rows whose target cell was empty or NA (kept as missing periods). */
  missingTargets: number;
  /** Empty or NA covariate cells, filled from the neighbouring periods of the same SKU. */
  covariateCellsFilled: number;
}

export interface SalesReadResult {
  data: SalesData;
  report: IngestReport;
  warnings: string[];
}

export interface ReadSalesIO {
  /** Read when the path is `-`. */
  stdin?: NodeJS.ReadableStream;
  /** Name used in messages (default: the path; `<stdin>` for `-`). */
  name?: string;
  /** Called about every megabyte read; `total` is the file size (undefined for stdin). */
  progress?: (bytes: number, total: number | undefined) => void;
}

/** Read and validate a sales CSV (`-` = stdin). Throws InputError listing every problem found. */
export async function readSales(
  path: string,
  opts: IngestOptions,
  io: ReadSalesIO = {},
): Promise<SalesReadResult> {
  const file = io.name ?? displayName(path);
  const problems = new ProblemCollector();
  const warnings: string[] = [];
  const input = await openSource(path, io.stdin, file);
  if (io.progress !== undefined) {
    const report = io.progress;
    const total = path === '-' ? undefined : (await stat(path)).size;
    let bytes = 0;
    let next = 0;
    input.on('data', (chunk: Buffer | string) => {
      bytes += chunk.length;
      if (bytes >= next) {
        next = bytes + 2 ** 20;
        report(bytes, total);
      }
    });
  }

  let lay: Layout | undefined;
  let nextLine = 1;
  let rows = 0;
  let negatives = 0;
  let missingTargets = 0;
  const skuIds = new Map<string, number>();
  const skuNames: string[] = [];
  const dayCache = new Map<string, number>();
  const skuCol = new Int32Column();
  const dayCol = new Int32Column();
  const unitsCol = new Float64Column();
  const lineCol = new Int32Column();
  let covCols: Float64Column[] = [];
  /** Auto-detected covariate columns found to hold text: index -> note. */
  const textColumns = new Map<number, string>();
  let covMissing: number[] = [];
  let covRow = new Float64Array(0);

  // Chosen once: with the default '.', this is numberCell itself.
  const num = numberCellFor(opts.decimal);
  const onRecord = (fields: string[]): void => {
    const line = nextLine;
    nextLine++;
    for (let f = 0; f < fields.length; f++) if (fields[f]!.indexOf('\n') >= 0) nextLine += fields[f]!.split('\n').length - 1;
    if (fields.length === 1 && fields[0]!.trim() === '') return; // blank line
    if (lay === undefined) {
      lay = layout(fields.map((h) => h.trim()), opts, file, line);
      covCols = lay.cov.map(() => new Float64Column());
      covMissing = lay.cov.map(() => 0);
      covRow = new Float64Array(lay.cov.length);
      return;
    }
    rows++;
    const L = lay;
    if (fields.length !== L.header.length) {
      problems.add({ file, line, message: 'wrong number of fields', expected: `${L.header.length} fields as in the header`, value: `${fields.length} fields` });
      return;
    }
    let ok = true;
    const dateText = cellText(fields[L.date]!);
    let day = dayCache.get(dateText);
    if (day === undefined) {
      day = parseDay(dateText, opts.dateFormat);
      if (dayCache.size > 100_000) dayCache.clear();
      dayCache.set(dateText, day);
    }
    if (Number.isNaN(day)) {
      const time = timeOfDay(dateText, opts.dateFormat);
      if (time !== undefined) problems.add({ file, line, column: L.date + 1, columnName: opts.dateCol, message: timeOfDayMessage(time), value: fields[L.date] });
      else problems.add({ file, line, column: L.date + 1, columnName: opts.dateCol, message: 'not a valid date', expected: `a date as ${opts.dateFormat} (see --date-format)`, value: fields[L.date] });
      ok = false;
    }
    const sku = cellText(fields[L.sku]!);
    if (sku === '') {
      problems.add({ file, line, column: L.sku + 1, columnName: opts.skuCol, message: 'empty SKU', expected: 'a SKU id', value: fields[L.sku] });
      ok = false;
    }
    const unitsText = cellText(fields[L.target]!);
    let units = Number.NaN;
    if (isMissing(unitsText)) missingTargets++;
    else {
      units = num(unitsText);
      if (Number.isNaN(units)) {
        problems.add({
          file, line, column: L.target + 1, columnName: opts.targetCol, value: fields[L.target],
          message: numberProblemWith(unitsText, opts.decimal),
          expected: 'a finite number of units (empty or NA for an unknown period)',
        });
        ok = false;
      } else if (outOfBounds(L.targetRule, units)) {
        problems.add({ file, line, column: L.target + 1, columnName: opts.targetCol, value: fields[L.target], message: 'out of range', expected: 'at most 1e12 units per period' });
        ok = false;
      } else if (units < 0) {
        negatives++;
        if (opts.negative === 'zero') units = 0;
        else if (opts.negative === 'error') {
          problems.add({ file, line, column: L.target + 1, columnName: opts.targetCol, value: fields[L.target], message: 'negative units', expected: 'units >= 0 (or --negative zero|keep)' });
          ok = false;
        }
      }
    }
    for (let c = 0; c < L.cov.length; c++) {
      const at = L.cov[c]!;
      if (textColumns.has(at)) continue;
      const text = cellText(fields[at]!);
      let v: number;
      if (isMissing(text)) {
        v = Number.NaN;
        covMissing[c]!++;
      } else {
        v = num(text);
        if (Number.isNaN(v)) v = BOOLEAN_CELLS.get(text) ?? Number.NaN;
        if (Number.isNaN(v)) {
          // A decimal comma (`4,99`) is not text: dropping the column would lose a covariate silently.
          if (!L.explicit && numberProblem(text) === 'not a number' && (opts.decimal === ',' || !DECIMAL_COMMA.test(text))) {
            textColumns.set(at, `${file}:${line}:${at + 1} has ${JSON.stringify(text.slice(0, 40))}`);
            continue;
          }
          problems.add({
            file, line, column: at + 1, columnName: L.covNames[c], value: fields[at],
            message: numberProblemWith(text, opts.decimal),
            expected: 'a number, TRUE/FALSE, or empty/NA for unknown',
          });
          ok = false;
        }
      }
      if (outOfBounds(L.covariateRules[c]!, v)) {
        problems.add({ file, line, column: at + 1, columnName: L.covNames[c], value: fields[at], message: 'out of range', expected: 'a covariate between -1e12 and 1e12' });
        ok = false;
      }
      covRow[c] = v;
    }
    if (!ok || problems.count > 0) return; // stop storing once the file is known to be bad
    let id = skuIds.get(sku);
    if (id === undefined) {
      id = skuNames.length;
      skuIds.set(sku, id);
      skuNames.push(sku);
    }
    skuCol.push(id);
    dayCol.push(day);
    unitsCol.push(units);
    lineCol.push(line);
    for (let c = 0; c < covCols.length; c++) covCols[c]!.push(covRow[c]!);
  };

  await new Promise<void>((resolve, reject) => {
    const parser = parse({ bom: true, delimiter: opts.delimiter, record_delimiter: RECORD_DELIMITERS, relax_column_count: true, skip_empty_lines: false });
    input.on('error', (err) => parser.destroy(err));
    parser.on('data', (fields: string[]) => {
      try {
        onRecord(fields);
      } catch (err) {
        parser.destroy(err as Error);
      }
    });
    parser.on('end', resolve);
    parser.on('error', reject);
    input.pipe(parser);
  }).catch((err: unknown) => {
    if (err instanceof InputError) throw err;
    if (isSystemError(err)) throw readFailure(file, err);
    const e = err as Error & { lines?: number; code?: string };
    problems.add({ file, line: e.lines, message: `CSV syntax: ${e.message.replace(/ at line \d+.*$/, '')}`, expected: 'RFC 4180 CSV (quote fields that contain the delimiter, quotes or line breaks)' });
    problems.throwIfAny(`${file}: cannot read the sales file`, wrongDelimiterHint(e.code, opts.delimiter));
  });

  if (lay === undefined) {
    throw new InputError(`${file}: empty file`, [], `expected a header line with at least ${opts.dateCol}, ${opts.skuCol}, ${opts.targetCol}`);
  }
  problems.throwIfAny(`${file}: invalid sales data`);
  if (rows === 0) throw new InputError(`${file}: header only, no data rows`, [], 'expected one row per SKU and period after the header');

  // Columns auto-detected as covariates that turned out to hold text are dropped.
  const keep = lay.cov.map((at) => !textColumns.has(at));
  const ignoredColumns = lay.cov.filter((at) => textColumns.has(at)).map((at) => lay!.header[at]!);
  for (const [at, note] of textColumns) warnings.push(`column ${JSON.stringify(lay.header[at])} is not numeric (${note}): ignored`);
  const covNames = lay.covNames.filter((_, c) => keep[c]);
  const raw: RawSales = {
    skuNames,
    sku: skuCol.view(),
    day: dayCol.view(),
    units: unitsCol.view(),
    line: lineCol.view(),
    covariateNames: covNames,
    covariates: covCols.filter((_, c) => keep[c]).map((col) => col.view()),
  };
  const built = buildSales(raw, opts, file);
  const covariateCellsFilled = covMissing.filter((_, c) => keep[c]).reduce((a, b) => a + b, 0);

  if (negatives > 0 && opts.negative !== 'error') {
    warnings.push(`${negatives} row${negatives === 1 ? '' : 's'} with negative units ${opts.negative === 'zero' ? 'set to 0 (--negative zero; pass --negative keep to keep returns)' : 'kept (--negative keep)'}`);
  }
  if (missingTargets > 0) warnings.push(`${missingTargets} row${missingTargets === 1 ? '' : 's'} with an empty or NA ${opts.targetCol}: treated as missing periods`);
  if (covariateCellsFilled > 0) warnings.push(`${covariateCellsFilled} empty or NA covariate cell${covariateCellsFilled === 1 ? '' : 's'} filled from the previous (or next) period of the same SKU`);
  if (built.covariatesZeroed > 0) warnings.push(`${built.covariatesZeroed} covariate cells set to 0: some SKUs have no value at all for a covariate`);
  if (built.gaps.length > 0) {
    const missing = built.gaps.reduce((a, g) => a + g.missing, 0);
    const worst = built.gaps.reduce((a, g) => (g.longest > a.longest ? g : a));
    warnings.push(
      `${built.gaps.length} SKU${built.gaps.length === 1 ? ' has' : 's have'} missing periods (${missing} in all, longest ${worst.longest} for ${worst.sku}): ` +
        (opts.fill === 'zero' ? 'counted as zero sales (--fill zero)' : 'masked as unknown (--fill missing; pass --fill zero if absent rows mean no sales)'),
    );
  }
  if (built.shortSkus.length > 0) {
    const shown = built.shortSkus.slice(0, 10).join(', ');
    warnings.push(`${built.shortSkus.length} SKU${built.shortSkus.length === 1 ? ' has' : 's have'} a single row: ${shown}${built.shortSkus.length > 10 ? ', ...' : ''}`);
  }
  warnings.push(...built.warnings);

  let firstDay = Number.POSITIVE_INFINITY;
  let lastDay = Number.NEGATIVE_INFINITY;
  for (const s of built.data.series) {
    firstDay = Math.min(firstDay, s.start);
    lastDay = Math.max(lastDay, s.start + (s.units.length - 1) * built.data.step);
  }
  const report: IngestReport = {
    file,
    rows,
    skus: built.data.series.length,
    firstDay,
    lastDay,
    freq: built.data.freq,
    freqDetected: built.freqDetected,
    gaps: built.gaps,
    negatives,
    duplicatesAggregated: built.duplicatesAggregated,
    shortSkus: built.shortSkus,
    ignoredColumns,
    missingTargets,
    covariateCellsFilled,
  };
  return { data: built.data, report, warnings };
}
