/**
 * `stock backtest --replan EVERY`: read the sales, lead times and (optionally) a trained model, run
 * the replanning loop (src/simulation/backtest/replan.ts, pure) on a worker pool, write the frontier summary,
 * the per-SKU results and the plans. The static `stock backtest` stays in backtest.ts.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import type { Cell } from '../../io/csv-out.js';
import { toCsv } from '../../io/csv-out.js';
import { formatDay } from '../../core/calendar.js';
import { type InventoryRow, mergeConstraints, readInventory } from '../../io/inventory.js';
import { readLeadTimes } from '../../io/lead-times.js';
import { readModelDir } from '../../io/model-dir.js';
import { simulationForecasts } from '../../simulation/montecarlo/moments.js';
import { emitAll } from '../../io/output.js';
import { readSales } from '../../io/sales.js';
import { defaultFormat, render } from '../../io/table.js';
import { BASELINES } from '../../models/baselines/index.js';
import { LstmForecaster } from '../../models/lstm-forecaster.js';
import { checkCompatible } from '../../models/model-compat.js';
import { parseModelMeta } from '../../models/model-meta.js';
import { dataEnd } from '../../sales-data.js';
import { BACKTEST_PER_SKU_CONTRACT } from '../../core/contracts/backtest.js';
import { REPLAN_PLANS_CONTRACT } from '../../core/contracts/replan-plans.js';
import { PER_SKU_COLUMNS, SUMMARY_COLUMNS, totalsRow } from '../../simulation/backtest/report.js';
import { DEFAULT_Q_DAYS, type Policy } from '../../simulation/montecarlo/policy.js';
import { SimulationPool } from '../../simulation/montecarlo/pool.js';
import { type ReplanForecaster, type ReplanResult, runReplan } from '../../simulation/backtest/replan.js';
import type { OpeningStock } from '../../simulation/backtest/replay.js';
import type { SalesData } from '../../core/types.js';
import { absPath, terminalWidth } from '../_paths.js';
import type { Context } from '../command.js';
import { ENGINE, startBackend } from '../forecast/_run-training.js';
import type { BacktestOptions, ReplanOptions } from './backtest.options.js';

function list(skus: string[], max = 10): string {
  return skus.length <= max ? skus.join(', ') : `${skus.slice(0, max).join(', ')} ... (${skus.length - max} more)`;
}

/** Spread calibration: 4 forecast origins before --from to start with, then the errors of the last 13 origins. */
export const CALIBRATION = { warmup: 4, window: 13 } as const;

/** The name of the price covariate whose values turn units into value. */
const PRICE = 'price';

function everyDays(r: ReplanOptions, step: number): number {
  return r.every.unit === 'd' ? r.every.count : r.every.unit === 'w' ? 7 * r.every.count : r.every.count * step;
}

async function modelForecaster(dir: string, data: SalesData, file: string, r: ReplanOptions, ctx: Context): Promise<{ forecaster: ReplanForecaster; dispose: () => void }> {
  const { meta, files } = await readModelDir(dir, parseModelMeta);
  checkCompatible(meta, data, file);
  const at = meta.covariates.map((c) => data.covariates.indexOf(c));
  await startBackend(r.backend, ctx.log);
  const model = await LstmForecaster.load(ENGINE, meta, files);
  return {
    forecaster: {
      name: basename(dir),
      maxHorizon: meta.horizon,
      errorCorr: meta.conformal?.shipped?.errorCorrelation,
      // The model's point is the median of a skewed distribution: the simulation gets the mean
      // and sd it implies (simulation/montecarlo/moments.ts).
      predict: async (history, origin, horizon, plan) => {
        const ordered = new Map([...plan].map(([sku, cov]) => [sku, at.map((k) => cov[k]!)]));
        return simulationForecasts(await model.predict(checkCompatible(meta, history, file), origin, horizon, ordered), meta.point);
      },
    },
    dispose: () => model.dispose(),
  };
}

export async function runReplanCommand(options: BacktestOptions, ctx: Context): Promise<void> {
  const r = options.replan!;
  const path = (p: string) => absPath(ctx, p);
  const { data, warnings } = await readSales(path(options.data), options.ingest, { stdin: ctx.stdin });
  for (const w of warnings) ctx.log.warn(w);
  if (data.series.length === 0) throw new InputError(`${options.data}: no sales rows`);
  const lastDay = dataEnd(data) + data.step - 1;
  const to = options.to ?? lastDay;
  if (options.from > lastDay) throw new UsageError(`--from ${formatDay(options.from)} is after the end of the sales data (${formatDay(lastDay)})`);
  if (to > lastDay) throw new UsageError(`--to ${formatDay(to)} is after the end of the sales data (${formatDay(lastDay)})`);
  const every = everyDays(r, data.step);
  if (options.reviewPeriod !== undefined && every % options.reviewPeriod !== 0) ctx.log.warn(`--replan every ${every} day(s) is not a multiple of --review-period ${options.reviewPeriod}: reviews stay on days 0, R, 2R, ... of the window`);

  const leadTimes = await readLeadTimes(path(options.leadTimes!), { delimiter: options.ingest.delimiter, decimal: options.ingest.decimal });
  let inventory: Map<string, InventoryRow> | undefined;
  if (options.inventory !== undefined) inventory = await readInventory(path(options.inventory), { delimiter: options.ingest.delimiter, decimal: options.ingest.decimal });
  const opening = inventory === undefined ? undefined : new Map<string, OpeningStock>([...inventory].map(([sku, x]) => [sku, { onHand: x.onHand, onOrder: x.onOrder, backorders: x.backorders }]));

  let forecaster: ReplanForecaster;
  let dispose = () => {};
  if (r.model !== undefined) ({ forecaster, dispose } = await modelForecaster(path(r.model), data, options.data, r, ctx));
  else {
    const name = r.forecaster ?? 'ets';
    const model = BASELINES[name]();
    forecaster = { name, fit: (h) => model.fit(h), predict: (h, o, hz, plan) => model.predict(h, o, hz, plan) };
  }
  const policy: Policy = options.reviewPeriod === undefined ? { kind: 'sQ' } : { kind: 'RS', review: options.reviewPeriod };
  const priceIndex = data.covariates.indexOf(PRICE);
  const pool = new SimulationPool(r.workers ?? availableParallelism());
  const started = Date.now();
  const progress = ctx.log.progress('replanning', Math.ceil((to - options.from + 1) / every));
  let result: ReplanResult;
  try {
    result = await runReplan({
      data,
      from: options.from,
      to,
      every,
      forecaster,
      refitEvery: r.model === undefined ? (r.retrainEvery ?? 1) : undefined,
      horizon: r.horizon ?? Math.ceil(DEFAULT_Q_DAYS / data.step),
      leadTimes,
      serviceLevels: r.serviceLevels,
      sim: { paths: r.paths, serviceType: r.serviceType, policy, demandDist: r.demandDist, orderQty: r.orderQty, orderCost: r.orderCost, holdingCost: r.holdingCost, validDays: r.validDays ?? every },
      seed: options.seed,
      unmet: options.unmet,
      reviewPeriod: options.reviewPeriod,
      opening,
      constraints: inventory === undefined ? undefined : mergeConstraints(inventory, undefined),
      classic: options.baseline === 'classic' ? { orderDays: options.orderDays, historyDays: options.historyDays } : undefined,
      priceCovariate: priceIndex >= 0 ? priceIndex : undefined,
      simulate: pool.simulate,
      recordPlans: r.plans !== undefined,
      calibration: r.spread === 'calibrated' ? CALIBRATION : undefined,
      exposure: r.exposure,
      onReplan: ({ index }) => progress.update(index + 1),
    });
  } finally {
    await pool.close();
    dispose();
  }
  if (result.calibration.length > 0) {
    const f = result.calibration.map((c) => c.factor).sort((a, b) => a - b);
    ctx.log.info(`forecast sd calibrated on past errors over the protection interval: factor ${f[0]!.toFixed(2)} .. ${f[f.length - 1]!.toFixed(2)} (median ${f[Math.floor(f.length / 2)]!.toFixed(2)})`);
  }
  progress.finish(`${result.replans.length} replan(s) every ${every} day(s) in ${((Date.now() - started) / 1000).toFixed(1)}s on ${pool.threads === 0 ? 'the main thread' : `${pool.threads} worker thread(s)`}`);

  if (result.excluded.length > 0) {
    const byReason = new Map<string, string[]>();
    for (const e of result.excluded) byReason.set(e.reason, [...(byReason.get(e.reason) ?? []), e.sku]);
    const lines = [...byReason].map(([reason, skus]) => `${reason} (${skus.length} SKU(s)): ${list(skus)}`);
    if (options.strict) throw new InputError('SKUs cannot be replayed (--strict)', lines.map((message) => ({ message })), 'drop --strict to replay the others');
    for (const l of lines) ctx.log.warn(`${l}; not replayed`);
  }
  for (const k of result.kept) if (k.count > 0) ctx.log.warn(`${k.policy}: ${k.count} SKU-replan(s) kept the previous policy (no forecast or too little history at that date): ${list(k.skus)}`);
  if (result.extended > 0) ctx.log.warn(`${result.extended} SKU-replan(s) had a forecast shorter than the protection interval; its last day was repeated`);
  if (result.missing.length > 0) {
    const days = result.missing.reduce((s, m) => s + m.days, 0);
    ctx.log.warn(`${result.missing.length} SKU(s) have ${days} day(s) without sales data in the window, replayed as zero demand: ${list(result.missing.map((m) => m.sku))}`);
  }
  if (result.skus.length === 0) throw new InputError('no SKU to replay: no SKU has a lead time and a forecast at the first replan date');
  ctx.log.info(
    `replayed ${result.skus.length} SKU(s) over ${result.days} day(s), ${formatDay(options.from)} .. ${formatDay(to)}, replanned every ${every} day(s) with ${forecaster.name}, ` +
      `target(s) ${r.serviceLevels.join(', ')}, unmet demand ${options.unmet}, ${options.reviewPeriod === undefined ? 'continuous review' : `review every ${options.reviewPeriod} day(s)`}, seed ${options.seed}`,
  );

  const valued = priceIndex >= 0;
  const extra = valued ? ['service_level_target', 'avg_inventory_value'] : ['service_level_target'];
  const summaryColumns = [...SUMMARY_COLUMNS, ...extra];
  const summary: Cell[][] = result.outcomes.map((o) => {
    const t = o.totals;
    const row: Cell[] = [...totalsRow(o.name, t), o.serviceLevel];
    if (valued) row.push(t.avgValue);
    return row;
  });
  const csv = { escapeFormulas: options.escapeFormulas, ...options.output };
  const outputs: { path: string | undefined; content: string }[] = [];
  if (r.plans !== undefined) {
    const rows = result.plans!.map((p) => REPLAN_PLANS_CONTRACT.row(p));
    outputs.push({ path: path(r.plans), content: toCsv(REPLAN_PLANS_CONTRACT.names, rows, csv) });
  }
  if (options.perSku !== undefined) {
    const rows: Cell[][] = [];
    for (const o of result.outcomes.filter((x) => x.name === result.outcomes[0]!.name)) {
      for (const m of o.perSku) {
        const row: Cell[] = [...BACKTEST_PER_SKU_CONTRACT.row(m), o.serviceLevel];
        if (valued) row.push(m.avgValue);
        rows.push(row);
      }
    }
    outputs.push({ path: path(options.perSku), content: toCsv([...PER_SKU_COLUMNS, ...extra], rows, csv) });
  }
  if (options.perSku === '-' && (options.out === undefined || options.out === '-')) {
    // stdout carries the per-SKU rows; the summary is shown on stderr.
    await emitAll(outputs, ctx.stdout);
    if (!ctx.log.quiet) ctx.log.info(render('table', summaryColumns, summary).trimEnd());
    return;
  }
  const format = options.format ?? defaultFormat(ctx.stdout.isTTY === true, options.out);
  // Every file of the run appears together or none does; stdout is written after the files.
  outputs.push({ path: absPath(ctx, options.out), content: render(format, summaryColumns, summary, { ...csv, width: terminalWidth(ctx, options.out), priority: ['service_level_target', 'cycle_service_level', 'fill_rate', 'stockout_rate', 'avg_on_hand'] }) });
  await emitAll(outputs, ctx.stdout);
}
