import { type Format, parseFormat } from '../../io/table.js';
import type { BackendChoice } from '../../models/backend-choice.js';
import type { IngestOptions } from '../../types.js';
import { addIngestOptions, parseIngestOptions } from '../_ingest-options.js';
import { intOption, optionalString, stringOption, flagOption } from '../_options.js';
import { defineCommand } from '../_spec.js';
import { type TrainSettings, addTrainOptions, parseTrainOptions } from './_train-options.js';

export interface EvaluateOptions {
  data: string;
  holdout: number;
  perSku: string | undefined;
  out: string | undefined;
  format: Format | undefined;
  /** --escape-formulas: OWASP-escape text cells starting with = + - @ tab CR in CSV output. */
  escapeFormulas: boolean;
  ingest: IngestOptions;
  settings: TrainSettings;
  backend: BackendChoice;
}

export const evaluateSpec = defineCommand<EvaluateOptions>({
  name: 'evaluate',
  summary: 'hold out the last periods and score the LSTM against baselines',
  configure(cmd) {
    cmd.requiredOption('--data <file>', 'sales CSV in long format (- = stdin)');
    cmd.requiredOption('--holdout <n>', 'last periods held out and forecast (with their actual covariates as the plan)');
    cmd
      .option('--per-sku <file>', 'also write the scores of every SKU and model to this CSV')
      .option('--out <file>', 'write the summary to a file (atomically) instead of stdout')
      .option('--format <fmt>', 'csv | json | table (default: table on a terminal, csv otherwise)')
      .option('--escape-formulas', 'escape SKU ids and other text cells that a spreadsheet would run as a formula (= + - @ tab CR): leading apostrophe, quoted (docs/input-format.md)');
    addTrainOptions(cmd, 'LSTM horizon (default: the holdout; at least the holdout)');
    addIngestOptions(cmd);
    cmd.addHelpText('after', '\nScores: WAPE (accuracy = 1 - WAPE), MAE, RMSE, MASE, bias, p10-p90 coverage. See docs/forecasting.md.');
  },
  parse(raw) {
    const holdout = intOption('--holdout', raw.holdout, { min: 1, max: 1000 });
    const train = parseTrainOptions(raw);
    return {
      data: stringOption('--data', raw.data),
      holdout,
      perSku: optionalString(raw.perSku),
      out: optionalString(raw.out),
      format: raw.format === undefined ? undefined : parseFormat(raw.format, 'csv'),
      escapeFormulas: flagOption(raw.escapeFormulas),
      ingest: parseIngestOptions(raw),
      ...train,
    };
  },
  load: () => import('./evaluate.js'),
});
