/**
 * The promotion plan (`--future`): known covariates for the forecast periods, same columns as the
 * sales history (date, sku, covariates; other columns such as units are ignored). Every SKU needs a
 * row for every forecast date; missing rows (and empty covariate cells) are an error listing them,
 * unless a fill policy is asked: `last` repeats the SKU's last known value (from earlier plan rows,
 * else its history), `zero` uses 0.
 * Its columns are the plan contract's (core/contracts/plan.ts), named by `--date-col`/`--sku-col`.
 */
import { InputError, type Problem, ProblemCollector } from '../errors.js';
import { type CovariateRange, farOutside, planValueProblem } from '../core/covariate-ranges.js';
import type { FuturePlan } from '../core/types.js';
import { safeText, showValue } from '../text-safe.js';
import type { SalesData, Series } from '../core/types.js';
import { displayName } from './csv-in.js';
import { readTable } from './typed-table.js';
import { planContract } from '../core/contracts/plan.js';
import { MISSING_CELLS } from '../core/contracts/sales.js';
import { type DateFormat, formatDay } from '../core/calendar.js';

export type PlanFill = 'last' | 'zero';
export const PLAN_FILLS: readonly PlanFill[] = ['last', 'zero'];

export interface PlanOptions {
  dateCol: string;
  skuCol: string;
  dateFormat: DateFormat;
  delimiter: string;
  /** Decimal mark of numeric cells (`--decimal`); undefined = '.'. */
  decimal?: '.' | ',';
  /** Covariates the model needs, in model order. */
  covariates: string[];
  /** Last history period (day number) and forecast steps after it. */
  origin: number;
  horizon: number;
  fill?: PlanFill;
  stdin?: NodeJS.ReadableStream;
  /** What the model learned per covariate (model order): plan values are checked against it. */
  ranges?: CovariateRange[];
}

/** Plan values far outside the training range: warned about, not refused. */
export interface PlanFar {
  count: number;
  examples: string[];
}

function lastKnown(s: Series | undefined, k: number): number {
  if (s === undefined || k < 0) return 0;
  const c = s.covariates[k]!;
  for (let i = c.length - 1; i >= 0; i--) if (Number.isFinite(c[i]!)) return c[i]!;
  return 0;
}

/** Rows of a plan as a table: (sku, date) -> covariate values, in model order. */
export type PlanRows = Map<string, Map<number, number[]>>;

/**
 * The plan's rows. Under a fill policy an empty (or NA) covariate cell is read as NaN, filled by
 * assemblePlan as a missing row's would be, and counted in `filled`; without one it is an error
 * whose hint names --plan-fill.
 */
export async function readPlanRows(path: string, opts: PlanOptions, far?: PlanFar, filled?: { count: number }): Promise<PlanRows> {
  const problems = new ProblemCollector();
  const covariates = new Set(opts.covariates);
  const table = await readTable(path, {
    what: 'promotion plan',
    columns: planContract(opts.covariates, { date: opts.dateCol, sku: opts.skuCol })
      .rules()
      .map((c) => (opts.fill !== undefined && covariates.has(c.name) ? { ...c, allowEmpty: true, naIsEmpty: true } : c)),
    dateFormat: opts.dateFormat,
    delimiter: opts.delimiter,
    decimal: opts.decimal,
    stdin: opts.stdin,
    collect: problems,
  });
  const emptyCells = problems.problems.some((p) => p.columnName !== undefined && covariates.has(p.columnName) && MISSING_CELLS.has((p.value ?? '').trim()));
  problems.throwIfAny(`${table.file}: invalid promotion plan`, emptyCells ? 'fill the empty or NA cells, or pass --plan-fill last (the SKU\'s previous value) or --plan-fill zero' : undefined);
  const rows: PlanRows = new Map();
  const columnOf = opts.covariates.map((c) => table.header.indexOf(c) + 1);
  for (const r of table.rows) {
    const sku = r.values[opts.skuCol] as string;
    const day = r.values[opts.dateCol] as number;
    let bad = false;
    if (filled !== undefined) for (const c of opts.covariates) if (Number.isNaN(r.values[c] as number)) filled.count++;
    opts.ranges?.forEach((range, k) => {
      const v = r.values[opts.covariates[k]!] as number;
      if (Number.isNaN(v)) return; // filled by assemblePlan, whose values checkPlanValues checks
      const p = planValueProblem(range, v);
      if (p !== undefined) {
        problems.add({ file: table.file, line: r.line, column: columnOf[k], columnName: range.name, value: String(v), message: `${p.message}, so the model never saw this value`, expected: p.expected });
        bad = true;
      } else if (far !== undefined && farOutside(range, v)) {
        far.count++;
        if (far.examples.length < 5) far.examples.push(`${table.file}:${r.line}:${columnOf[k]} ${range.name}=${v} (trained on ${range.min} to ${range.max})`);
      }
    });
    if (bad) continue;
    let bySku = rows.get(sku);
    if (bySku === undefined) rows.set(sku, (bySku = new Map()));
    if (bySku.has(day)) {
      problems.add({ file: table.file, line: r.line, message: `duplicate plan row for ${safeText(sku, 40)} on ${formatDay(day)}`, expected: 'one row per sku and date' });
      continue;
    }
    bySku.set(
      day,
      opts.covariates.map((c) => r.values[c] as number),
    );
  }
  problems.throwIfAny(`${table.file}: invalid promotion plan`);
  return rows;
}

/**
 * Assemble the FuturePlan for every SKU of `history` over the forecast dates. Without a plan file
 * (`rows` undefined) every value is filled by the policy; without a policy missing rows are an error.
 * `filledRows` counts the rows of a plan file that the policy filled.
 */
export function assemblePlan(history: SalesData, rows: PlanRows | undefined, opts: PlanOptions, file?: string, filledRows?: { count: number }): FuturePlan {
  const plan: FuturePlan = new Map();
  const step = history.step;
  const missing = new ProblemCollector(20);
  const dataIndex = new Map(history.covariates.map((c, k) => [c, k]));
  for (const s of history.series) {
    const bySku = rows?.get(s.sku);
    const arrays = opts.covariates.map(() => new Float64Array(opts.horizon));
    const absent: number[] = [];
    // The fill policy's value of covariate k at step h: 0, or the step before's, else the SKU's last history value.
    const filledAt = (k: number, h: number): number => (opts.fill === 'zero' ? 0 : h > 0 ? arrays[k]![h - 1]! : lastKnown(s, dataIndex.get(opts.covariates[k]!) ?? -1));
    for (let h = 0; h < opts.horizon; h++) {
      const day = opts.origin + (h + 1) * step;
      const vals = bySku?.get(day);
      if (vals !== undefined) {
        // An empty cell (NaN: read only under a fill policy) is filled as a missing row's value.
        vals.forEach((v, k) => (arrays[k]![h] = Number.isNaN(v) ? filledAt(k, h) : v));
        continue;
      }
      if (opts.fill === undefined) {
        absent.push(day);
        continue;
      }
      if (filledRows !== undefined && rows !== undefined) filledRows.count++;
      opts.covariates.forEach((_, k) => (arrays[k]![h] = filledAt(k, h)));
    }
    if (absent.length > 0) {
      const shown = absent.slice(0, 5).map(formatDay).join(', ');
      const more = absent.length > 5 ? ` and ${absent.length - 5} more` : '';
      const p: Problem = { file: file === undefined ? undefined : displayName(file), message: `no plan row for sku ${safeText(s.sku, 40)} on ${shown}${more}` };
      missing.add(p);
    }
    plan.set(s.sku, arrays);
  }
  if (missing.count > 0) {
    throw new InputError(
      `${file === undefined ? 'promotion plan' : displayName(file)}: missing plan rows for ${missing.count} SKU${missing.count === 1 ? '' : 's'} (forecast dates ${formatDay(opts.origin + step)} to ${formatDay(opts.origin + opts.horizon * step)})`,
      missing.problems,
      'add the rows, or pass --plan-fill last (repeat the last known values) or --plan-fill zero',
      missing.count - missing.problems.length,
    );
  }
  return plan;
}

/**
 * Values set by --plan-fill (or the plan) that the model cannot use: `--plan-fill zero` on a price
 * gives 0. Throws InputError listing them (exit 2).
 */
export function checkPlanValues(plan: FuturePlan, ranges: CovariateRange[], origin: (sku: string) => number, step: number, fill: PlanFill | undefined): void {
  const problems = new ProblemCollector(20);
  for (const [sku, arrays] of plan) {
    ranges.forEach((range, k) => {
      const a = arrays[k]!;
      for (let h = 0; h < a.length; h++) {
        const p = planValueProblem(range, a[h]!);
        if (p === undefined) continue;
        problems.add({ message: `SKU ${safeText(sku, 40)} on ${formatDay(origin(sku) + (h + 1) * step)}: ${range.name} ${a[h]} ${fill === undefined ? '' : `(from --plan-fill ${fill}) `}but ${p.message}`, expected: p.expected });
        break;
      }
    });
  }
  problems.throwIfAny('promotion plan: values the model cannot use', fill === 'zero' ? 'use --plan-fill last, or give the rows in --future' : undefined);
}

/**
 * Plan rows nobody asked for: SKUs not in the history and rows dated before a SKU's first forecast
 * period (a stale plan?) are warnings; rows after the horizon (a plan that reaches further than
 * the forecast, which is normal) are a note.
 */
export function ignoredPlanRows(rows: PlanRows, history: SalesData, origin: (sku: string) => number, horizon: number): { warnings: string[]; notes: string[] } {
  const known = new Set(history.series.map((s) => s.sku));
  const step = history.step;
  let unknownRows = 0;
  const unknownSkus: string[] = [];
  const before = { count: 0, examples: [] as string[] };
  const after = { count: 0, examples: [] as string[] };
  for (const [sku, byDay] of rows) {
    if (!known.has(sku)) {
      unknownRows += byDay.size;
      unknownSkus.push(sku);
      continue;
    }
    const o = origin(sku);
    for (const day of byDay.keys()) {
      const h = (day - o) / step;
      if (h >= 1 && h <= horizon && Number.isInteger(h)) continue;
      const bucket = h > horizon ? after : before;
      bucket.count++;
      if (bucket.examples.length < 5) bucket.examples.push(`${safeText(sku, 40)} ${formatDay(day)}`);
    }
  }
  const more = (n: number) => (n > 5 ? ', ...' : '');
  const warnings: string[] = [];
  const notes: string[] = [];
  if (unknownRows > 0) {
    const shown = unknownSkus.slice(0, 5).map((s) => showValue(s, 40)).join(', ');
    warnings.push(`${unknownRows} plan row(s) for ${unknownSkus.length} SKU(s) not in the sales history are ignored: ${shown}${more(unknownSkus.length)}`);
  }
  if (before.count > 0) {
    warnings.push(`${before.count} plan row(s) dated on or before their SKU's last sales period, or off its ${step === 7 ? 'weekly' : 'daily'} grid, are ignored: ${before.examples.join(', ')}${more(before.count)}`);
  }
  if (after.count > 0) notes.push(`${after.count} plan row(s) after the ${horizon}-period horizon are not used (e.g. ${after.examples.slice(0, 2).join(', ')})`);
  return { warnings, notes };
}
