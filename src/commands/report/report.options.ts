import { UsageError } from '../../errors.js';
import { parseDay } from '../../core/calendar.js';
import type { UnmetRule } from '../../simulation/backtest/replay.js';
import type { IngestOptions } from '../../core/types.js';
import { addIngestOptions, parseIngestOptions } from '../_ingest-options.js';
import { choiceOption, intOption, optionalInt, optionalString, stringOption } from '../_options.js';
import { defineCommand } from '../command.js';

export interface ReportOptions {
  out: string;
  data?: string;
  ingest: IngestOptions;
  forecast?: string;
  policy?: string;
  backtestPerSku?: string;
  /** One or more backtest summaries: each policy row is a point of the service-inventory plane. */
  backtestSummary: string[];
  evaluation?: string;
  leadTimes?: string;
  /** Replay window (day numbers); `from` undefined = the first forecast date when the sales data covers it. */
  from?: number;
  to?: number;
  unmet: UnmetRule;
  reviewPeriod?: number;
  seed: number;
  title: string;
  /** Periods of history shown before the forecast when a SKU opens. */
  window: number;
}

function dateOption(flag: string, raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const d = parseDay(String(raw).trim());
  if (Number.isNaN(d)) throw new UsageError(`${flag}: expected a date as YYYY-MM-DD, got ${JSON.stringify(raw)}`);
  return d;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const reportSpec = defineCommand<ReportOptions>({
  name: 'report',
  summary: 'one self-contained HTML page of charts from the files the other commands wrote',
  configure(cmd) {
    cmd
      .requiredOption('--out <file>', 'the HTML file to write (atomically); - = stdout')
      .option('--data <file>', 'sales CSV: the history (and the actuals over a holdout)')
      .option('--forecast <file>', 'forecast CSV from forecast predict (sku,date,forecast[,sd,p10,p90,model]; lo-/hi- level columns too)')
      .option('--policy <file>', 'policy CSV from stock simulate (reorder_point, order_up_to lines)')
      .option('--backtest-per-sku <file>', 'per-SKU CSV from stock backtest --per-sku (stockout days, fill rate)')
      .option('--backtest-summary <file>', 'summary CSV from stock backtest --out; repeat it to plot several runs on the service-inventory plane', collect)
      .option('--evaluation <file>', 'holdout forecasts saved by forecast evaluate --forecasts (sku,cutoff,date,actual,<model>,<model>-p10,...)')
      .option('--lead-times <file>', 'lead times for the on-hand replay: sku,lead_time_days[,lead_time_sd_days] (default: the policy lead_time_mean/lead_time_sd columns)')
      .option('--from <date>', 'replay the policy over the sales data from this day, as stock backtest --from (default: the first forecast date, when the sales data covers it)')
      .option('--to <date>', 'last replayed day (default: the end of the sales data)')
      .option('--unmet <rule>', 'replay: demand not served from stock is lost | backorder', 'lost')
      .option('--review-period <days>', 'replay: review every R days, for (R,S) policies')
      .option('--seed <n>', 'replay: seed of the lead-time draws (the same as stock backtest --seed gives the same replay)', '42')
      .option('--title <text>', 'page title', 'stockcast report')
      .option('--window <n>', 'periods of history shown before the forecast when a SKU opens (zoom out with a double click)', '120');
    addIngestOptions(cmd);
    cmd.addHelpText(
      'after',
      '\nEvery input is optional; the page shows what it is given. Nothing is fetched when the page is viewed:\n' +
        'the charting library (uPlot) and the data are inside the file. See docs/report.md.',
    );
  },
  parse(raw) {
    const from = dateOption('--from', raw.from);
    const to = dateOption('--to', raw.to);
    if (from !== undefined && to !== undefined && to < from) throw new UsageError(`--to ${String(raw.to)} is before --from ${String(raw.from)}`);
    return {
      out: stringOption('--out', raw.out),
      data: optionalString(raw.data),
      ingest: parseIngestOptions(raw),
      forecast: optionalString(raw.forecast),
      policy: optionalString(raw.policy),
      backtestPerSku: optionalString(raw.backtestPerSku),
      backtestSummary: Array.isArray(raw.backtestSummary) ? raw.backtestSummary.map(String) : [],
      evaluation: optionalString(raw.evaluation),
      leadTimes: optionalString(raw.leadTimes),
      from,
      to,
      unmet: choiceOption('--unmet', raw.unmet, ['lost', 'backorder'] as const, 'lost'),
      reviewPeriod: optionalInt('--review-period', raw.reviewPeriod, { min: 1, max: 365 }),
      seed: intOption('--seed', raw.seed, { min: 0 }, 42),
      title: String(raw.title ?? 'stockcast report'),
      window: intOption('--window', raw.window, { min: 1, max: 100000 }, 120),
    };
  },
  load: () => import('./report.js'),
  examples: [
    '# with the files of the forecast predict and stock simulate examples:',
    'stockcast report --out report.html --data data/samples/sales.csv --forecast forecast.csv --policy policy.csv',
  ],
  docs: ['report.md'],
});
