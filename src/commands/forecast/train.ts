import { hashSalesData, writeModelDir } from '../../io/model-dir.js';
import { readSales } from '../../io/sales.js';
import { forecastOrigins } from '../../models/origins.js';
import { dateWarnings, today } from '../_dates-check.js';
import type { Context } from '../_spec.js';
import { startBackend, trainLstm } from './_run-training.js';
import type { TrainOptions } from './train.spec.js';

export async function run(options: TrainOptions, ctx: Context): Promise<void> {
  const { data, warnings } = await readSales(options.data, options.ingest, { stdin: ctx.stdin });
  for (const w of warnings) ctx.log.warn(w);
  for (const w of dateWarnings(data, forecastOrigins(data), today(ctx.env))) ctx.log.warn(w);
  const backend = await startBackend(options.backend, ctx.log);
  ctx.log.info(
    `training on ${data.series.length} SKUs (${data.freq === 'D' ? 'daily' : 'weekly'}), covariates: ${data.covariates.join(', ') || 'none'}`,
  );
  const forecaster = await trainLstm(data, options.settings, ctx.log);
  const { files, meta } = await forecaster.save({ dataHash: hashSalesData(data), backend: backend.name });
  forecaster.dispose();
  await writeModelDir(options.model, files, meta);
  ctx.log.info(`model written to ${options.model}`);
}
