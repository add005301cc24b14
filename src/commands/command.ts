/**
 * The shape every command follows: a light spec (options, parse to a typed object) that the CLI
 * loads eagerly for --help, and a `run` module loaded lazily when the command actually runs.
 */
import type { Command } from 'commander';
import type { Logger } from '../io/log.js';

export interface Stream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** Width of the terminal, when the stream is one. */
  columns?: number;
}

/** What a command may touch of the outside world; tests pass their own. */
export interface Context {
  stdout: Stream;
  stdin: NodeJS.ReadableStream;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** Where the program was invoked from (relative paths resolve against it). */
  cwd: string;
}

export interface CommandModule<O> {
  run(options: O, ctx: Context): Promise<void>;
}

export interface CommandSpec<O = unknown> {
  name: string;
  summary: string;
  /** Adds options and help text to the commander command. */
  configure(cmd: Command): void;
  /** Raw commander values -> typed options; throws UsageError. Pure, so argv tables can test it. */
  parse(raw: Record<string, unknown>): O;
  load(): Promise<CommandModule<O>>;
  /** Command lines shown under "Examples:" in --help; real ones on data/samples (`# ...` = a comment line). */
  examples?: string[];
  /** Files in docs/ that --help points to (in the installed package). */
  docs?: string[];
  /** Options required only in some cases, with the case: `{ '--policy': 'unless --replan' }`. */
  requiredWhen?: Record<string, string>;
}

export function defineCommand<O>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}
