import { UsageError } from '../../errors.js';
import { type Format, parseFormat } from '../../io/table.js';
import type { BackendChoice } from '../../models/backend-choice.js';
import { BASELINE_NAMES } from '../../models/baselines/index.js';
import type { IngestOptions } from '../../core/types.js';
import { addIngestOptions, parseIngestOptions } from '../_ingest-options.js';
import { flagOption, intOption, listOption, optionalInt, optionalString, stringOption } from '../_options.js';
import { defineCommand } from '../command.js';
import { levelsOption } from './_levels.js';
import { type TrainSettings, addTrainOptions, parseTrainOptions } from './_train-options.js';
import { type OutputDialect, addOutputDialectOptions, parseOutputDialect } from '../_csv-dialect.js';

/** What `--models` accepts: `lstm` (the LSTM alone and its combination) and every baseline. */
export const EVALUATE_MODELS = ['lstm', ...BASELINE_NAMES] as const;
export const DEFAULT_EVALUATE_LEVELS = [80, 95];

export interface EvaluateOptions {
  data: string;
  holdout: number;
  /** Rolling-origin cutoffs (1 = the plain holdout). */
  windows: number;
  /** Periods between cutoffs (default: the holdout). */
  step: number;
  /** Train a new LSTM at every cutoff instead of once at the first. */
  retrain: boolean;
  models: string[];
  levels: number[];
  perSku: string | undefined;
  perCutoff: string | undefined;
  perStep: string | undefined;
  forecasts: string | undefined;
  out: string | undefined;
  format: Format | undefined;
  /** --escape-formulas: OWASP-escape text cells starting with = + - @ tab CR in CSV output. */
  escapeFormulas: boolean;
  /** --output-delimiter / --output-decimal of the CSV written. */
  output: OutputDialect;
  ingest: IngestOptions;
  settings: TrainSettings;
  backend: BackendChoice;
}

export const evaluateSpec = defineCommand<EvaluateOptions>({
  name: 'evaluate',
  summary: 'rolling-origin evaluation: score the LSTM against baselines on held-out periods',
  configure(cmd) {
    cmd.requiredOption('--data <file>', 'sales CSV in long format (- = stdin)');
    cmd.requiredOption('--holdout <n>', 'periods forecast after each cutoff (with their actual covariates as the plan)');
    cmd
      .option('--windows <k>', 'rolling-origin cutoffs: the last is holdout periods before the end, each earlier one --step periods before', '1')
      .option('--step <s>', 'periods between cutoffs (default: the holdout)')
      .option('--retrain', 'train a new LSTM at every cutoff (default: once at the first cutoff, then conditioned on each cutoff\'s history)')
      .option('--models <list>', `models to score (default all): ${EVALUATE_MODELS.join(', ')}`)
      .option('--levels <list>', 'interval levels in percent for coverage and interval scores', DEFAULT_EVALUATE_LEVELS.join(','))
      .option('--per-sku <file>', 'also write the scores of every SKU and model (pooled over cutoffs) to this CSV')
      .option('--per-cutoff <file>', 'also write the scores of every model at every cutoff to this CSV')
      .option('--per-step <file>', 'also write the scores of every model at every horizon step to this CSV')
      .option('--forecasts <file>', 'also write every holdout forecast (sku, cutoff, date, actual, each model\'s point and intervals) to this CSV')
      .option('--out <file>', 'write the summary to a file (atomically) instead of stdout')
      .option('--format <fmt>', 'csv | json | table (default: table on a terminal, csv otherwise)')
      .option('--escape-formulas', 'escape SKU ids and other text cells that a spreadsheet would run as a formula (= + - @ tab CR): leading apostrophe, quoted (docs/input-format.md)');
    addTrainOptions(cmd, 'LSTM horizon (default: the holdout; at least the holdout)');
    addIngestOptions(cmd);
    addOutputDialectOptions(cmd);
    cmd.addHelpText(
      'after',
      '\nScores pooled over all cutoffs: WAPE (accuracy = 1 - WAPE), MAE, RMSE, MASE, bias, p10-p90 coverage, and per level\n' +
        'coverage, Winkler interval score (MSIS) and pinball loss. See docs/forecasting.md and docs/baselines-metrics.md.',
    );
  },
  parse(raw) {
    const holdout = intOption('--holdout', raw.holdout, { min: 1, max: 1000 });
    const train = parseTrainOptions(raw);
    const models = listOption(raw.models) ?? [...EVALUATE_MODELS];
    const unknown = models.filter((m) => !(EVALUATE_MODELS as readonly string[]).includes(m));
    if (unknown.length > 0) throw new UsageError(`--models: unknown model ${unknown.join(', ')}; expected some of ${EVALUATE_MODELS.join(', ')}`);
    if (models.length === 0) throw new UsageError(`--models: expected some of ${EVALUATE_MODELS.join(', ')}`);
    return {
      data: stringOption('--data', raw.data),
      holdout,
      windows: intOption('--windows', raw.windows, { min: 1, max: 100 }, 1),
      step: optionalInt('--step', raw.step, { min: 1, max: 1000 }) ?? holdout,
      retrain: raw.retrain === true,
      models: EVALUATE_MODELS.filter((m) => models.includes(m)),
      levels: levelsOption('--levels', raw.levels, DEFAULT_EVALUATE_LEVELS),
      perSku: optionalString(raw.perSku),
      perCutoff: optionalString(raw.perCutoff),
      perStep: optionalString(raw.perStep),
      forecasts: optionalString(raw.forecasts),
      out: optionalString(raw.out),
      format: raw.format === undefined ? undefined : parseFormat(raw.format, 'csv'),
      escapeFormulas: flagOption(raw.escapeFormulas),
      output: parseOutputDialect(raw),
      ingest: parseIngestOptions(raw),
      ...train,
    };
  },
  load: () => import('./evaluate.js'),
  examples: [
    'stockcast forecast evaluate --data data/samples/sales.csv --holdout 28 --epochs 4 --ensemble 1 --format table',
    'stockcast forecast evaluate --data data/samples/sales.csv --holdout 28 --windows 3 --models ets,seasonal_naive,naive --per-sku scores.csv',
  ],
  docs: ['forecasting.md', 'baselines-metrics.md'],
});
