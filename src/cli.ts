/**
 * The stockcast command line: builds the commander program from the registry, runs one command,
 * and turns every error into a message on stderr and an exit code (0 ok, 1 runtime, 2 usage/input).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { CommandSpec, Context } from './commands/command.js';
import { decorateHelp, helpArgv } from './commands/_help.js';
import { GROUPS, TOP_LEVEL, findSpec } from './commands/registry.js';
import { ExitCode, InputError, StockcastError, formatProblem } from './errors.js';
import { isSystemError } from './io/fs-ops.js';
import { createLogger, type LogStream } from './io/log.js';
import { MAX_MESSAGE, safeText } from './text-safe.js';

export interface MainIO {
  stdout: LogStream;
  stderr: LogStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * A process stream that never throws and never crashes the process: when its reader goes away
 * (EPIPE: `stockcast ... | head`) or the disk is full (`> /dev/full`), further writes are dropped
 * and the command goes on, so files it writes with --out still appear. An error other than EPIPE
 * on stdout is kept and reported once the command is done (exit 1): the data did not arrive.
 */
export class GuardedStream implements LogStream {
  closed = false;
  error: NodeJS.ErrnoException | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      this.closed = true;
      if (err.code !== 'EPIPE') this.error ??= err;
    });
  }

  get isTTY(): boolean | undefined {
    return this.stream.isTTY;
  }

  get columns(): number | undefined {
    return this.stream.columns;
  }

  write(chunk: string): boolean {
    if (this.closed) return true;
    try {
      return this.stream.write(chunk);
    } catch (err) {
      this.closed = true;
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') this.error ??= err as NodeJS.ErrnoException;
      return true;
    }
  }

  /** Wait until what was written has reached the file or pipe (or failed). */
  async flush(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      if (this.stream.writableLength === 0) setImmediate(resolve);
      else this.stream.write('', () => resolve());
    });
    // An error on the last write arrives on the next tick.
    await new Promise((r) => setImmediate(r));
  }
}

let processStreams: { stdout: GuardedStream; stderr: GuardedStream } | undefined;

function defaultIO(): MainIO {
  processStreams ??= { stdout: new GuardedStream(process.stdout), stderr: new GuardedStream(process.stderr) };
  return { stdout: processStreams.stdout, stderr: processStreams.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

function version(): string {
  // dist/src/cli.js when built, src/cli.ts under vitest.
  const url = [new URL('../../package.json', import.meta.url), new URL('../package.json', import.meta.url)].find((u) => existsSync(u))!;
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version: string };
  return pkg.version;
}

export interface Invocation {
  group: string;
  command: string;
  options: unknown;
}

/**
 * Build the program. `onRun` receives the parsed, typed options of the command that was invoked;
 * `main` runs it, tests can capture it (argv -> options tables).
 */
/** Commander's own messages echo what was typed (an unknown option): controls escaped, lines cut. */
function safeLines(s: string): string {
  return s
    .split('\n')
    .map((l) => safeText(l, MAX_MESSAGE))
    .join('\n');
}

export function buildProgram(io: MainIO, onRun: (inv: Invocation, global: { quiet: boolean; color: boolean }) => Promise<void>): Command {
  // Data and help go to stdout; commander's messages, sanitised, to stderr.
  const output = { writeOut: (s: string) => io.stdout.write(s), writeErr: (s: string) => io.stderr.write(safeLines(s)) };
  const program = new Command('stockcast');
  program
    .description('Demand forecasting and Monte Carlo inventory optimization for supply planners')
    .version(version(), '-V, --version', 'print the version')
    .option('-q, --quiet', 'no progress or info messages on stderr (warnings and errors still shown)')
    .option('--no-color', 'no colour on stderr (NO_COLOR is also respected)')
    // Every command's help lists these under "Global Options:" (subcommands inherit the setting);
    // they work before or after the command's name.
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput(output);

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const addCommand = (parent: Command, group: string, spec: CommandSpec<any>) => {
    const c = parent.command(spec.name).description(spec.summary).exitOverride();
    c.configureOutput(output);
    spec.configure(c);
    decorateHelp(c, spec);
    c.action(async (_opts: Record<string, unknown>, cmd: Command) => {
      const all = cmd.optsWithGlobals() as Record<string, unknown>;
      const options = spec.parse(cmd.opts());
      await onRun({ group, command: spec.name, options }, { quiet: all.quiet === true, color: all.color !== false });
    });
  };
  for (const group of GROUPS) {
    const g = program.command(group.name).description(group.summary).exitOverride();
    g.configureOutput(output);
    for (const spec of group.commands) addCommand(g, group.name, spec);
  }
  for (const spec of TOP_LEVEL) addCommand(program, '', spec);
  return program;
}

export async function main(argv: string[], ioIn?: Partial<MainIO>): Promise<number> {
  const io: MainIO = { ...defaultIO(), ...ioIn };
  let log = createLogger({ stream: io.stderr, env: io.env });
  try {
    const program = buildProgram(io, async (inv, global) => {
      log = createLogger({ stream: io.stderr, env: io.env, quiet: global.quiet, color: global.color });
      const spec = findSpec(inv.group, inv.command)!;
      const mod = await spec.load();
      const ctx: Context = { stdout: io.stdout, stdin: io.stdin, log, env: io.env, cwd: io.cwd };
      await mod.run(inv.options, ctx);
    });
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.ok;
    }
    const args = helpArgv(argv, (g, c) => findSpec(g, c) !== undefined, (g) => GROUPS.some((x) => x.name === g));
    await program.parseAsync(args, { from: 'user' });
    return await stdoutStatus(io, log);
  } catch (err) {
    const code = report(err, log);
    await stdoutStatus(io, log);
    return code;
  }
}

/** Exit 1 when stdout could not take the data (disk full, I/O error); a closed pipe is fine. */
async function stdoutStatus(io: MainIO, log: ReturnType<typeof createLogger>): Promise<number> {
  const out = io.stdout;
  if (!(out instanceof GuardedStream)) return ExitCode.ok;
  await out.flush();
  if (out.error === undefined) return ExitCode.ok;
  log.error(`cannot write to stdout: ${out.error.message}`);
  if (out.error.code === 'ENOSPC') log.error('the disk that stdout goes to is full; the output is incomplete');
  return ExitCode.runtime;
}

function report(err: unknown, log: ReturnType<typeof createLogger>): number {
  if (err instanceof CommanderError) {
    // Help and version are requested output, not errors; commander already printed the message.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
      return ExitCode.ok;
    }
    return ExitCode.input;
  }
  if (err instanceof InputError) {
    log.error(err.message);
    for (const p of err.problems) log.error(`  ${formatProblem(p)}`);
    if (err.truncated > 0) log.error(`  ... and ${err.truncated} more`);
    if (err.hint) log.error(err.hint);
    return err.exitCode;
  }
  if (err instanceof StockcastError) {
    log.error(err.message);
    if (err.hint) log.error(err.hint);
    return err.exitCode;
  }
  if (isSystemError(err)) {
    // An operating-system failure that no reader turned into a message: still not a bug.
    log.error(`I/O error: ${err.message}`);
    return ExitCode.runtime;
  }
  const e = err as Error;
  log.error(`unexpected failure: ${e?.message ?? String(err)}`);
  if (process.env.STOCKCAST_DEBUG) log.error(e?.stack ?? '');
  else log.error('this is a bug in stockcast; rerun with STOCKCAST_DEBUG=1 for a stack trace and report it');
  return ExitCode.runtime;
}
