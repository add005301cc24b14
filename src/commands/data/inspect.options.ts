import type { Format } from '../../io/table.js';
import { parseFormat } from '../../io/table.js';
import type { IngestOptions } from '../../core/types.js';
import { addIngestOptions, parseIngestOptions } from '../_ingest-options.js';
import { flagOption, optionalInt, optionalString, stringOption } from '../_options.js';
import { defineCommand } from '../command.js';
import { Option } from 'commander';
import { UsageError } from '../../errors.js';
import { type OutputDialect, addOutputDialectOptions, parseOutputDialect } from '../_csv-dialect.js';

export interface InspectOptions {
  data: string;
  ingest: IngestOptions;
  /** undefined = table on a terminal, CSV otherwise. */
  format: Format | undefined;
  /** --escape-formulas: OWASP-escape text cells starting with = + - @ tab CR in CSV output. */
  escapeFormulas: boolean;
  /** --output-delimiter / --output-decimal of the CSV written. */
  output: OutputDialect;
  out: string | undefined;
  /** The --window of the model forecast predict will use; undefined = forecast train's default (56 daily, 26 weekly). */
  window: number | undefined;
  /** Only the overall summary (CSV: key,value rows). */
  summaryOnly: boolean;
}

function parseWindow(raw: Record<string, unknown>): number | undefined {
  if (raw.minPeriods !== undefined) {
    throw new UsageError(
      '--min-periods was removed: too_short now says which SKUs forecast predict gives a fallback instead of the LSTM (its rule follows from the model\'s window)',
      'give --window N, the --window the model was trained with (default 56 daily, 26 weekly); see docs/data-inspect.md',
    );
  }
  return optionalInt('--window', raw.window, { min: 1, max: 2000 });
}

export const inspectSpec = defineCommand<InspectOptions>({
  name: 'inspect',
  summary: 'summarise a sales CSV: rows, SKUs, dates, frequency, gaps, promotions',
  configure(cmd) {
    cmd.requiredOption('--data <file>', 'sales CSV in long format (- = stdin)');
    addIngestOptions(cmd);
    addOutputDialectOptions(cmd);
    cmd
      .option('--format <fmt>', 'table | csv | json (default: table on a terminal, csv otherwise)')
      .option('--escape-formulas', 'escape SKU ids and other text cells that a spreadsheet would run as a formula (= + - @ tab CR): leading apostrophe, quoted (docs/input-format.md)')
      .option('--out <file>', 'write the result to a file (atomically) instead of stdout')
      .option('--window <n>', "the --window of the model forecast predict will use (default: forecast train's, 56 daily, 26 weekly); too_short follows from it")
      .addOption(new Option('--min-periods <n>').hideHelp())
      .option('--summary', 'only the overall summary, not one row per SKU');
    cmd.addHelpText(
      'after',
      '\nCSV output has one row per SKU; JSON holds the summary, the covariates and the SKUs.\nSee docs/data-inspect.md.',
    );
  },
  parse(raw) {
    return {
      data: stringOption('--data', raw.data),
      ingest: parseIngestOptions(raw),
      format: raw.format === undefined ? undefined : parseFormat(raw.format, 'csv'),
      escapeFormulas: flagOption(raw.escapeFormulas),
      output: parseOutputDialect(raw),
      out: optionalString(raw.out),
      window: parseWindow(raw),
      summaryOnly: flagOption(raw.summary),
    };
  },
  load: () => import('./inspect.js'),
  examples: [
    'stockcast data inspect --data data/samples/sales.csv --format table',
    'stockcast data inspect --data data/samples/sales.csv --summary --format json',
  ],
  docs: ['data-inspect.md', 'input-format.md'],
});
