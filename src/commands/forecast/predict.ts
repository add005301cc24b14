import { InputError, StockcastError, UsageError } from '../../errors.js';
import { readModelDir } from '../../io/model-dir.js';
import { emit } from '../../io/output.js';
import { assemblePlan, readPlanRows } from '../../io/plan.js';
import { readSales } from '../../io/sales.js';
import { defaultFormat, render } from '../../io/table.js';
import { LstmForecaster } from '../../models/lstm-forecaster.js';
import { checkCompatible } from '../../models/model-compat.js';
import { dataEnd } from '../../sales-data.js';
import { absPath, checkPaths, stdinOnce } from '../_paths.js';
import type { Context } from '../_spec.js';
import { FORECAST_COLUMNS, FORECAST_SUMMARY_COLUMNS, forecastRows, forecastSummaryRows } from './_forecast-rows.js';
import { ENGINE, startBackend } from './_run-training.js';
import type { PredictOptions } from './predict.spec.js';

/** More rows than this on a terminal (without an explicit --format) are summarised per SKU. */
const TERMINAL_ROWS = 200;

export async function run(options: PredictOptions, ctx: Context): Promise<void> {
  const path = (p: string) => absPath(ctx, p);
  stdinOnce([['--data', options.data], ['--future', options.future]]);
  await checkPaths(ctx, [['--out', options.out]], [['--data', options.data], ['--future', options.future], ['--model', options.model]]);
  const { meta, files, notes } = await readModelDir(path(options.model));
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
  const origin = dataEnd(data);
  if (!Number.isFinite(origin)) throw new InputError(`${options.data}: no sales rows`);
  const planOpts = {
    dateCol: options.ingest.dateCol,
    skuCol: options.ingest.skuCol,
    dateFormat: options.ingest.dateFormat,
    delimiter: options.ingest.delimiter,
    covariates: meta.covariates,
    origin,
    horizon,
    fill: options.planFill,
    stdin: ctx.stdin,
  };
  const rows = options.future === undefined ? undefined : await readPlanRows(path(options.future), planOpts);
  const plan = assemblePlan(data, rows ?? (meta.covariates.length === 0 ? new Map() : undefined), { ...planOpts, fill: rows === undefined && meta.covariates.length === 0 ? 'zero' : options.planFill }, options.future);
  await startBackend(options.backend, ctx.log);
  const model = await LstmForecaster.load(ENGINE, meta, files).catch((err: unknown) => {
    if (err instanceof StockcastError) throw err;
    throw new InputError(`${options.model}: cannot load the model: ${(err as Error).message}`, [], 'retrain with stockcast forecast train');
  });
  const forecasts = await model.predict(data, origin, horizon, plan);
  model.dispose();
  const format = options.format ?? defaultFormat(ctx.stdout.isTTY === true, options.out);
  const out = absPath(ctx, options.out);
  const table = forecastRows(forecasts, origin, data.step, horizon);
  if (format === 'table' && options.format === undefined && table.length > TERMINAL_ROWS) {
    // A terminal gets one line per SKU; every period is one --format or --out away.
    ctx.stdout.write(render('table', FORECAST_SUMMARY_COLUMNS, forecastSummaryRows(table), { width: ctx.stdout.columns, priority: ['forecast_total', 'from', 'to'] }));
    ctx.log.info(`${table.length} rows summed per SKU above; --format table prints every row, --out FILE or --format csv writes them`);
  } else await emit(out, render(format, FORECAST_COLUMNS, table, { width: ctx.stdout.columns, priority: ['date', 'forecast', 'p10', 'p90'] }), ctx.stdout);
  const dates = table.length === 0 ? '' : `, ${String(table[0]![1])} .. ${String(table[table.length - 1]![1])}`;
  ctx.log.info(`forecast for ${forecasts.size} SKU(s) x ${horizon} period(s)${dates}${out === undefined || out === '-' ? '' : `, written to ${options.out}`}`);
}
