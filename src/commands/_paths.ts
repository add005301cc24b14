/**
 * Paths of a command's inputs and outputs: resolved against ctx.cwd ('-' = stdin/stdout), stdin
 * read at most once, and outputs checked before the work starts (exit 2 instead of a failure after
 * minutes of computation). The file-system rules themselves live in io/output.ts.
 */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { type PathFlag, checkOutputs } from '../io/output.js';
import type { Context } from './command.js';

/** `-` stays `-`; anything else is resolved against the directory stockcast was started in. */
export function absPath(ctx: Pick<Context, 'cwd'>, p: string): string;
export function absPath(ctx: Pick<Context, 'cwd'>, p: string | undefined): string | undefined;
export function absPath(ctx: Pick<Context, 'cwd'>, p: string | undefined): string | undefined {
  return p === undefined || p === '-' ? p : resolve(ctx.cwd, p);
}

/** Only one option may read stdin: `--data - --future -` cannot both get it. */
export function stdinOnce(options: [flag: string, value: string | undefined][]): void {
  const readers = options.filter(([, v]) => v === '-').map(([f]) => f);
  if (readers.length > 1) throw new UsageError(`${readers.join(' and ')} cannot both read stdin`, 'give all but one of them a file');
}

/**
 * Only one output may go to stdout: two CSV tables in one stream cannot be read back
 * (`forecast evaluate --forecasts -` printed the forecasts and then the summary).
 */
export function stdoutOnce(outputs: [flag: string, value: string | undefined][]): void {
  const writers = outputs.filter(([, v]) => v === '-').map(([f]) => f);
  if (writers.length > 1) throw new UsageError(`${writers.join(' and ')} cannot both write to stdout (two tables in one stream cannot be read back)`, 'give all but one of them a file name');
}

/**
 * The summary's place for stdoutOnce: stdout without --out or with --out -, unless --per-sku - takes
 * stdout (the summary then goes to stderr).
 */
export function summaryOutput(out: string | undefined, perSku: string | undefined): [string, string | undefined] {
  return [out === undefined ? 'the summary (stdout without --out)' : '--out', perSku === '-' ? undefined : (out ?? '-')];
}

/** The flags and absolute paths of the options that were given. */
export function flags(ctx: Pick<Context, 'cwd'>, options: [flag: string, value: string | undefined][]): PathFlag[] {
  return options.filter((o): o is [string, string] => o[1] !== undefined).map(([flag, v]) => ({ flag, path: absPath(ctx, v), name: v }));
}

/** Check the outputs against the file system and the inputs, before any work. */
export async function checkPaths(ctx: Pick<Context, 'cwd'>, outputs: [string, string | undefined][], inputs: [string, string | undefined][]): Promise<void> {
  await checkOutputs(flags(ctx, outputs), flags(ctx, inputs));
}

/** The terminal's width for a table written to stdout; none for a table going into a file. */
export function terminalWidth(ctx: Pick<Context, 'stdout'>, out: string | undefined): number | undefined {
  return out === undefined || out === '-' ? ctx.stdout.columns : undefined;
}
