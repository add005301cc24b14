import { UsageError } from '../../errors.js';
import { toCsv } from '../../io/csv-out.js';
import { formatDay } from '../../core/calendar.js';
import { emitAll } from '../../io/output.js';
import { readSales } from '../../io/sales.js';
import { defaultFormat, render } from '../../io/table.js';
import { seasonPeriods } from '../../core/calendar.js';
import { BASELINE_NAMES, type BaselineName } from '../../models/baselines/index.js';
import { scoreRollingOrigin } from '../../models/cv-scores.js';
import { forecastOrigins } from '../../models/origins.js';
import { type CutoffRunner, baselineRunner, lstmRunner, periodsBeforeFirstCutoff, rollingOrigin } from '../../models/rolling-origin.js';
import { guardSpread, MIN_SPREAD_EVIDENCE } from '../../models/spread-guard.js';
import { dateWarnings, today } from '../_dates-check.js';
import { absPath, checkPaths, stdoutOnce, summaryOutput, terminalWidth } from '../_paths.js';
import type { Context } from '../command.js';
import { forecastColumns, forecastRowsOfRun, scoreTableColumns, scoreTableRows } from './_evaluate-rows.js';
import { startBackend, trainLstm } from './_run-training.js';
import type { EvaluateOptions } from './evaluate.options.js';

export async function run(options: EvaluateOptions, ctx: Context): Promise<void> {
  const path = (p: string) => absPath(ctx, p);
  stdoutOnce([['--per-cutoff', options.perCutoff], ['--per-step', options.perStep], ['--forecasts', options.forecasts], ['--per-sku', options.perSku], summaryOutput(options.out, options.perSku)]);
  await checkPaths(
    ctx,
    [['--per-sku', options.perSku], ['--per-cutoff', options.perCutoff], ['--per-step', options.perStep], ['--forecasts', options.forecasts], ['--out', options.out]],
    [['--data', options.data]],
  );
  const N = options.holdout;
  const horizon = options.settings.horizon ?? N;
  if (horizon < N) throw new UsageError(`--horizon ${horizon} is shorter than --holdout ${N}`, 'leave --horizon out (it defaults to the holdout)');
  const { data, warnings } = await readSales(path(options.data), options.ingest, { stdin: ctx.stdin });
  for (const w of warnings) ctx.log.warn(w);
  for (const w of dateWarnings(data, forecastOrigins(data), today(ctx.env))) ctx.log.warn(w);
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
  runners.push(baselineRunner(BASELINE_NAMES.filter((b) => options.models.includes(b)) as BaselineName[], options.settings.workers));
  const results = await rollingOrigin(data, spec, runners, (k, cutoff) => {
    ctx.log.info(`cutoff ${k + 1}/${spec.windows}: ${formatDay(cutoff)}, forecasting the next ${N} periods`);
  }).finally(() => lstm?.dispose());
  ctx.log.info(`evaluated ${results[results.length - 1]!.split.history.series.length} SKUs at ${results.length} cutoff(s)`);

  // Every model's forecasts get the same spread floor as predict's (models/spread-guard.ts).
  let widened = 0;
  for (const r of results) {
    for (const m of r.models) widened = Math.max(widened, guardSpread(m.forecasts, r.split.history, () => r.split.origin).widened.length);
  }
  if (widened > 0) ctx.log.warn(`${widened} SKU(s) have fewer than ${MIN_SPREAD_EVIDENCE} observed periods before a cutoff: their forecast spread is widened to a pooled one, as in forecast predict`);

  const report = scoreRollingOrigin(results, seasonPeriods(data.freq), options.levels);
  const csv = { escapeFormulas: options.escapeFormulas, ...options.output };
  const summaryColumns = scoreTableColumns('summary', options.levels);
  const perSkuCsv = options.perSku === undefined ? undefined : toCsv(scoreTableColumns('perSku', options.levels), scoreTableRows('perSku', report), csv);
  // Every file of the run appears together or none does; stdout is written after the files.
  const files = [
    ...(options.perCutoff === undefined ? [] : [{ path: absPath(ctx, options.perCutoff), content: toCsv(scoreTableColumns('perCutoff', options.levels), scoreTableRows('perCutoff', report), csv) }]),
    ...(options.perStep === undefined ? [] : [{ path: absPath(ctx, options.perStep), content: toCsv(scoreTableColumns('perStep', options.levels), scoreTableRows('perStep', report), csv) }]),
    ...(options.forecasts === undefined ? [] : [{ path: absPath(ctx, options.forecasts), content: toCsv(forecastColumns(options.levels), forecastRowsOfRun(results, data.step, options.levels), csv) }]),
  ];
  if (options.perSku === '-' && (options.out === undefined || options.out === '-')) {
    // stdout carries the per-SKU rows; the summary is shown on stderr (as stock backtest does).
    await emitAll([...files, { path: '-', content: perSkuCsv! }], ctx.stdout);
    if (!ctx.log.quiet) ctx.log.info(render('table', summaryColumns, scoreTableRows('summary', report)).trimEnd());
    return;
  }
  const format = options.format ?? defaultFormat(ctx.stdout.isTTY === true, options.out);
  await emitAll(
    [
      ...files,
      ...(perSkuCsv === undefined ? [] : [{ path: absPath(ctx, options.perSku), content: perSkuCsv }]),
      { path: absPath(ctx, options.out), content: render(format, summaryColumns, scoreTableRows('summary', report), { ...csv, width: terminalWidth(ctx, options.out), priority: ['wape', 'mase', 'bias', 'coverage80', 'coverage95'] }) },
    ],
    ctx.stdout,
  );
}
