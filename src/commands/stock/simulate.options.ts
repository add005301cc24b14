import { UsageError } from '../../errors.js';
import { DATE_FORMATS, type DateFormat } from '../../core/calendar.js';
import { POLICY_COLUMNS } from '../../core/contracts/policy.js';
import { type Format, parseFormat } from '../../io/table.js';
import type { DemandDistChoice } from '../../simulation/montecarlo/demand.js';
import type { ServiceType } from '../../simulation/montecarlo/engine.js';
import type { Shard } from '../../simulation/montecarlo/shard.js';
import type { Freq } from '../../core/types.js';
import type { PointChoice } from '../../io/forecast-file.js';
import { parseDelimiter } from '../_ingest-options.js';
import { DELIMITER_HELP, type OutputDialect, addDecimalOption, addOutputDialectOptions, parseDecimal, parseOutputDialect } from '../_csv-dialect.js';
import type { DecimalMark } from '../../io/numbers.js';
import { choiceOption, intOption, optionalInt, optionalNumber, optionalString, stringOption, flagOption } from '../_options.js';
import { defineCommand } from '../command.js';
import { MAX_DAYS, MAX_UNITS } from '../../io/numbers.js';

/** The output contract of `stock simulate`: the policy CSV that `stock reorder` and ERPs read. */
export const SIMULATE_COLUMNS = POLICY_COLUMNS;

export interface SimulateOptions {
  forecast: string;
  /** Column names of the forecast file (other tools: statsforecast's unique_id, ds, AutoETS). */
  skuCol: string;
  dateCol: string;
  forecastCol: string;
  /** Interval columns LO,HI for the sd when the forecast has no sd column. */
  intervalCols?: [string, string];
  /** Level of --interval-cols in percent. */
  intervalLevel?: number;
  /** What the forecast column holds: auto = median when the file has p10/p90. */
  point: PointChoice;
  leadTimes?: string;
  /** Default lead time (days) for SKUs without one in the lead-time file. */
  leadTime?: number;
  leadTimeSd: number;
  serviceLevel: number;
  serviceType: ServiceType;
  orderQty?: number;
  orderCost?: number;
  holdingCost?: number;
  /** undefined = continuous review (s,Q). */
  reviewPeriod?: number;
  /** Days the policy stays in force (the cron interval): orders may leave on any of them; 'forecast': every day each SKU's forecast covers. */
  validDays: number | 'forecast';
  /** --error-corr: correlation of the forecast errors between periods for every SKU; undefined = the file's error_corr column, else 0. */
  errorCorr?: number;
  paths: number;
  seed: number;
  /** undefined = one per core. */
  workers?: number;
  shard?: Shard;
  demandDist: DemandDistChoice;
  extendHorizon?: 'repeat-last';
  delimiter: string;
  /** --decimal: decimal mark of the input files. */
  decimal: DecimalMark;
  /** --output-delimiter / --output-decimal of the CSV written. */
  output: OutputDialect;
  dateFormat: DateFormat;
  freq?: Freq;
  out?: string;
  /** undefined = table on a TTY, CSV otherwise. */
  format?: Format;
  /** --escape-formulas: OWASP-escape text cells starting with = + - @ tab CR in CSV output. */
  escapeFormulas: boolean;
}

export function parseShard(raw: unknown): Shard | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(String(raw).trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || !(count >= 1) || !(index < count) || !Number.isSafeInteger(count)) {
    throw new UsageError(`--shard: expected K/N with 0 <= K < N (K is 0-based, like a Kubernetes completion index), got ${JSON.stringify(raw)}`);
  }
  return { index, count };
}

/** --sku-col, --date-col, --forecast-col, --interval-cols, --interval-level: distinct, non-empty names. */
function forecastColumns(raw: Record<string, unknown>): Pick<SimulateOptions, 'skuCol' | 'dateCol' | 'forecastCol' | 'intervalCols' | 'intervalLevel'> {
  const name = (flag: string, v: unknown, dflt: string): string => {
    const s = v === undefined ? dflt : String(v).trim();
    if (s === '') throw new UsageError(`${flag}: expected a column name, got an empty one`);
    return s;
  };
  const skuCol = name('--sku-col', raw.skuCol, 'sku');
  const dateCol = name('--date-col', raw.dateCol, 'date');
  const forecastCol = name('--forecast-col', raw.forecastCol, 'forecast');
  let intervalCols: [string, string] | undefined;
  if (raw.intervalCols !== undefined) {
    const parts = String(raw.intervalCols).split(',').map((p) => p.trim());
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '' || parts[0] === parts[1]) {
      throw new UsageError(`--interval-cols: expected two column names LO,HI (e.g. p05,p95), got ${JSON.stringify(raw.intervalCols)}`);
    }
    intervalCols = [parts[0]!, parts[1]!];
  }
  const names = [skuCol, dateCol, forecastCol, ...(intervalCols ?? [])];
  if (new Set(names).size !== names.length) throw new UsageError(`--sku-col, --date-col, --forecast-col and --interval-cols must name different columns, got ${names.join(', ')}`);
  const intervalLevel = optionalNumber('--interval-level', raw.intervalLevel ?? '80', { above: 0, below: 100 });
  return { skuCol, dateCol, forecastCol, intervalCols, intervalLevel };
}

/** --valid-days: a whole number of days, or `forecast` (every day each SKU's forecast covers; the default). */
function validDaysOption(raw: unknown): number | 'forecast' {
  if (raw === undefined || String(raw).trim() === 'forecast') return 'forecast';
  try {
    return intOption('--valid-days', raw, { min: 1, max: MAX_DAYS });
  } catch (err) {
    throw err instanceof UsageError ? new UsageError(`${err.message}, or forecast`) : err;
  }
}

export const simulateSpec = defineCommand<SimulateOptions>({
  name: 'simulate',
  summary: 'Monte Carlo safety stock and reorder points per SKU from forecasts',
  configure(cmd) {
    cmd
      .requiredOption('--forecast <file>', 'forecast CSV: sku,date,forecast,sd[,p10,p90,model], daily or weekly; - for stdin')
      .option('--sku-col <name>', 'SKU column of the forecast file', 'sku')
      .option('--date-col <name>', 'date column of the forecast file', 'date')
      .option('--forecast-col <name>', 'forecast column (statsforecast: the model, e.g. AutoETS; its -lo-80/-hi-80 give the sd)', 'forecast')
      .option('--interval-cols <LO,HI>', 'without an sd column: the interval columns to derive it from (default: <forecast-col>-lo-N/-hi-N, then p10,p90)')
      .option('--interval-level <pct>', 'level of --interval-cols in percent', '80')
      .option('--point <what>', 'what the forecast column holds: auto | median | mean (auto: median when the file has p10,p90, as forecast predict writes; a median is turned into the mean and sd of demand its interval implies)', 'auto')
      .option('--lead-times <file>', 'lead times CSV: sku,lead_time_days[,lead_time_sd_days][,order_qty]; several rows per SKU = observed lead times')
      .option('--lead-time <days>', 'lead time for SKUs not in --lead-times (or for all SKUs without --lead-times)')
      .option('--lead-time-sd <days>', 'spread of --lead-time (gamma distributed); default 0 = fixed')
      .option('--service-level <p>', 'target service level, between 0 and 1', '0.95')
      .option('--service-type <type>', 'cycle (no stockout in a cycle) | fill (share of demand served from stock)', 'cycle')
      .option('--order-qty <n>', 'order quantity Q of (s,Q) for every SKU (an order_qty column in --lead-times wins)')
      .option('--order-cost <k>', 'fixed cost per order; with --holding-cost, Q = EOQ')
      .option('--holding-cost <h>', 'holding cost per unit per year; with --order-cost, Q = EOQ')
      .option('--review-period <days>', 'periodic review (R,S) every R days; default: continuous review (s,Q)')
      .option('--valid-days <n>', "days this policy stays in force, until the next run replaces it (a nightly cron: 1, a weekly one: 7); orders may leave on any of them, so the lead time is protected from each; forecast = every day each SKU's forecast covers, a policy held until its forecast runs out", 'forecast')
      .option('--error-corr <r>', "correlation (0 to 1) of a SKU's forecast errors between periods; the lead-time demand is widened by it (default: the forecast file's error_corr column, which forecast predict writes, else 0 = independent periods)")
      .option('--paths <n>', 'simulated replenishment cycles per SKU', '10000')
      .option('--seed <n>', 'master seed (each SKU gets its own seed derived from it and its id)', '42')
      .option('--workers <n>', 'worker threads (default: one per core); results do not depend on it')
      .option('--shard <K/N>', 'simulate only shard K of N (K = 0..N-1) of the SKUs; the shards together give the full output')
      .option('--demand-dist <dist>', 'auto | normal | gamma | negbin (auto: see docs/simulate.md)', 'auto')
      .option('--extend-horizon <policy>', 'repeat-last: forecasts shorter than the protection interval repeat their last day')
      .option('--delimiter <char>', DELIMITER_HELP, ',')
      .option('--date-format <fmt>', `date format of the forecast: ${DATE_FORMATS.join(' | ')}`, 'YYYY-MM-DD')
      .option('--freq <D|W>', 'forecast frequency when it cannot be detected (one date per SKU)')
      .option('--out <file>', 'write the policy here (atomically) instead of stdout')
      .option('--format <fmt>', 'csv | json | table (default: table on a terminal, csv otherwise)')
      .option('--escape-formulas', 'escape SKU ids and other text cells that a spreadsheet would run as a formula (= + - @ tab CR): leading apostrophe, quoted (docs/input-format.md)')
      .addHelpText(
        'after',
        `\nOutput columns: ${SIMULATE_COLUMNS.join(',')}\n` +
          'One row per SKU, sorted by sku. demand_* describe demand over the protection interval (lead time,\n' +
          'plus the review period under (R,S)); safety_stock, reorder_point and order_up_to are whole units.\n' +
          'order_up_to = reorder_point + Q under (s,Q), S under (R,S) (where reorder_point = S).\n' +
          'policy (sQ or RS) and review_period (days, 0 under sQ) say which policy it is; stock backtest replays it so.',
      );
    addDecimalOption(cmd);
    addOutputDialectOptions(cmd);
  },
  parse(raw) {
    const leadTime = optionalNumber('--lead-time', raw.leadTime, { min: 0, max: MAX_DAYS });
    const leadTimeSd = optionalNumber('--lead-time-sd', raw.leadTimeSd, { min: 0, max: MAX_DAYS });
    if (raw.leadTimes === undefined && leadTime === undefined) throw new UsageError('either --lead-times FILE or --lead-time DAYS is required');
    if (leadTimeSd !== undefined && leadTime === undefined) throw new UsageError('--lead-time-sd needs --lead-time');
    if (leadTimeSd !== undefined && leadTimeSd > 0 && leadTime === 0) throw new UsageError('--lead-time-sd: a random lead time needs --lead-time above 0');
    const orderCost = optionalNumber('--order-cost', raw.orderCost, { above: 0, max: MAX_UNITS });
    const holdingCost = optionalNumber('--holding-cost', raw.holdingCost, { above: 0, max: MAX_UNITS });
    if ((orderCost === undefined) !== (holdingCost === undefined)) throw new UsageError('--order-cost and --holding-cost go together (Q = EOQ)');
    const cols = forecastColumns(raw);
    const freqRaw = raw.freq === undefined ? undefined : String(raw.freq).toUpperCase();
    return {
      forecast: stringOption('--forecast', raw.forecast),
      ...cols,
      point: choiceOption('--point', raw.point, ['auto', 'median', 'mean'] as const, 'auto'),
      leadTimes: optionalString(raw.leadTimes),
      leadTime,
      leadTimeSd: leadTimeSd ?? 0,
      serviceLevel: optionalNumber('--service-level', raw.serviceLevel ?? '0.95', { above: 0, below: 1 })!,
      serviceType: choiceOption('--service-type', raw.serviceType, ['cycle', 'fill'] as const, 'cycle'),
      orderQty: optionalNumber('--order-qty', raw.orderQty, { above: 0, max: MAX_UNITS }),
      orderCost,
      holdingCost,
      reviewPeriod: optionalInt('--review-period', raw.reviewPeriod, { min: 1, max: MAX_DAYS }),
      validDays: validDaysOption(raw.validDays),
      errorCorr: optionalNumber('--error-corr', raw.errorCorr, { min: 0, max: 1 }),
      paths: intOption('--paths', raw.paths ?? '10000', { min: 100, max: 10_000_000 }),
      seed: intOption('--seed', raw.seed ?? '42', { min: 0, max: 2 ** 32 - 1 }),
      workers: optionalInt('--workers', raw.workers, { min: 1, max: 256 }),
      shard: parseShard(raw.shard),
      demandDist: choiceOption('--demand-dist', raw.demandDist, ['auto', 'normal', 'gamma', 'negbin'] as const, 'auto'),
      extendHorizon: raw.extendHorizon === undefined ? undefined : choiceOption('--extend-horizon', raw.extendHorizon, ['repeat-last'] as const, 'repeat-last'),
      delimiter: parseDelimiter(raw.delimiter),
      decimal: parseDecimal(raw.decimal, parseDelimiter(raw.delimiter)),
      output: parseOutputDialect(raw),
      dateFormat: choiceOption<DateFormat>('--date-format', raw.dateFormat, DATE_FORMATS, 'YYYY-MM-DD'),
      freq: freqRaw === undefined ? undefined : choiceOption('--freq', freqRaw, ['D', 'W'] as const, 'D'),
      out: optionalString(raw.out),
      format: raw.format === undefined ? undefined : parseFormat(raw.format, 'csv'),
      escapeFormulas: flagOption(raw.escapeFormulas),
    };
  },
  load: () => import('./simulate.js'),
  examples: [
    '# with the forecast of the forecast predict example:',
    'stockcast stock simulate --forecast forecast.csv --lead-times data/samples/lead_times.csv --service-level 0.95 --seed 42 --out policy.csv',
    'stockcast stock simulate --forecast forecast.csv --lead-time 7 --review-period 7 --service-type fill --format table',
  ],
  docs: ['simulate.md'],
  requiredWhen: { '--lead-times': 'unless --lead-time', '--lead-time': 'unless --lead-times' },
});
