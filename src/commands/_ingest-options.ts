/** The sales-CSV options shared by every command that reads sales history. */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { DATE_FORMATS, type DateFormat } from '../io/dates.js';
import type { IngestOptions } from '../types.js';
import { choiceOption, listOption } from './_options.js';

export function addIngestOptions(cmd: Command): Command {
  return cmd
    .option('--date-col <name>', 'date column', 'date')
    .option('--sku-col <name>', 'SKU (series id) column', 'sku')
    .option('--target-col <name>', 'units sold column', 'units')
    .option('--covariates <list>', 'covariate columns, comma separated (default: every other numeric column)')
    .option('--delimiter <char>', "field delimiter: ',' ';' or 'tab'", ',')
    .option('--date-format <fmt>', `date format: ${DATE_FORMATS.join(' | ')}`, 'YYYY-MM-DD')
    .option('--freq <D|W>', 'data frequency, daily or weekly (default: detected)')
    .option('--fill <policy>', 'missing periods inside a series: missing (masked) | zero', 'missing')
    .option('--aggregate <how>', 'duplicate (sku, date) rows: sum them instead of failing')
    .option('--negative <policy>', 'negative units (returns): zero | keep | error', 'zero');
}

export function parseDelimiter(raw: unknown): string {
  const s = raw === undefined ? ',' : String(raw);
  if (s === 'tab' || s === '\\t' || s === '\t') return '\t';
  if (s === ',' || s === ';' || s === '|') return s;
  throw new UsageError(`--delimiter: expected ',', ';', '|' or 'tab', got ${JSON.stringify(raw)}`);
}

export function parseIngestOptions(raw: Record<string, unknown>): IngestOptions {
  const freqRaw = raw.freq === undefined ? undefined : String(raw.freq).toUpperCase();
  return {
    dateCol: String(raw.dateCol ?? 'date'),
    skuCol: String(raw.skuCol ?? 'sku'),
    targetCol: String(raw.targetCol ?? 'units'),
    covariates: listOption(raw.covariates),
    delimiter: parseDelimiter(raw.delimiter),
    dateFormat: choiceOption<DateFormat>('--date-format', raw.dateFormat, DATE_FORMATS, 'YYYY-MM-DD'),
    freq: freqRaw === undefined ? undefined : choiceOption('--freq', freqRaw, ['D', 'W'] as const, 'D'),
    fill: choiceOption('--fill', raw.fill, ['missing', 'zero'] as const, 'missing'),
    aggregate: raw.aggregate === undefined ? undefined : choiceOption('--aggregate', raw.aggregate, ['sum'] as const, 'sum'),
    negative: choiceOption('--negative', raw.negative, ['zero', 'keep', 'error'] as const, 'zero'),
  };
}
