import { UsageError } from '../../errors.js';
import { parseDay } from '../../io/dates.js';
import { type Format, parseFormat } from '../../io/table.js';
import type { UnmetRule } from '../../simulation/replay.js';
import type { IngestOptions } from '../../types.js';
import { addIngestOptions, parseIngestOptions } from '../_ingest-options.js';
import { choiceOption, flagOption, intOption, numberOption, optionalInt, optionalNumber, optionalString, stringOption } from '../_options.js';
import { defineCommand } from '../_spec.js';

export interface BacktestOptions {
  data: string;
  ingest: IngestOptions;
  policy: string;
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
}

function dateOption(flag: string, raw: unknown): number {
  const s = stringOption(flag, raw);
  const d = parseDay(s.trim());
  if (Number.isNaN(d)) throw new UsageError(`${flag}: expected a date as YYYY-MM-DD, got ${JSON.stringify(raw)}`);
  return d;
}

export const backtestSpec = defineCommand<BacktestOptions>({
  name: 'backtest',
  summary: 'replay actual sales under a policy: stockouts, fill rate, inventory',
  configure(cmd) {
    cmd.requiredOption('--data <file>', 'sales CSV in long format (- = stdin)');
    addIngestOptions(cmd);
    cmd
      .requiredOption('--policy <file>', 'policy CSV (stock simulate output): sku,reorder_point,order_up_to[,lead_time_mean,lead_time_sd,...]')
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
      .option('--strict', 'fail (exit 2) when SKUs are not in every input, instead of warning and skipping them')
      .option('--out <file>', 'write the summary to a file (atomically) instead of stdout')
      .option('--format <fmt>', 'summary format: csv | json | table (default: table on a terminal, csv otherwise)')
      .option('--escape-formulas', 'escape SKU ids and other text cells that a spreadsheet would run as a formula (= + - @ tab CR): leading apostrophe, quoted (docs/input-format.md)')
      .addHelpText(
        'after',
        '\nPer-SKU columns: sku,demand,served,unmet,fill_rate,cycle_service_level,stockout_days,avg_on_hand,orders\n' +
          'Summary columns: policy,skus,demand,served,unmet,fill_rate,cycle_service_level,stockout_days,stockout_rate,avg_on_hand,orders\n' +
          'See docs/reorder-backtest.md for the replay rules.',
      );
  },
  parse(raw) {
    const from = dateOption('--from', raw.from);
    const to = raw.to === undefined ? undefined : dateOption('--to', raw.to);
    if (to !== undefined && to < from) throw new UsageError(`--to ${String(raw.to)} is before --from ${String(raw.from)}`);
    return {
      data: stringOption('--data', raw.data),
      ingest: parseIngestOptions(raw),
      policy: stringOption('--policy', raw.policy),
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
    };
  },
  load: () => import('./backtest.js'),
});
