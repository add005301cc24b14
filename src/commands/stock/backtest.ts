/** `stock backtest`: read sales, policies, lead times; replay (pure); write per-SKU and summary. */
import { basename } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { formatDay } from '../../core/calendar.js';
import { type PolicyReview, describeReview } from '../../core/contracts/policy.js';
import { type InventoryRow, mergeConstraints, readInventory } from '../../io/inventory.js';
import { readLeadTimes } from '../../io/lead-times.js';
import { emitAll } from '../../io/output.js';
import { type PolicyFile, readPolicy } from '../../io/policy-file.js';
import { readSales } from '../../io/sales.js';
import { defaultFormat, render } from '../../io/table.js';
import { toCsv } from '../../io/csv-out.js';
import { PER_SKU_COLUMNS, SUMMARY_COLUMNS, perSkuRows, summaryRows } from '../../simulation/backtest/report.js';
import { type NamedPolicy, runBacktest } from '../../simulation/backtest/run.js';
import { classicPolicies } from '../../simulation/backtest/classic.js';
import type { LeadTime, SkuPolicy } from '../../core/types.js';
import type { OpeningStock } from '../../simulation/backtest/replay.js';
import { forecastOrigins } from '../../models/origins.js';
import { dataEnd } from '../../sales-data.js';
import { absPath, checkPaths, stdinOnce, stdoutOnce, summaryOutput, terminalWidth } from '../_paths.js';
import { dateWarnings, today } from '../_dates-check.js';
import type { Context } from '../command.js';
import { runReplanCommand } from './_backtest-replan.js';
import type { BacktestOptions } from './backtest.options.js';

function list(skus: string[], max = 10): string {
  return skus.length <= max ? skus.join(', ') : `${skus.slice(0, max).join(', ')} ... (${skus.length - max} more)`;
}

/** Lead times from the file, or from the policy's lead_time_mean / lead_time_sd columns. */
function policyLeadTimes(policies: SkuPolicy[]): Map<string, LeadTime> {
  const out = new Map<string, LeadTime>();
  for (const p of policies) if (Number.isFinite(p.leadTimeMean)) out.set(p.sku, { mean: p.leadTimeMean, sd: Number.isFinite(p.leadTimeSd) ? p.leadTimeSd : 0 });
  return out;
}

/**
 * The review period of the replay: --review-period, or the one the policy files state (their
 * `policy`/`review_period` columns). A file that says (R,S) every R days is replayed with review
 * every R days, never as continuous review; --review-period must not contradict a file, and files
 * stating different policies are not replayed together (one review rule per run).
 */
export function replayReview(flag: number | undefined, files: { flag: string; name: string; review: PolicyReview | undefined }[]): number | undefined {
  const stated = files.filter((f): f is typeof f & { review: PolicyReview } => f.review !== undefined);
  if (stated.length === 0) return flag;
  const says = (f: (typeof stated)[number]) => `${f.flag} ${f.name} says ${describeReview(f.review)}`;
  const first = stated[0]!;
  const other = stated.find((f) => describeReview(f.review) !== describeReview(first.review));
  if (other !== undefined) {
    throw new InputError(`${says(first)}, but ${says(other)}: one run replays one review rule`, [], 'replay each policy file in its own stock backtest run');
  }
  const period = first.review.kind === 'RS' ? first.review.period : undefined;
  if (flag !== undefined && flag !== period) {
    throw new UsageError(
      `--review-period ${flag} contradicts the policy: ${says(first)}`,
      period === undefined
        ? `drop --review-period to replay it as simulated, or simulate an (R,S) policy with stock simulate --review-period ${flag}`
        : `drop --review-period (the file's ${period} days are used), or simulate the policy again with --review-period ${flag}`,
    );
  }
  return period;
}

function uniqueName(name: string, taken: string[]): string {
  let n = name;
  for (let k = 2; taken.includes(n); k++) n = `${name}#${k}`;
  return n;
}

export async function run(options: BacktestOptions, ctx: Context): Promise<void> {
  const inputs: [string, string | undefined][] = [
    ['--data', options.data],
    ['--policy', options.policy === '' ? undefined : options.policy],
    ['--compare', options.compare],
    ['--lead-times', options.leadTimes],
    ['--inventory', options.inventory],
    // An output inside the model directory would add a foreign file that forecast train then refuses.
    ['--model', options.replan?.model],
  ];
  stdinOnce(inputs);
  stdoutOnce([['--plans', options.replan?.plans], ['--per-sku', options.perSku], summaryOutput(options.out, options.perSku)]);
  await checkPaths(ctx, [['--plans', options.replan?.plans], ['--per-sku', options.perSku], ['--out', options.out]], inputs);
  if (options.replan !== undefined) return runReplanCommand(options, ctx);
  const path = (p: string) => absPath(ctx, p);
  const { data, warnings } = await readSales(path(options.data), options.ingest, { stdin: ctx.stdin });
  for (const w of warnings) ctx.log.warn(w);
  const policy = await readPolicy(path(options.policy), { stdin: ctx.stdin, delimiter: options.ingest.delimiter, decimal: options.ingest.decimal });
  const named: NamedPolicy[] = [{ name: options.policy === '-' ? '<stdin>' : basename(options.policy), policies: policy.policies }];
  let other: PolicyFile | undefined;
  if (options.compare !== undefined) {
    other = await readPolicy(path(options.compare), { stdin: ctx.stdin, delimiter: options.ingest.delimiter, decimal: options.ingest.decimal });
    named.push({ name: uniqueName(options.compare === '-' ? '<stdin>' : basename(options.compare), named.map((p) => p.name)), policies: other.policies });
  }

  const reviewPeriod = replayReview(options.reviewPeriod, [
    { flag: '--policy', name: options.policy, review: policy.review },
    ...(other === undefined ? [] : [{ flag: '--compare', name: options.compare!, review: other.review }]),
  ]);
  if (reviewPeriod === undefined && policy.review === undefined) {
    const rs = policy.policies.filter((p) => p.orderUpTo === p.reorderPoint).length;
    if (rs > 0) ctx.log.warn(`${rs} SKU(s) have order_up_to = reorder_point, as (R,S) policies do: replayed with continuous review unless --review-period R is given`);
  }

  // Replayed by default up to the bulk's last period: a SKU far past the others does not stretch it.
  const origins = forecastOrigins(data);
  for (const w of dateWarnings(data, origins, today(ctx.env))) ctx.log.warn(w);
  const lastDay = dataEnd(data) + data.step - 1;
  const commonEnd = origins.common + data.step - 1;
  const firstDay = Math.min(...data.series.map((s) => s.start));
  const to = options.to ?? commonEnd;
  if (options.from > lastDay) throw new UsageError(`--from ${formatDay(options.from)} is after the end of the sales data (${formatDay(lastDay)})`);
  if (to > lastDay) throw new UsageError(`--to ${formatDay(to)} is after the end of the sales data (${formatDay(lastDay)})`);
  if (options.from <= firstDay) ctx.log.warn(`--from ${formatDay(options.from)} leaves no history before it: an honest policy is built from data before --from`);

  const leadTimes: Map<string, LeadTime> = options.leadTimes !== undefined ? await readLeadTimes(path(options.leadTimes), { stdin: ctx.stdin, delimiter: options.ingest.delimiter, decimal: options.ingest.decimal }) : policyLeadTimes(policy.policies);
  const inSales = new Set(data.series.map((s) => s.sku));
  const noLeadTime = policy.policies.filter((p) => inSales.has(p.sku) && !leadTimes.has(p.sku)).map((p) => p.sku);
  if (noLeadTime.length > 0) {
    const source = options.leadTimes ?? `the lead_time_mean column of ${options.policy}`;
    throw new InputError(`${noLeadTime.length} SKU(s) have no lead time in ${source}: ${list(noLeadTime)}`, [], 'give every SKU a lead time (--lead-times sku,lead_time_days[,lead_time_sd_days])');
  }

  let inventory: Map<string, InventoryRow> | undefined;
  if (options.inventory !== undefined) {
    inventory = await readInventory(path(options.inventory), { stdin: ctx.stdin, delimiter: options.ingest.delimiter, decimal: options.ingest.decimal });
    const noStock = policy.policies.filter((p) => inSales.has(p.sku) && !inventory!.has(p.sku)).map((p) => p.sku);
    if (noStock.length > 0) ctx.log.warn(`${noStock.length} SKU(s) not in ${options.inventory} start with on_hand = order_up_to: ${list(noStock)}`);
    const inPolicy = new Set(policy.policies.map((p) => p.sku));
    const unused = [...inventory.keys()].filter((sku) => !inPolicy.has(sku)).sort();
    if (unused.length > 0) ctx.log.warn(`${unused.length} SKU(s) in ${options.inventory} are not in ${options.policy} and are ignored: ${list(unused)}`);
  }

  const classicExcluded: { sku: string; reason: string }[] = [];
  if (options.baseline === 'classic') {
    const build = classicPolicies(data, options.from, leadTimes, {
      serviceLevel: options.serviceLevel,
      orderDays: options.orderDays,
      matchQ: new Map(policy.policies.map((p) => [p.sku, p])),
      historyDays: options.historyDays,
    });
    classicExcluded.push(...build.excluded);
    named.push({ name: uniqueName('classic', named.map((p) => p.name)), policies: build.policies });
  }

  const opening = inventory === undefined ? undefined : new Map<string, OpeningStock>([...inventory].map(([sku, r]) => [sku, { onHand: r.onHand, onOrder: r.onOrder, backorders: r.backorders }]));
  const result = runBacktest({
    data,
    policies: named,
    leadTimes,
    from: options.from,
    to,
    unmet: options.unmet,
    seed: options.seed,
    reviewPeriod,
    opening,
    constraints: inventory === undefined ? undefined : mergeConstraints(inventory, undefined),
  });

  const excluded = [...classicExcluded, ...result.excluded];
  if (excluded.length > 0) {
    const byReason = new Map<string, string[]>();
    for (const e of excluded) byReason.set(e.reason, [...(byReason.get(e.reason) ?? []), e.sku]);
    const lines = [...byReason].map(([reason, skus]) => `${reason} (${skus.length} SKU(s)): ${list([...new Set(skus)])}`);
    if (options.strict) throw new InputError('SKUs do not match between the inputs (--strict)', lines.map((message) => ({ message })), 'drop --strict to replay the SKUs present everywhere');
    for (const l of lines) ctx.log.warn(`${l}; not replayed`);
  }
  if (result.missing.length > 0) {
    const days = result.missing.reduce((s, m) => s + m.days, 0);
    ctx.log.warn(`${result.missing.length} SKU(s) have ${days} day(s) without sales data in the window, replayed as zero demand: ${list(result.missing.map((m) => m.sku))}`);
  }
  if (result.skus.length === 0) throw new InputError('no SKU to replay: no SKU is in the sales data, every policy and the lead times');
  ctx.log.info(`replayed ${result.skus.length} SKU(s) over ${result.days} day(s), ${formatDay(options.from)} .. ${formatDay(to)}, unmet demand ${options.unmet}, ${reviewPeriod === undefined ? 'continuous review' : `review every ${reviewPeriod} day(s)`}, seed ${options.seed}`);

  const perSkuCsv = toCsv(PER_SKU_COLUMNS, perSkuRows(result), { escapeFormulas: options.escapeFormulas, ...options.output });
  if (options.perSku === '-' && (options.out === undefined || options.out === '-')) {
    // stdout carries the per-SKU rows; the summary is shown on stderr.
    await emitAll([{ path: '-', content: perSkuCsv }], ctx.stdout);
    if (!ctx.log.quiet) ctx.log.info(render('table', SUMMARY_COLUMNS, summaryRows(result)).trimEnd());
    return;
  }
  const format = options.format ?? defaultFormat(ctx.stdout.isTTY === true, options.out);
  // Both files appear together or neither does; stdout is written after the files.
  await emitAll(
    [
      ...(options.perSku === undefined ? [] : [{ path: absPath(ctx, options.perSku), content: perSkuCsv }]),
      { path: absPath(ctx, options.out), content: render(format, SUMMARY_COLUMNS, summaryRows(result), { escapeFormulas: options.escapeFormulas, ...options.output, width: terminalWidth(ctx, options.out), priority: ['fill_rate', 'cycle_service_level', 'stockout_rate', 'avg_on_hand'] }) },
    ],
    ctx.stdout,
  );
}
