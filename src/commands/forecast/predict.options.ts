import { type PlanFill, PLAN_FILLS } from '../../io/plan.js';
import { type Format, parseFormat } from '../../io/table.js';
import { BACKEND_CHOICES, type BackendChoice } from '../../models/backend-choice.js';
import type { IngestOptions } from '../../core/types.js';
import { addIngestOptions, parseIngestOptions } from '../_ingest-options.js';
import { choiceOption, optionalInt, optionalString, stringOption, flagOption } from '../_options.js';
import { defineCommand } from '../command.js';
import { levelsOption } from './_levels.js';
import { type OutputDialect, addOutputDialectOptions, parseOutputDialect } from '../_csv-dialect.js';

export interface PredictOptions {
  model: string;
  data: string;
  future: string | undefined;
  out: string | undefined;
  /** undefined = table on a terminal, CSV otherwise. */
  format: Format | undefined;
  /** --escape-formulas: OWASP-escape text cells starting with = + - @ tab CR in CSV output. */
  escapeFormulas: boolean;
  /** --output-delimiter / --output-decimal of the CSV written. */
  output: OutputDialect;
  /** undefined = the model's horizon. */
  horizon: number | undefined;
  planFill: PlanFill | undefined;
  /** Extra interval levels (percent) written as lo-L,hi-L after the contract columns; [] = none. */
  levels: number[];
  ingest: IngestOptions;
  backend: BackendChoice;
  /** Threads for the classical members refitted side by side (undefined = one per core). */
  workers: number | undefined;
}

export const predictSpec = defineCommand<PredictOptions>({
  name: 'predict',
  summary: 'forecast every SKU with uncertainty from a trained model and a promotion plan',
  configure(cmd) {
    cmd.requiredOption('--model <dir>', 'model directory written by forecast train');
    cmd.requiredOption('--data <file>', 'sales history CSV (same columns as training; - = stdin)');
    cmd
      .option('--future <file>', 'promotion plan: date, sku and the covariates for the forecast periods (required when the model uses covariates)')
      .option('--plan-fill <policy>', 'missing plan rows and empty plan cells: last (repeat the last known values) | zero (default: error)')
      .option('--horizon <n>', 'periods to forecast (default and maximum: the trained horizon)')
      .option('--levels <list>', 'also write central intervals at these levels in percent (e.g. 80,95) as lo-80,hi-80,... after the model column')
      .option('--out <file>', 'write the forecast to a file (atomically) instead of stdout')
      .option('--format <fmt>', 'csv | json | table (default: table on a terminal, csv otherwise)')
      .option('--escape-formulas', 'escape SKU ids and other text cells that a spreadsheet would run as a formula (= + - @ tab CR): leading apostrophe, quoted (docs/input-format.md)')
      .option('--workers <n>', 'threads for the classical members refitted at predict time (default: one per core); results do not depend on it')
      .option('--backend <name>', `TF.js backend: ${BACKEND_CHOICES.join(' | ')}`, 'auto');
    addIngestOptions(cmd);
    addOutputDialectOptions(cmd);
    cmd.addHelpText('after', '\nOutput columns: sku,date,forecast,sd,p10,p90,model (then lo-L,hi-L per --levels), sorted by sku and date. See docs/forecasting.md.');
  },
  parse(raw) {
    return {
      model: stringOption('--model', raw.model),
      data: stringOption('--data', raw.data),
      future: optionalString(raw.future),
      out: optionalString(raw.out),
      format: raw.format === undefined ? undefined : parseFormat(raw.format, 'csv'),
      escapeFormulas: flagOption(raw.escapeFormulas),
      output: parseOutputDialect(raw),
      horizon: optionalInt('--horizon', raw.horizon, { min: 1, max: 1000 }),
      planFill: raw.planFill === undefined ? undefined : choiceOption('--plan-fill', raw.planFill, PLAN_FILLS, 'last'),
      levels: levelsOption('--levels', raw.levels, []),
      ingest: parseIngestOptions(raw),
      backend: choiceOption('--backend', raw.backend, BACKEND_CHOICES, 'auto'),
      workers: optionalInt('--workers', raw.workers, { min: 1, max: 256 }),
    };
  },
  load: () => import('./predict.js'),
  examples: [
    '# with the model of the forecast train example:',
    'stockcast forecast predict --model model --data data/samples/sales.csv --future data/samples/promo_plan.csv --out forecast.csv',
    'stockcast forecast predict --model model --data data/samples/sales.csv --future data/samples/promo_plan.csv --levels 80,95 --format table',
  ],
  docs: ['forecasting.md'],
});
