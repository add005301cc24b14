import type { Format } from '../../io/table.js';
import { parseFormat } from '../../io/table.js';
import type { IngestOptions } from '../../core/types.js';
import { addIngestOptions, parseIngestOptions } from '../_ingest-options.js';
import { flagOption, optionalInt, optionalString, stringOption } from '../_options.js';
import { defineCommand } from '../command.js';
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
  /** undefined = 60 daily or 26 weekly periods. */
  minPeriods: number | undefined;
  /** Only the overall summary (CSV: key,value rows). */
  summaryOnly: boolean;
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
      .option('--min-periods <n>', 'observed periods a SKU needs to count as trainable (default: 60 daily, 26 weekly)')
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
      minPeriods: optionalInt('--min-periods', raw.minPeriods, { min: 1 }),
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
