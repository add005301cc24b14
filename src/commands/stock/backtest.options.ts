import { UsageError } from '../../errors.js';
import { BACKEND_CHOICES, type BackendChoice } from '../../models/backend-choice.js';
import { BASELINE_NAMES, type BaselineName } from '../../models/baselines/index.js';
import type { DemandDistChoice } from '../../simulation/montecarlo/demand.js';
import type { ServiceType } from '../../simulation/montecarlo/engine.js';
import { parseDay } from '../../core/calendar.js';
import { type Format, parseFormat } from '../../io/table.js';
import type { UnmetRule } from '../../simulation/backtest/replay.js';
import type { IngestOptions } from '../../core/types.js';
import { addIngestOptions, parseIngestOptions } from '../_ingest-options.js';
import { choiceOption, flagOption, intOption, listOption, numberOption, optionalInt, optionalNumber, optionalString, stringOption } from '../_options.js';
import { defineCommand } from '../command.js';
import { type OutputDialect, addOutputDialectOptions, parseOutputDialect } from '../_csv-dialect.js';

/** `--replan EVERY`: `7d` days, `1w` weeks, or a bare number of periods of the data. */
export interface ReplanEvery {
  count: number;
  unit: 'd' | 'w' | 'p';
}

/** The options of `--replan` mode (forecast, simulate and replay at every replan date). */
export interface ReplanOptions {
  every: ReplanEvery;
  forecaster?: BaselineName;
  model?: string;
  backend: BackendChoice;
  /** Targets; default [--service-level]. */
  serviceLevels: number[];
  serviceType: ServiceType;
  paths: number;
  demandDist: DemandDistChoice;
  orderQty?: number;
  orderCost?: number;
  holdingCost?: number;
  workers?: number;
  /** Forecast periods at each replan; undefined = 30 days (raised to the protection interval, capped at a model's horizon). */
  horizon?: number;
  retrainEvery?: number;
  /** Write every plan made (replan_date,policy,service_level_target,sku,reorder_point,order_up_to,fresh). */
  plans?: string;
  /** calibrated: scale the forecast sd by the forecaster's past errors over the protection interval; forecast: as given. */
  spread: 'calibrated' | 'forecast';
  /** replay: simulate the exposure of the day-by-day replay (L - 1/2 days under (s,Q)); simulate: L days, as stock simulate. */
  exposure: 'replay' | 'simulate';
  /** Days each plan is in force, as stock simulate --valid-days; undefined = the replan interval. */
  validDays?: number;
}

export interface BacktestOptions {
  data: string;
  ingest: IngestOptions;
  /** Required unless --replan. */
  policy: string;
  replan?: ReplanOptions;
  /** undefined = the lead_time_mean / lead_time_sd columns of the policy file. */
  leadTimes?: string;
  /** Day numbers; `to` undefined = the last day the sales data covers. */
  from: number;
  to?: number;
  unmet: UnmetRule;
  /** Periodic review every R days ((R,S) policies); undefined = continuous review. */
  reviewPeriod?: number;
  inventory?: string;
  perSku?: string;
  compare?: string;
  baseline?: 'classic';
  serviceLevel: number;
  /** Classic Q in days of mean demand; undefined = the compared policy's Q. */
  orderDays?: number;
  historyDays?: number;
  seed: number;
  strict: boolean;
  out?: string;
  format?: Format;
  /** --escape-formulas: OWASP-escape text cells starting with = + - @ tab CR in CSV output. */
  escapeFormulas: boolean;
  /** --output-delimiter / --output-decimal of the CSV written. */
  output: OutputDialect;
}

function dateOption(flag: string, raw: unknown): number {
  const s = stringOption(flag, raw);
  const d = parseDay(s.trim());
  if (Number.isNaN(d)) throw new UsageError(`${flag}: expected a date as YYYY-MM-DD, got ${JSON.stringify(raw)}`);
  return d;
}

const REPLAN_ONLY: [string, string][] = [
  ['forecaster', '--forecaster'],
  ['model', '--model'],
  ['backend', '--backend'],
  ['serviceLevels', '--service-levels'],
  ['serviceType', '--service-type'],
  ['paths', '--paths'],
  ['demandDist', '--demand-dist'],
  ['orderQty', '--order-qty'],
  ['orderCost', '--order-cost'],
  ['holdingCost', '--holding-cost'],
  ['workers', '--workers'],
  ['horizon', '--horizon'],
  ['retrainEvery', '--retrain-every'],
  ['plans', '--plans'],
  ['spread', '--spread'],
  ['exposure', '--exposure'],
  ['validDays', '--valid-days'],
];

export function parseEvery(raw: unknown): ReplanEvery {
  const s = String(raw).trim();
  const m = /^([1-9][0-9]{0,4})([dw]?)$/.exec(s);
  if (m === null) throw new UsageError(`--replan: expected a number of days (7d), weeks (1w) or periods (1), got ${JSON.stringify(raw)}`);
  return { count: Number(m[1]), unit: m[2] === '' ? 'p' : (m[2] as 'd' | 'w') };
}

function parseReplan(raw: Record<string, unknown>): ReplanOptions | undefined {
  if (raw.replan === undefined) {
    const given = REPLAN_ONLY.filter(([k]) => raw[k] !== undefined).map(([, flag]) => flag);
    if (given.length > 0) throw new UsageError(`${given.join(', ')} only apply with --replan EVERY`);
    return undefined;
  }
  if (raw.forecaster !== undefined && raw.model !== undefined) throw new UsageError('--forecaster and --model are exclusive: forecast with a baseline or with a trained model');
  if (raw.model !== undefined && raw.retrainEvery !== undefined) throw new UsageError('--retrain-every applies to --forecaster; a --model is used as trained (retrain it with forecast train)', 'see docs/reorder-backtest.md, "What each choice costs"');
  const single = numberOption('--service-level', raw.serviceLevel, { above: 0, below: 1 }, 0.95);
  let serviceLevels = [single];
  if (raw.serviceLevels !== undefined) {
    const items = listOption(raw.serviceLevels) ?? [];
    if (items.length === 0) throw new UsageError(`--service-levels: expected a list such as 0.90,0.95,0.98, got ${JSON.stringify(raw.serviceLevels)}`);
    serviceLevels = items.map((v) => numberOption('--service-levels', v, { above: 0, below: 1 }));
    if (new Set(serviceLevels).size !== serviceLevels.length) throw new UsageError(`--service-levels: duplicate target in ${JSON.stringify(raw.serviceLevels)}`);
  }
  const orderCost = optionalNumber('--order-cost', raw.orderCost, { above: 0 });
  const holdingCost = optionalNumber('--holding-cost', raw.holdingCost, { above: 0 });
  if ((orderCost === undefined) !== (holdingCost === undefined)) throw new UsageError('--order-cost and --holding-cost go together (Q = EOQ)');
  return {
    every: parseEvery(raw.replan),
    forecaster: raw.forecaster === undefined ? (raw.model === undefined ? 'ets' : undefined) : choiceOption('--forecaster', raw.forecaster, BASELINE_NAMES, 'ets'),
    model: optionalString(raw.model),
    backend: choiceOption('--backend', raw.backend, BACKEND_CHOICES, 'auto'),
    serviceLevels,
    serviceType: choiceOption('--service-type', raw.serviceType, ['cycle', 'fill'] as const, 'cycle'),
    paths: intOption('--paths', raw.paths ?? '10000', { min: 100, max: 10_000_000 }),
    demandDist: choiceOption('--demand-dist', raw.demandDist, ['auto', 'normal', 'gamma', 'negbin'] as const, 'auto'),
    orderQty: optionalNumber('--order-qty', raw.orderQty, { above: 0 }),
    orderCost,
    holdingCost,
    workers: optionalInt('--workers', raw.workers, { min: 1 }),
    horizon: optionalInt('--horizon', raw.horizon, { min: 1 }),
    retrainEvery: optionalInt('--retrain-every', raw.retrainEvery, { min: 1 }),
    plans: optionalString(raw.plans),
    spread: choiceOption('--spread', raw.spread, ['calibrated', 'forecast'] as const, 'calibrated'),
    exposure: choiceOption('--exposure', raw.exposure, ['replay', 'simulate'] as const, 'replay'),
    validDays: optionalInt('--valid-days', raw.validDays, { min: 1, max: 3650 }),
  };
}

export const backtestSpec = defineCommand<BacktestOptions>({
  name: 'backtest',
  summary: 'replay actual sales under a policy: stockouts, fill rate, inventory',
  configure(cmd) {
    cmd.requiredOption('--data <file>', 'sales CSV in long format (- = stdin)');
    addIngestOptions(cmd);
    addOutputDialectOptions(cmd);
    cmd
      .option('--policy <file>', 'policy CSV (stock simulate output): sku,reorder_point,order_up_to[,lead_time_mean,lead_time_sd,...] (required unless --replan)')
      .option('--lead-times <file>', 'lead times: sku,lead_time_days[,lead_time_sd_days] (default: the policy lead_time_mean/lead_time_sd columns)')
      .requiredOption('--from <date>', 'first replayed day, YYYY-MM-DD (the policy should use only data before it)')
      .option('--to <date>', 'last replayed day, YYYY-MM-DD (default: the end of the sales data)')
      .option('--unmet <rule>', 'demand not served from stock: lost | backorder', 'lost')
      .option('--review-period <days>', 'review every R days, for (R,S) policies from stock simulate --review-period (default: every day)')
      .option('--inventory <file>', 'opening stock: sku,on_hand[,on_order][,backorders][,moq,pack_size,max_qty] (default: on_hand = order_up_to)')
      .option('--per-sku <file>', 'write per-SKU results (CSV) to this file; - = stdout (the summary then goes to stderr)')
      .option('--compare <file>', 'replay a second policy with the same seed and lead-time draws, and print the differences')
      .option('--baseline <name>', 'also replay a built-in policy: classic (z * sd * sqrt(L) from history before --from)')
      .option('--service-level <p>', 'cycle service level of the classic baseline', '0.95')
      .option('--order-days <n>', 'classic baseline Q = n days of mean demand (default: the same Q as --policy)')
      .option('--history-days <n>', 'classic baseline: use only the last n days of history before --from (default: all)')
      .option('--seed <n>', 'seed of the lead-time draws', '42')
      .option('--replan <every>', 'replay the nightly loop: forecast, simulate and re-plan every 7d (days), 1w (weeks) or N periods; see docs/reorder-backtest.md')
      .option('--forecaster <name>', `--replan: baseline forecaster, ${BASELINE_NAMES.join(' | ')} (default: ets)`)
      .option('--model <dir>', '--replan: forecast with this trained model (forecast train) instead of a baseline')
      .option('--backend <name>', `--replan --model: TF.js backend, ${BACKEND_CHOICES.join(' | ')} (default: auto)`)
      .option('--service-levels <list>', '--replan: targets, e.g. 0.80,0.90,0.95,0.98,0.99: one replay per policy and target (default: --service-level)')
      .option('--service-type <type>', '--replan: cycle | fill, as stock simulate (default: cycle)')
      .option('--paths <n>', '--replan: simulated cycles per SKU and replan (default: 10000)')
      .option('--demand-dist <dist>', '--replan: auto | normal | gamma | negbin (default: auto)')
      .option('--order-qty <n>', '--replan: Q of (s,Q) for every SKU (an order_qty column in --lead-times wins)')
      .option('--order-cost <k>', '--replan: fixed cost per order; with --holding-cost, Q = EOQ')
      .option('--holding-cost <h>', '--replan: holding cost per unit per year; with --order-cost, Q = EOQ')
      .option('--workers <n>', '--replan: simulation worker threads (default: one per core); results do not depend on it')
      .option('--horizon <n>', '--replan: forecast periods at each replan (default: 30 days, the Q of (s,Q); at least the protection interval; at most a --model horizon)')
      .option('--retrain-every <k>', '--replan --forecaster: refit the forecaster every k replans (default 1: at every replan)')
      .option('--spread <how>', '--replan: calibrated (scale the forecast sd by its own past errors over the lead time) | forecast (as the forecaster gives it) (default: calibrated)')
      .option('--valid-days <n>', '--replan: days each plan is in force, as stock simulate --valid-days (default: the replan interval; 1 = protect only the orders of the replan day, as before)')
      .option('--exposure <how>', '--replan: replay (protect the time an order is exposed in the day-by-day replay: L - 1 days plus part of the ordering day) | simulate (L days, as stock simulate) (default: replay)')
      .option('--plans <file>', '--replan: write every plan made, one row per replan date, policy, target and SKU (CSV)')
      .option('--strict', 'fail (exit 2) when SKUs are not in every input, instead of warning and skipping them')
      .option('--out <file>', 'write the summary to a file (atomically) instead of stdout')
      .option('--format <fmt>', 'summary format: csv | json | table (default: table on a terminal, csv otherwise)')
      .option('--escape-formulas', 'escape SKU ids and other text cells that a spreadsheet would run as a formula (= + - @ tab CR): leading apostrophe, quoted (docs/input-format.md)')
      .addHelpText(
        'after',
        '\nPer-SKU columns: sku,demand,served,unmet,fill_rate,cycle_service_level,stockout_days,avg_on_hand,orders\n' +
          'Summary columns: policy,skus,demand,served,unmet,fill_rate,cycle_service_level,stockout_days,stockout_rate,avg_on_hand,orders\n' +
          'With --replan: both gain service_level_target (and avg_inventory_value when the data has a price column) at the end; no difference rows.\n' +
          'See docs/reorder-backtest.md for the replay rules.',
      );
  },
  parse(raw) {
    const from = dateOption('--from', raw.from);
    const to = raw.to === undefined ? undefined : dateOption('--to', raw.to);
    if (to !== undefined && to < from) throw new UsageError(`--to ${String(raw.to)} is before --from ${String(raw.from)}`);
    const replan = parseReplan(raw);
    if (replan === undefined && (raw.policy === undefined || raw.policy === '')) throw new UsageError("required option '--policy <file>' not specified", 'give the policy to replay, or --replan EVERY to build one at every replan date');
    if (replan !== undefined) {
      for (const [flag, v] of [['--policy', raw.policy], ['--compare', raw.compare]] as const) {
        if (v !== undefined) throw new UsageError(`${flag} cannot be used with --replan: the policies are built at every replan date`);
      }
      if (raw.leadTimes === undefined) throw new UsageError('--replan needs --lead-times FILE (sku,lead_time_days[,lead_time_sd_days][,order_qty])');
    }
    return {
      data: stringOption('--data', raw.data),
      ingest: parseIngestOptions(raw),
      policy: replan === undefined ? stringOption('--policy', raw.policy) : '',
      replan,
      leadTimes: optionalString(raw.leadTimes),
      from,
      to,
      unmet: choiceOption('--unmet', raw.unmet, ['lost', 'backorder'] as const, 'lost'),
      reviewPeriod: optionalInt('--review-period', raw.reviewPeriod, { min: 1, max: 3650 }),
      inventory: optionalString(raw.inventory),
      perSku: optionalString(raw.perSku),
      compare: optionalString(raw.compare),
      baseline: raw.baseline === undefined ? undefined : choiceOption('--baseline', raw.baseline, ['classic'] as const, 'classic'),
      serviceLevel: numberOption('--service-level', raw.serviceLevel, { above: 0, below: 1 }, 0.95),
      orderDays: optionalNumber('--order-days', raw.orderDays, { above: 0 }),
      historyDays: optionalInt('--history-days', raw.historyDays, { min: 2 }),
      seed: intOption('--seed', raw.seed, { min: 0, max: 2 ** 32 - 1 }, 42),
      strict: flagOption(raw.strict),
      out: optionalString(raw.out),
      format: raw.format === undefined ? undefined : parseFormat(raw.format, 'csv'),
      escapeFormulas: flagOption(raw.escapeFormulas),
      output: parseOutputDialect(raw),
    };
  },
  load: () => import('./backtest.js'),
  examples: [
    'stockcast stock backtest --data data/samples/sales.csv --lead-times data/samples/lead_times.csv --from 2026-08-01 --replan 7d --forecaster ets --format table',
    '# a policy from stock simulate (fair only when it was built from sales before --from; see the docs):',
    'stockcast stock backtest --data data/samples/sales.csv --policy policy.csv --lead-times data/samples/lead_times.csv --from 2026-08-01 --baseline classic',
  ],
  docs: ['reorder-backtest.md'],
  requiredWhen: { '--policy': 'unless --replan' },
});
