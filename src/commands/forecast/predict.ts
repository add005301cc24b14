import { InputError, StockcastError, UsageError } from '../../errors.js';
import { formatDay, parseDay } from '../../core/calendar.js';
import { readModelDir } from '../../io/model-dir.js';
import { emit } from '../../io/output.js';
import { assemblePlan, checkPlanValues, ignoredPlanRows, type PlanFar, type PlanFill, readPlanRows } from '../../io/plan.js';
import { readSales } from '../../io/sales.js';
import { defaultFormat, render } from '../../io/table.js';
import { covariateRanges } from '../../core/covariate-ranges.js';
import type { FuturePlan, SeriesForecast } from '../../models/forecaster.js';
import { LstmForecaster, shippedName } from '../../models/lstm-forecaster.js';
import { checkCompatible } from '../../models/model-compat.js';
import { parseModelMeta } from '../../models/model-meta.js';
import { forecastOrigins, groupByOrigin } from '../../models/origins.js';
import { guardSpread, MIN_SPREAD_EVIDENCE } from '../../models/spread-guard.js';
import { showValue } from '../../text-safe.js';
import { dateWarnings, today } from '../_dates-check.js';
import { absPath, checkPaths, stdinOnce, terminalWidth } from '../_paths.js';
import type { Context } from '../command.js';
import { FORECAST_SUMMARY_COLUMNS, forecastColumnsWith, forecastRows, forecastSummaryRows } from './_forecast-rows.js';
import { ENGINE, startBackend } from './_run-training.js';
import type { PredictOptions } from './predict.options.js';

/** More rows than this on a terminal (without an explicit --format) are summarised per SKU. */
const TERMINAL_ROWS = 200;
/** The last date a forecast can be written with (YYYY-MM-DD). */
const LAST_WRITABLE_DAY = parseDay('9999-12-31');

export async function run(options: PredictOptions, ctx: Context): Promise<void> {
  const path = (p: string) => absPath(ctx, p);
  stdinOnce([['--data', options.data], ['--future', options.future]]);
  await checkPaths(ctx, [['--out', options.out]], [['--data', options.data], ['--future', options.future], ['--model', options.model]]);
  const { meta, files, notes } = await readModelDir(path(options.model), parseModelMeta);
  for (const note of notes) ctx.log.warn(note);
  const horizon = options.horizon ?? meta.horizon;
  if (horizon > meta.horizon) throw new UsageError(`--horizon ${horizon} is longer than the model's horizon ${meta.horizon}`, 'retrain with a longer --horizon');
  const read = await readSales(path(options.data), options.ingest, { stdin: ctx.stdin });
  for (const w of read.warnings) ctx.log.warn(w);
  const data = checkCompatible(meta, read.data, options.data);
  if (meta.covariates.length > 0 && options.future === undefined && options.planFill === undefined) {
    throw new UsageError(
      `--future PLAN is required: the model uses the covariates ${meta.covariates.join(', ')} for every forecast period`,
      'pass the promotion plan, or --plan-fill last to repeat the last known values',
    );
  }
  // Each SKU is forecast from its own last period when it lies far past the others' (origins.ts).
  const origins = forecastOrigins(data);
  if (!Number.isFinite(origins.common)) throw new InputError(`${options.data}: no sales rows`);
  for (const w of dateWarnings(data, origins, today(ctx.env))) ctx.log.warn(w);
  const originOf = (sku: string) => origins.originOf.get(sku)!;
  const unwritable = data.series.filter((s) => originOf(s.sku) + horizon * data.step > LAST_WRITABLE_DAY);
  if (unwritable.length > 0) {
    throw new InputError(
      `${options.data}: ${unwritable.length} SKU(s) end too late to forecast ${horizon} periods before 9999-12-31: ` +
        `${unwritable.slice(0, 5).map((s) => `${showValue(s.sku, 40)} (last date ${formatDay(originOf(s.sku))})`).join(', ')}`,
      [],
      'a placeholder date such as 9999-12-31 is not a sales date: fix or drop those rows',
    );
  }

  // The plan is checked against what the model learned (older models: against this history).
  const ranges = meta.covariateRanges ?? covariateRanges(data);
  const planOpts = {
    dateCol: options.ingest.dateCol,
    skuCol: options.ingest.skuCol,
    dateFormat: options.ingest.dateFormat,
    delimiter: options.ingest.delimiter,
    decimal: options.ingest.decimal,
    covariates: meta.covariates,
    origin: origins.common,
    horizon,
    fill: options.planFill,
    stdin: ctx.stdin,
    ranges,
  };
  const far: PlanFar = { count: 0, examples: [] };
  const filled = { count: 0 };
  const rows = options.future === undefined ? undefined : await readPlanRows(path(options.future), planOpts, far, filled);
  if (filled.count > 0) ctx.log.warn(filledByPolicy(filled.count, 'empty or NA plan cell', options.planFill!));
  if (far.count > 0) {
    ctx.log.warn(`${far.count} plan value(s) far outside the range the model was trained on (forecasts there are extrapolation): ${far.examples.join('; ')}${far.count > 5 ? '; ...' : ''}`);
  }
  if (rows !== undefined) {
    const ignored = ignoredPlanRows(rows, data, originOf, horizon);
    for (const w of ignored.warnings) ctx.log.warn(w);
    for (const n of ignored.notes) ctx.log.info(n);
  }
  const fill = rows === undefined && meta.covariates.length === 0 ? 'zero' : options.planFill;
  const groups = groupByOrigin(data, origins);
  const filledRows = { count: 0 };
  const plans: FuturePlan[] = groups.map((g) =>
    assemblePlan(g.data, rows ?? (meta.covariates.length === 0 ? new Map() : undefined), { ...planOpts, origin: g.origin, fill }, options.future, filledRows),
  );
  if (filledRows.count > 0 && meta.covariates.length > 0) ctx.log.warn(filledByPolicy(filledRows.count, 'missing plan row', fill!, ' (SKU x date)'));
  for (const p of plans) checkPlanValues(p, ranges, originOf, data.step, fill);

  await startBackend(options.backend, ctx.log);
  const model = await LstmForecaster.load(ENGINE, meta, files, options.workers).catch((err: unknown) => {
    if (err instanceof StockcastError) throw err;
    throw new InputError(`${options.model}: cannot load the model: ${(err as Error).message}`, [], 'retrain with stockcast forecast train');
  });
  const forecasts = new Map<string, SeriesForecast>();
  for (let g = 0; g < groups.length; g++) {
    for (const [sku, f] of await model.predict(groups[g]!.data, groups[g]!.origin, horizon, plans[g]!)) forecasts.set(sku, f);
  }
  model.dispose();
  const guard = guardSpread(forecasts, data, originOf);
  if (guard.widened.length > 0) {
    ctx.log.warn(
      `${guard.widened.length} SKU(s) have fewer than ${MIN_SPREAD_EVIDENCE} observed periods, too few to measure their forecast spread: sd, p10 and p90 widened to ` +
        `${guard.pooled ? "the other SKUs' pooled spread" : 'a conservative spread (sd = forecast)'} (at least a Poisson spread): ` +
        `${guard.widened.slice(0, 5).map((s) => showValue(s, 40)).join(', ')}${guard.widened.length > 5 ? ', ...' : ''}`,
    );
  }
  // The SKUs the LSTM cannot forecast, and what they got instead (data inspect flags them too_short).
  const shipped = shippedName(meta);
  const fallbacks = [...forecasts].filter(([, f]) => f.model !== shipped && f.model !== 'lstm').map(([sku, f]) => `${showValue(sku, 40)} (${f.model})`);
  if (fallbacks.length > 0) {
    ctx.log.info(
      `${fallbacks.length} SKU(s) too short for the LSTM (fewer than ${meta.minObserved} observed periods in the last ${meta.window}) got a fallback baseline, named in the model column: ` +
        `${fallbacks.slice(0, 5).join(', ')}${fallbacks.length > 5 ? ', ...' : ''}`,
    );
  }
  const format = options.format ?? defaultFormat(ctx.stdout.isTTY === true, options.out);
  const out = absPath(ctx, options.out);
  const errorCorr = meta.conformal?.shipped?.errorCorrelation;
  const table = forecastRows(forecasts, originOf, data.step, horizon, options.levels, errorCorr);
  if (format === 'table' && options.format === undefined && table.length > TERMINAL_ROWS) {
    // A terminal gets one line per SKU; every period is one --format or --out away.
    ctx.stdout.write(render('table', FORECAST_SUMMARY_COLUMNS, forecastSummaryRows(table), { width: ctx.stdout.columns, priority: ['forecast_total', 'from', 'to'] }));
    ctx.log.info(`${table.length} rows summed per SKU above; --format table prints every row, --out FILE or --format csv writes them`);
  } else {
    const columns = forecastColumnsWith(options.levels, errorCorr);
    await emit(out, render(format, columns, table, { width: terminalWidth(ctx, options.out), priority: ['date', 'forecast', 'p10', 'p90'], escapeFormulas: options.escapeFormulas, ...options.output }), ctx.stdout);
  }
  const dates = table.length === 0 ? '' : `, ${String(table[0]![1])} .. ${String(table[table.length - 1]![1])}`;
  ctx.log.info(`forecast for ${forecasts.size} SKU(s) x ${horizon} period(s)${dates}${out === undefined || out === '-' ? '' : `, written to ${options.out}`}`);
}

/** The warning for plan values a --plan-fill policy supplied: how many, what, and from where. */
function filledByPolicy(count: number, what: string, fill: PlanFill, suffix = ''): string {
  const how = fill === 'zero' ? 'with 0' : "with the SKU's previous plan values (else its last history values)";
  return `${count} ${what}${count === 1 ? '' : 's'}${suffix} filled ${how} (--plan-fill ${fill})`;
}
