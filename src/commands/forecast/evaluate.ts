import { UsageError } from '../../errors.js';
import { type Cell, definedOrNull } from '../../io/csv-out.js';
import { emitAll } from '../../io/output.js';
import { readSales } from '../../io/sales.js';
import { toCsv } from '../../io/csv-out.js';
import { defaultFormat, render } from '../../io/table.js';
import { BASELINES, BASELINE_NAMES, seasonLength } from '../../models/baselines/index.js';
import type { SeriesForecast } from '../../models/forecaster.js';
import { splitHoldout } from '../../models/holdout.js';
import { type Scores, scoreForecasts } from '../../models/metrics.js';
import { absPath, checkPaths } from '../_paths.js';
import { forecastOrigins } from '../../models/origins.js';
import { guardSpread, MIN_SPREAD_EVIDENCE } from '../../models/spread-guard.js';
import { dateWarnings, today } from '../_dates-check.js';
import type { Context } from '../_spec.js';
import { startBackend, trainLstm } from './_run-training.js';
import type { EvaluateOptions } from './evaluate.spec.js';

const SCORE_COLUMNS = ['wape', 'accuracy', 'mae', 'rmse', 'mase', 'bias', 'coverage80'] as const;

function scoreCells(s: Scores): Cell[] {
  // An undefined score (no volume, no scale) is a deliberately empty cell.
  return SCORE_COLUMNS.map((c) => definedOrNull(s[c]));
}

export async function run(options: EvaluateOptions, ctx: Context): Promise<void> {
  const path = (p: string) => absPath(ctx, p);
  await checkPaths(ctx, [['--per-sku', options.perSku], ['--out', options.out]], [['--data', options.data]]);
  const N = options.holdout;
  const horizon = options.settings.horizon ?? N;
  if (horizon < N) throw new UsageError(`--horizon ${horizon} is shorter than --holdout ${N}`, 'leave --horizon out (it defaults to the holdout)');
  const { data, warnings } = await readSales(path(options.data), options.ingest, { stdin: ctx.stdin });
  for (const w of warnings) ctx.log.warn(w);
  for (const w of dateWarnings(data, forecastOrigins(data), today(ctx.env))) ctx.log.warn(w);
  const split = splitHoldout(data, N);
  await startBackend(options.backend, ctx.log);
  ctx.log.info(`evaluating on the last ${N} periods of ${split.history.series.length} SKUs`);

  const results: { name: string; forecasts: Map<string, SeriesForecast> }[] = [];
  const lstm = await trainLstm(split.history, { ...options.settings, horizon }, ctx.log);
  // The LSTM alone and combined with promo_regression (the shipped default), whatever --combine says.
  results.push({ name: 'lstm', forecasts: await lstm.predict(split.history, split.origin, N, split.plan, 'none') });
  results.push({ name: 'lstm+promo_regression', forecasts: await lstm.predict(split.history, split.origin, N, split.plan, 'promo_regression') });
  lstm.dispose();
  for (const name of BASELINE_NAMES) {
    const model = BASELINES[name]();
    await model.fit(split.history);
    results.push({ name, forecasts: await model.predict(split.history, split.origin, N, split.plan) });
  }

  // Every model's forecasts get the same spread floor as predict's (models/spread-guard.ts).
  let widened = 0;
  for (const r of results) widened = Math.max(widened, guardSpread(r.forecasts, split.history, () => split.origin).widened.length);
  if (widened > 0) ctx.log.warn(`${widened} SKU(s) have fewer than ${MIN_SPREAD_EVIDENCE} observed periods before the holdout: their forecast spread is widened to a pooled one, as in forecast predict`);

  const insample = new Map(split.history.series.map((s) => [s.sku, s.units]));
  const season = seasonLength(data.freq);
  const summary: Cell[][] = [];
  const perSku: Cell[][] = [];
  for (const r of results) {
    const report = scoreForecasts(split.actual, r.forecasts, insample, season);
    summary.push([r.name, report.overall.n, ...scoreCells(report.overall)]);
    for (const [sku, s] of report.perSku) perSku.push([sku, r.name, s.n, ...scoreCells(s)]);
  }
  perSku.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  const perSkuCsv = toCsv(['sku', 'model', 'n', ...SCORE_COLUMNS], perSku, { escapeFormulas: options.escapeFormulas });
  const summaryColumns = ['model', 'n', ...SCORE_COLUMNS];
  if (options.perSku === '-' && (options.out === undefined || options.out === '-')) {
    // stdout carries the per-SKU rows; the summary is shown on stderr (as stock backtest does).
    await emitAll([{ path: '-', content: perSkuCsv }], ctx.stdout);
    if (!ctx.log.quiet) ctx.log.info(render('table', summaryColumns, summary).trimEnd());
    return;
  }
  const format = options.format ?? defaultFormat(ctx.stdout.isTTY === true, options.out);
  // Both files appear together or neither does; stdout is written after the files.
  await emitAll(
    [
      ...(options.perSku === undefined ? [] : [{ path: absPath(ctx, options.perSku), content: perSkuCsv }]),
      { path: absPath(ctx, options.out), content: render(format, summaryColumns, summary, { escapeFormulas: options.escapeFormulas }) },
    ],
    ctx.stdout,
  );
}
