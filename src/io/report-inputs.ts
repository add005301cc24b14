/** The report's input files, parsed into src/report/types.ts shapes. Problems are listed all at once. */
import { InputError } from '../errors.js';
import { forecastBands, groupModelColumns } from '../core/contracts/report-columns.js';
import type { EvaluationInput, EvaluationRow, ForecastInput, ForecastSkuInput, ModelColumns, SkuTableInput, SummaryInput } from '../core/contracts/report-inputs.js';
import { formatDay } from '../core/calendar.js';
import { CellReader, type LooseReadOptions, type LooseRow, type LooseTable, readLooseTable } from './report-files.js';

const bySkuThenDay = <T extends { sku: string; day: number }>(a: T, b: T) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.day - b.day);

/** `forecast predict` output (sku,date,forecast[,sd,p10,p90,model]) or any file with those first three. */
export async function readReportForecast(path: string, opts: LooseReadOptions = {}): Promise<ForecastInput> {
  const what = 'forecast file';
  const t = await readLooseTable(path, what, ['sku', 'date', 'forecast'], opts);
  const r = new CellReader(t);
  const bands = forecastBands(t.header);
  const cols = [...new Set(bands.flatMap((b) => [b.lo, b.hi]))];
  const rows: { sku: string; day: number; line: number; mean: number; levels: (number | null)[]; model?: string }[] = [];
  for (const row of t.rows) {
    const sku = r.text(row, 'sku');
    const day = r.day(row, 'date');
    const mean = r.number(row, 'forecast');
    if (mean === undefined && row.cells.forecast === '') r.problems.add({ file: t.file, line: row.line, column: t.header.indexOf('forecast') + 1, columnName: 'forecast', value: '', message: 'empty value', expected: 'a finite number' });
    const levels = cols.map((c) => r.number(row, c) ?? null);
    if (sku === undefined || day === undefined || mean === undefined) continue;
    rows.push({ sku, day, line: row.line, mean, levels, model: row.cells.model || undefined });
  }
  r.throwIfAny(what);
  rows.sort((a, b) => bySkuThenDay(a, b) || a.line - b.line);
  const bySku = new Map<string, ForecastSkuInput>();
  for (let i = 0; i < rows.length; i++) {
    const p = rows[i]!;
    const prev = rows[i - 1];
    if (prev !== undefined && prev.sku === p.sku && prev.day === p.day) {
      r.problems.add({ file: t.file, line: p.line, column: t.header.indexOf('date') + 1, columnName: 'date', value: formatDay(p.day), message: `duplicate forecast for SKU ${p.sku} (first on line ${prev.line})`, expected: 'one row per sku and date' });
      continue;
    }
    let s = bySku.get(p.sku);
    if (s === undefined) bySku.set(p.sku, (s = { days: [], mean: [], levels: Object.fromEntries(cols.map((c) => [c, []])), models: [] }));
    s.days.push(p.day);
    s.mean.push(p.mean);
    cols.forEach((c, k) => s.levels[c]!.push(p.levels[k]!));
    if (p.model !== undefined && !s.models.includes(p.model)) s.models.push(p.model);
  }
  r.throwIfAny(what);
  return { file: t.file, bands, bySku };
}

/**
 * evaluate's saved holdout forecasts: sku,cutoff,date,actual plus per-model columns (`lstm`,
 * `lstm-p10`, `naive` ...). `cutoff` and `actual` may be missing; unknown text columns are ignored.
 */
export async function readReportEvaluation(path: string, opts: LooseReadOptions = {}): Promise<EvaluationInput> {
  const what = 'evaluation forecasts file';
  const pivot = pivotLong(await readLooseTable(path, what, ['sku', 'date'], opts));
  const t = pivot.table;
  const r = new CellReader(t);
  const keys = ['sku', 'cutoff', 'date', 'actual', 'origin', 'horizon', 'h', 'step'];
  // A model column must hold numbers: drop text columns (a `model` or `freq` column, say).
  const numeric = (col: string) => t.rows.some((row) => r.maybeNumber(row, col) !== undefined) && t.rows.every((row) => row.cells[col] === '' || r.maybeNumber(row, col) !== undefined);
  const models = pivot.models ?? groupModelColumns(t.header.filter((c) => keys.includes(c) || numeric(c)), keys);
  if (models.length === 0) throw new InputError(`${t.file}: no model columns in ${what}`, [], 'expected sku,cutoff,date,actual and one numeric column per model (e.g. lstm,lstm-p10,lstm-p90,naive)');
  const cols = [...new Set(models.flatMap((m) => [m.point, ...m.bands.flatMap((b) => [b.lo, b.hi])].filter((c): c is string => c !== undefined)))];
  const rows: EvaluationRow[] = [];
  for (const row of t.rows) {
    const sku = r.text(row, 'sku');
    const day = r.day(row, 'date');
    const cutoff = row.cells.cutoff === undefined || row.cells.cutoff === '' ? undefined : r.day(row, 'cutoff');
    const actual = r.number(row, 'actual');
    const values: Record<string, number | undefined> = {};
    for (const c of cols) values[c] = r.number(row, c);
    if (sku === undefined || day === undefined) continue;
    rows.push({ sku, cutoff, day, actual, values });
  }
  r.throwIfAny(what);
  rows.sort((a, b) => bySkuThenDay(a, b) || (a.cutoff ?? 0) - (b.cutoff ?? 0));
  return { file: t.file, models, rows };
}

/**
 * A long file (`sku,cutoff,date,actual,model,forecast[,p10,p90,...]`: one row per model) turned wide:
 * one row per sku, cutoff and date with `<model>`, `<model>-p10` ... columns. A wide file is returned
 * as it is.
 */
export function pivotLong(t: LooseTable): { table: LooseTable; models?: ModelColumns[] } {
  const point = ['forecast', 'mean', 'point', 'p50'].find((c) => t.header.includes(c));
  if (!t.header.includes('model') || point === undefined) return { table: t };
  const keys = ['sku', 'cutoff', 'date', 'actual'].filter((c) => t.header.includes(c));
  const levels = t.header.filter((c) => /^(p\d{1,2}(\.\d+)?|(lo|hi)-\d+(\.\d+)?)$/i.test(c) && c !== point);
  // Columns of any other kind mean a wide file that happens to have a `model` column.
  if (t.header.some((c) => ![...keys, 'model', point, ...levels, 'sd', 'origin', 'horizon', 'h', 'step'].includes(c))) return { table: t };
  const bands = forecastBands(levels);
  const models: ModelColumns[] = [];
  const header = [...keys];
  const byKey = new Map<string, LooseRow>();
  for (const row of t.rows) {
    const id = keys.filter((k) => k !== 'actual').map((k) => row.cells[k]).join('\u0000');
    let wide = byKey.get(id);
    if (wide === undefined) byKey.set(id, (wide = { line: row.line, cells: Object.fromEntries(keys.map((k) => [k, row.cells[k]!])) }));
    if (wide.cells.actual === '' && row.cells.actual) wide.cells.actual = row.cells.actual;
    const model = row.cells.model || 'forecast';
    if (!models.some((m) => m.name === model)) models.push({ name: model, point: model, bands: bands.map((b) => ({ ...b, lo: `${model}-${b.lo}`, hi: `${model}-${b.hi}` })) });
    const put = (col: string, v: string) => {
      if (!header.includes(col)) header.push(col);
      wide!.cells[col] = v;
    };
    put(model, row.cells[point]!);
    for (const l of levels) put(`${model}-${l}`, row.cells[l]!);
  }
  const rows = [...byKey.values()];
  for (const row of rows) for (const c of header) row.cells[c] ??= '';
  return { table: { file: t.file, header, rows }, models };
}

/** A per-SKU CSV (policy, backtest per-SKU): numbers where cells are numbers, the rest as text. */
export async function readSkuTable(path: string, what: string, required: string[], opts: LooseReadOptions = {}): Promise<SkuTableInput> {
  const t = await readLooseTable(path, what, ['sku', ...required], opts);
  const r = new CellReader(t);
  const bySku: SkuTableInput['bySku'] = new Map();
  const lines = new Map<string, number>();
  for (const row of t.rows) {
    const sku = r.text(row, 'sku');
    for (const c of required) r.number(row, c);
    if (sku === undefined) continue;
    const first = lines.get(sku);
    if (first !== undefined) {
      r.problems.add({ file: t.file, line: row.line, column: t.header.indexOf('sku') + 1, columnName: 'sku', value: sku, message: `duplicate SKU (first on line ${first})`, expected: 'one row per SKU' });
      continue;
    }
    lines.set(sku, row.line);
    const numbers: Record<string, number> = {};
    const texts: Record<string, string> = {};
    for (const c of t.header) {
      if (c === 'sku') continue;
      const x = r.maybeNumber(row, c);
      if (x !== undefined) numbers[c] = x;
      else if (row.cells[c] !== '') texts[c] = row.cells[c]!;
    }
    bySku.set(sku, { numbers, texts });
  }
  r.throwIfAny(what);
  return { file: t.file, columns: t.header.filter((c) => c !== 'sku'), bySku };
}

/**
 * backtest's summary CSV (policy,skus,...,fill_rate,cycle_service_level,...,avg_on_hand,...), or any
 * table of service against inventory: each row is labelled by its `policy` (or `name`, `label`,
 * `service_level`, `service_level_target`) column, else by its row number.
 */
export async function readBacktestSummary(path: string, opts: LooseReadOptions = {}): Promise<SummaryInput> {
  const what = 'backtest summary file';
  const t = await readLooseTable(path, what, [], opts);
  if (!t.header.includes('avg_on_hand') || !(t.header.includes('fill_rate') || t.header.includes('cycle_service_level'))) {
    throw new InputError(`${t.file}: a ${what} needs avg_on_hand and fill_rate or cycle_service_level columns`, [
      { file: t.file, line: 1, message: 'header', expected: 'stock backtest summary columns: policy,skus,...,fill_rate,cycle_service_level,...,avg_on_hand,...', value: t.header.join(',') },
    ]);
  }
  const labelCol = ['policy', 'name', 'label', 'service_level', 'service_level_target'].find((c) => t.header.includes(c));
  const r = new CellReader(t);
  const rows: SummaryInput['rows'] = [];
  t.rows.forEach((row, k) => {
    const policy = labelCol === undefined ? `row ${k + 1}` : (r.text(row, labelCol) ?? '');
    const values: Record<string, number> = {};
    for (const c of t.header) {
      if (c === labelCol) continue;
      const x = c === 'policy' ? undefined : r.maybeNumber(row, c);
      if (x !== undefined) values[c] = x;
      else if (['fill_rate', 'cycle_service_level', 'avg_on_hand', 'stockout_rate', 'skus'].includes(c)) r.number(row, c);
    }
    if (labelCol !== undefined && labelCol !== 'policy' && values[labelCol] === undefined) {
      const x = r.maybeNumber(row, labelCol);
      if (x !== undefined) values[labelCol] = x;
    }
    rows.push({ policy, values });
  });
  r.throwIfAny(what);
  return { file: t.file, rows };
}
