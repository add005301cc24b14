import { isAbsolute, resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { readModelDir } from '../../io/model-dir.js';
import { emit } from '../../io/output.js';
import { assemblePlan, readPlanRows } from '../../io/plan.js';
import { readSales } from '../../io/sales.js';
import { defaultFormat, render } from '../../io/table.js';
import { LstmForecaster } from '../../models/lstm-forecaster.js';
import { checkCompatible } from '../../models/model-compat.js';
import { dataEnd } from '../../sales-data.js';
import type { Context } from '../_spec.js';
import { forecastColumnsWith, forecastRows } from './_forecast-rows.js';
import { ENGINE, startBackend } from './_run-training.js';
import type { PredictOptions } from './predict.spec.js';

export async function run(options: PredictOptions, ctx: Context): Promise<void> {
  const path = (p: string) => (p === '-' || isAbsolute(p) ? p : resolve(ctx.cwd, p));
  const { meta, files } = await readModelDir(path(options.model));
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
  const model = await LstmForecaster.load(ENGINE, meta, files);
  const forecasts = await model.predict(data, origin, horizon, plan);
  model.dispose();
  const format = options.format ?? defaultFormat(ctx.stdout.isTTY === true, options.out);
  const out = options.out === undefined || options.out === '-' ? options.out : path(options.out);
  await emit(out, render(format, forecastColumnsWith(options.levels), forecastRows(forecasts, origin, data.step, horizon, options.levels)), ctx.stdout);
}
