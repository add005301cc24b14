/**
 * The CSV dialect options shared by every command: `--delimiter` and `--decimal` for the files it
 * reads, `--output-delimiter` and `--output-decimal` for the CSV it writes. Input and output are
 * separate on purpose: a planner may read a ';'-and-','-file from one ERP and write ',' for another.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { DecimalMark } from '../io/numbers.js';

export const DELIMITER_HELP = "field delimiter of the input files: ',' ';' '|' or 'tab'";
export const DECIMAL_HELP = "decimal mark of numbers in the input files: '.' or ',' (',' needs --delimiter ';' '|' or 'tab')";

export function parseDelimiter(raw: unknown, flag = '--delimiter'): string {
  const s = raw === undefined ? ',' : String(raw);
  if (s === 'tab' || s === '\\t' || s === '\t') return '\t';
  if (s === ',' || s === ';' || s === '|') return s;
  throw new UsageError(`${flag}: expected ',', ';', '|' or 'tab', got ${JSON.stringify(raw)}`);
}

function decimalMark(raw: unknown, flag: string): DecimalMark {
  const s = raw === undefined ? '.' : String(raw);
  if (s === '.' || s === ',') return s;
  throw new UsageError(`${flag}: expected '.' or ',', got ${JSON.stringify(raw)}`);
}

/** `--decimal`, checked against the input delimiter: ',' for both cannot be read. */
export function parseDecimal(raw: unknown, delimiter: string): DecimalMark {
  const mark = decimalMark(raw, '--decimal');
  if (mark === ',' && delimiter === ',') throw new UsageError("--decimal ',' needs another field delimiter: pass --delimiter ';' (or '|' or tab)");
  return mark;
}

export function addDecimalOption(cmd: Command): Command {
  return cmd.option('--decimal <mark>', DECIMAL_HELP, '.');
}

export interface OutputDialect {
  delimiter?: string;
  decimal?: DecimalMark;
}

export function addOutputDialectOptions(cmd: Command): Command {
  return cmd
    .option('--output-delimiter <char>', "field delimiter of the CSV written: ',' ';' '|' or 'tab'", ',')
    .option('--output-decimal <mark>', "decimal mark of the numbers written: '.' or ',' (',' needs --output-delimiter ';' '|' or 'tab')", '.');
}

/** The output dialect; empty (the byte-identical default) for ',' and '.'. */
export function parseOutputDialect(raw: Record<string, unknown>): OutputDialect {
  const delimiter = parseDelimiter(raw.outputDelimiter, '--output-delimiter');
  const decimal = decimalMark(raw.outputDecimal, '--output-decimal');
  if (decimal === ',' && delimiter === ',') throw new UsageError("--output-decimal ',' needs another field delimiter: pass --output-delimiter ';' (or '|' or tab)");
  return { ...(delimiter === ',' ? {} : { delimiter }), ...(decimal === '.' ? {} : { decimal }) };
}
