/** The sales-CSV options shared by every command that reads sales history. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { displayName } from '../io/csv-in.js';
import { DATE_FORMATS, type DateFormat } from '../core/calendar.js';
import type { SalesReadResult } from '../io/sales.js';
import type { IngestOptions } from '../core/types.js';
import { SALES_COLUMN_NAMES } from '../core/contracts/sales.js';
import { choiceOption, listOption } from './_options.js';
import { DECIMAL_HELP, DELIMITER_HELP, parseDecimal, parseDelimiter } from './_csv-dialect.js';
import type { Context } from './command.js';

export { DELIMITER_HELP } from './_csv-dialect.js';

export function addIngestOptions(cmd: Command): Command {
  return cmd
    .option('--date-col <name>', 'date column', SALES_COLUMN_NAMES.date)
    .option('--sku-col <name>', 'SKU (series id) column', SALES_COLUMN_NAMES.sku)
    .option('--target-col <name>', 'units sold column', SALES_COLUMN_NAMES.target)
    .option('--covariates <list>', 'covariate columns, comma separated (default: every other numeric column)')
    .option('--delimiter <char>', DELIMITER_HELP, ',')
    .option('--decimal <mark>', DECIMAL_HELP, '.')
    .option('--date-format <fmt>', `date format: ${DATE_FORMATS.join(' | ')}`, 'YYYY-MM-DD')
    .option('--freq <D|W>', 'data frequency, daily or weekly (default: detected)')
    .option('--fill <policy>', 'missing periods inside a series: missing (masked) | zero', 'missing')
    .option('--aggregate <how>', 'duplicate (sku, date) rows: sum (add them up) (default: a duplicate is an error)')
    .option('--negative <policy>', 'negative units (returns): zero | keep | error', 'zero');
}

export { parseDelimiter } from './_csv-dialect.js';

export function parseIngestOptions(raw: Record<string, unknown>): IngestOptions {
  const freqRaw = raw.freq === undefined ? undefined : String(raw.freq).toUpperCase();
  const delimiter = parseDelimiter(raw.delimiter);
  const decimal = parseDecimal(raw.decimal, delimiter);
  return {
    dateCol: String(raw.dateCol ?? SALES_COLUMN_NAMES.date),
    skuCol: String(raw.skuCol ?? SALES_COLUMN_NAMES.sku),
    targetCol: String(raw.targetCol ?? SALES_COLUMN_NAMES.target),
    covariates: listOption(raw.covariates),
    delimiter,
    ...(decimal === ',' ? { decimal } : {}),
    dateFormat: choiceOption<DateFormat>('--date-format', raw.dateFormat, DATE_FORMATS, 'YYYY-MM-DD'),
    freq: freqRaw === undefined ? undefined : choiceOption('--freq', freqRaw, ['D', 'W'] as const, 'D'),
    fill: choiceOption('--fill', raw.fill, ['missing', 'zero'] as const, 'missing'),
    aggregate: raw.aggregate === undefined ? undefined : choiceOption('--aggregate', raw.aggregate, ['sum'] as const, 'sum'),
    negative: choiceOption('--negative', raw.negative, ['zero', 'keep', 'error'] as const, 'zero'),
  };
}

/**
 * What a command does to read `--data`: resolve the path against ctx.cwd (`-` = ctx.stdin), name it
 * in messages as the user typed it, show a progress bar on a terminal, print the warnings.
 */
export async function readSalesInput(data: string, ingest: IngestOptions, ctx: Context): Promise<SalesReadResult> {
  // Imported here, not at the top: spec files import this module and --help must stay instant.
  const { readSales } = await import('../io/sales.js');
  const path = data === '-' ? '-' : resolve(ctx.cwd, data);
  const bar = ctx.log.progress('reading', 100);
  const result = await readSales(path, ingest, {
    stdin: ctx.stdin,
    name: displayName(data),
    progress: (bytes, total) => bar.update(total === undefined ? 0 : Math.floor((100 * bytes) / total), `% ${(bytes / 2 ** 20).toFixed(0)} MiB`),
  }).finally(() => bar.finish());
  for (const w of result.warnings) ctx.log.warn(w);
  return result;
}
