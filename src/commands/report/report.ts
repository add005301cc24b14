/** `stockcast report`: read what the other commands wrote, build the page (pure), write one HTML file. */
import { open } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { formatDay } from '../../core/calendar.js';
import { readLeadTimes } from '../../io/lead-times.js';
import { emit, writeFileAtomic } from '../../io/output.js';
import { loadReportAssets } from '../../io/report-assets.js';
import { readBacktestSummary, readReportEvaluation, readReportForecast, readSkuTable } from '../../io/report-inputs.js';
import { buildPage } from '../../report/build.js';
import { renderReportHtml } from '../../report/html.js';
import { type ReplayPolicy, replayTraces } from '../../report/replays.js';
import type { HistoryInput, ReplayInput, ReportInputs, SkuTableInput } from '../../report/types.js';
import { dataEnd } from '../../sales-data.js';
import type { LeadTime, SalesData } from '../../core/types.js';
import { readSalesInput } from '../_ingest-options.js';
import { checkPaths } from '../_paths.js';
import type { Context } from '../command.js';
import type { ReportOptions } from './report.options.js';

const GENERATOR = '<meta name="generator" content="stockcast report">';

/** Never overwrite a file that stockcast did not write. */
async function checkTarget(out: string, shown: string): Promise<void> {
  let existing: string | undefined;
  try {
    const fh = await open(out, 'r');
    try {
      const buf = Buffer.alloc(2048);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      existing = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') existing = '';
  }
  if (existing !== undefined && !existing.includes(GENERATOR)) {
    throw new UsageError(`--out ${shown} exists and is not a report that stockcast wrote; not overwriting it`, 'choose another file name, or remove it yourself');
  }
}

function history(data: SalesData): HistoryInput[] {
  const price = data.covariates.indexOf('price');
  return data.series.map((s) => {
    const h: HistoryInput = { sku: s.sku, start: s.start, step: data.step, units: s.units };
    if (price >= 0) h.price = s.covariates[price];
    return h;
  });
}

function replayPolicies(policy: SkuTableInput): { policies: Map<string, ReplayPolicy>; leadTimes: Map<string, LeadTime> } {
  const policies = new Map<string, ReplayPolicy>();
  const leadTimes = new Map<string, LeadTime>();
  for (const [sku, row] of policy.bySku) {
    const { reorder_point: reorderPoint, order_up_to: orderUpTo, lead_time_mean: mean, lead_time_sd: sd } = row.numbers;
    if (reorderPoint === undefined || orderUpTo === undefined) continue;
    policies.set(sku, { reorderPoint, orderUpTo });
    if (mean !== undefined) leadTimes.set(sku, { mean, sd: sd ?? 0 });
  }
  return { policies, leadTimes };
}

export async function run(options: ReportOptions, ctx: Context): Promise<void> {
  const path = (p: string) => (isAbsolute(p) ? p : resolve(ctx.cwd, p));
  // Each input: what the report calls it, its flag, the file given.
  const named: [string, string, string | undefined][] = [
    ['sales', '--data', options.data],
    ['forecast', '--forecast', options.forecast],
    ['policy', '--policy', options.policy],
    ['backtest per SKU', '--backtest-per-sku', options.backtestPerSku],
    ...options.backtestSummary.map((f): [string, string, string] => ['backtest summary', '--backtest-summary', f]),
    ['evaluation forecasts', '--evaluation', options.evaluation],
  ];
  const sources = named.filter((g): g is [string, string, string] => g[2] !== undefined).map(([name, , f]): [string, string] => [name, f]);
  if (sources.length === 0) throw new UsageError('nothing to report: give at least one of --data, --forecast, --policy, --backtest-per-sku, --backtest-summary, --evaluation');
  const out = path(options.out);
  if (sources.filter(([, f]) => f === '-').length > 1) throw new UsageError('only one input can read stdin (-)');
  // Before any work: --out is not an input (same file by any name), its folder exists and is writable.
  const inputFlags: [string, string | undefined][] = [...named.map(([, flag, f]): [string, string | undefined] => [flag, f]), ['--lead-times', options.leadTimes]];
  await checkPaths(ctx, [['--out', options.out]], inputFlags);
  // --out - is stdout, as everywhere else (it wrote a file named "-").
  const toStdout = options.out === '-';
  if (!toStdout) await checkTarget(out, options.out);
  const input = (p: string) => (p === '-' ? '-' : path(p));

  const data = options.data === undefined ? undefined : (await readSalesInput(options.data, options.ingest, ctx)).data;
  // One --delimiter for every input file, as for the sales data.
  const opts = { stdin: ctx.stdin, delimiter: options.ingest.delimiter, decimal: options.ingest.decimal };
  const forecast = options.forecast === undefined ? undefined : await readReportForecast(input(options.forecast), opts);
  const policy = options.policy === undefined ? undefined : await readSkuTable(input(options.policy), 'policy file', ['reorder_point', 'order_up_to'], opts);
  const backtest = options.backtestPerSku === undefined ? undefined : await readSkuTable(input(options.backtestPerSku), 'backtest per-SKU file', [], opts);
  const summaries = [];
  for (const f of options.backtestSummary) summaries.push(await readBacktestSummary(input(f), opts));
  const evaluation = options.evaluation === undefined ? undefined : await readReportEvaluation(input(options.evaluation), opts);

  let replays = new Map<string, ReplayInput>();
  if (data !== undefined && policy !== undefined) {
    const lastDay = dataEnd(data) + data.step - 1;
    let from = options.from;
    if (from === undefined && forecast !== undefined) {
      const first = Math.min(...[...forecast.bySku.values()].map((s) => s.days[0]!));
      if (first <= lastDay) from = first;
    }
    if (from !== undefined) {
      const to = options.to ?? lastDay;
      if (from > lastDay) throw new UsageError(`--from ${formatDay(from)} is after the end of the sales data (${formatDay(lastDay)})`);
      if (to > lastDay) throw new UsageError(`--to ${formatDay(to)} is after the end of the sales data (${formatDay(lastDay)})`);
      const { policies, leadTimes: fromPolicy } = replayPolicies(policy);
      const leadTimes: Map<string, LeadTime> = options.leadTimes !== undefined ? await readLeadTimes(input(options.leadTimes), opts) : fromPolicy;
      if (leadTimes.size === 0) {
        throw new InputError(`no lead times for the replay: ${options.policy} has no lead_time_mean column`, [], 'give --lead-times sku,lead_time_days[,lead_time_sd_days]');
      }
      replays = replayTraces(data, policies, leadTimes, { from, to, unmet: options.unmet, seed: options.seed, reviewPeriod: options.reviewPeriod });
      const skipped = [...policies.keys()].filter((sku) => !replays.has(sku)).length;
      ctx.log.info(`replayed ${replays.size} SKU(s) from ${formatDay(from)} to ${formatDay(to)} (seed ${options.seed}, unmet ${options.unmet})${skipped > 0 ? `; ${skipped} policy SKU(s) without sales data or lead time not replayed` : ''}`);
    }
  }

  // The page names files as the user gave them, without folders: the same inputs give the same bytes.
  for (const x of [forecast, policy, backtest, evaluation, ...summaries]) if (x !== undefined && x.file !== '<stdin>') x.file = basename(x.file);
  const inputs: ReportInputs = {
    title: options.title,
    sources: sources.map(([what, f]) => [what, f === '-' ? '<stdin>' : basename(f)]),
    step: data?.step,
    history: data === undefined ? [] : history(data),
    forecast,
    evaluation,
    policy,
    backtest,
    summaries,
    replays,
    window: options.window,
  };
  const page = buildPage(inputs);
  const html = renderReportHtml(page, await loadReportAssets());
  if (toStdout) await emit('-', html, ctx.stdout);
  else await writeFileAtomic(out, html);
  ctx.log.info(`wrote ${toStdout ? 'the report to stdout' : options.out}: ${page.skus.length} SKU(s), ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB, self-contained (open it in a browser)`);
}
