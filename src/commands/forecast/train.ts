import { checkModelTarget, hashSalesData, recoverModelDir, writeModelDir } from '../../io/model-dir.js';
import { readSales } from '../../io/sales.js';
import { absPath, flags } from '../_paths.js';
import { forecastOrigins } from '../../models/origins.js';
import { dateWarnings, today } from '../_dates-check.js';
import type { Context } from '../command.js';
import { startBackend, trainLstm } from './_run-training.js';
import type { TrainOptions } from './train.options.js';

export async function run(options: TrainOptions, ctx: Context): Promise<void> {
  const model = absPath(ctx, options.model);
  const inputs = flags(ctx, [['--data', options.data]]);
  // Before minutes of training: finish an interrupted swap, then make sure PATH may be replaced.
  for (const note of await recoverModelDir(model)) ctx.log.warn(note);
  await checkModelTarget(model, inputs, options.model);
  const { data, warnings } = await readSales(absPath(ctx, options.data), options.ingest, { stdin: ctx.stdin, name: options.data === '-' ? undefined : options.data });
  for (const w of warnings) ctx.log.warn(w);
  for (const w of dateWarnings(data, forecastOrigins(data), today(ctx.env))) ctx.log.warn(w);
  const backend = await startBackend(options.backend, ctx.log);
  ctx.log.info(
    `training on ${data.series.length} SKUs (${data.freq === 'D' ? 'daily' : 'weekly'}), covariates: ${data.covariates.join(', ') || 'none'}`,
  );
  const forecaster = await trainLstm(data, options.settings, ctx.log);
  const { files, meta } = await forecaster.save({ dataHash: hashSalesData(data), backend: backend.name });
  forecaster.dispose();
  for (const note of await writeModelDir(model, files, meta, inputs, options.model)) ctx.log.warn(note);
  ctx.log.info(`model written to ${options.model}`);
}
