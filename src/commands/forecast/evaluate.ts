import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { toCsv } from '../../io/csv-out.js';
import { formatDay } from '../../io/dates.js';
import { emit, writeFileAtomic } from '../../io/output.js';
import { readSales } from '../../io/sales.js';
import { defaultFormat, render } from '../../io/table.js';
import { BASELINE_NAMES, type BaselineName, seasonLength } from '../../models/baselines/index.js';
import { scoreRollingOrigin } from '../../models/cv-scores.js';
import { type CutoffRunner, baselineRunner, lstmRunner, periodsBeforeFirstCutoff, rollingOrigin } from '../../models/rolling-origin.js';
import type { Context } from '../_spec.js';
import { forecastColumns, forecastRowsOfRun, perCutoffRows, perSkuRows, perStepRows, scoreColumns, summaryRows } from './_evaluate-rows.js';
import { startBackend, trainLstm } from './_run-training.js';
import type { EvaluateOptions } from './evaluate.spec.js';

export async function run(options: EvaluateOptions, ctx: Context): Promise<void> {
  const path = (p: string) => (p === '-' || isAbsolute(p) ? p : resolve(ctx.cwd, p));
  const N = options.holdout;
  const horizon = options.settings.horizon ?? N;
  if (horizon < N) throw new UsageError(`--horizon ${horizon} is shorter than --holdout ${N}`, 'leave --horizon out (it defaults to the holdout)');
  const { data, warnings } = await readSales(path(options.data), options.ingest, { stdin: ctx.stdin });
  for (const w of warnings) ctx.log.warn(w);
  const spec = { windows: options.windows, step: options.step, horizon: N };
  const before = periodsBeforeFirstCutoff(data, spec);
  if (before < 2) {
    throw new UsageError(
      `--windows ${spec.windows} --step ${spec.step} --holdout ${N} put the first cutoff ${before <= 0 ? 'before' : 'at'} the start of the data`,
      'use fewer --windows, a smaller --step or a shorter --holdout',
    );
  }
  const runners: CutoffRunner[] = [];
  const useLstm = options.models.includes('lstm');
  const lstm = useLstm ? lstmRunner((history) => trainLstm(history, { ...options.settings, horizon }, ctx.log), options.retrain) : undefined;
  if (lstm !== undefined) {
    await startBackend(options.backend, ctx.log);
    runners.push(lstm);
  }
  runners.push(baselineRunner(BASELINE_NAMES.filter((b) => options.models.includes(b)) as BaselineName[]));
  const results = await rollingOrigin(data, spec, runners, (k, cutoff) => {
    ctx.log.info(`cutoff ${k + 1}/${spec.windows}: ${formatDay(cutoff)}, forecasting the next ${N} periods`);
  }).finally(() => lstm?.dispose());
  ctx.log.info(`evaluated ${results[results.length - 1]!.split.history.series.length} SKUs at ${results.length} cutoff(s)`);

  const report = scoreRollingOrigin(results, seasonLength(data.freq), options.levels);
  const columns = scoreColumns(options.levels);
  if (options.perSku !== undefined) await writeFileAtomic(path(options.perSku), toCsv(['sku', 'model', 'n', ...columns], perSkuRows(report)));
  if (options.perCutoff !== undefined) await writeFileAtomic(path(options.perCutoff), toCsv(['model', 'cutoff', 'n', ...columns], perCutoffRows(report)));
  if (options.perStep !== undefined) await writeFileAtomic(path(options.perStep), toCsv(['model', 'step', 'n', ...columns], perStepRows(report)));
  if (options.forecasts !== undefined) {
    await writeFileAtomic(path(options.forecasts), toCsv(forecastColumns(options.levels), forecastRowsOfRun(results, data.step, options.levels)));
  }
  const format = options.format ?? defaultFormat(ctx.stdout.isTTY === true, options.out);
  const out = options.out === undefined || options.out === '-' ? options.out : path(options.out);
  await emit(out, render(format, ['model', 'n', ...columns], summaryRows(report)), ctx.stdout);
}
