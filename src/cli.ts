/**
 * The stockcast command line: builds the commander program from the registry, runs one command,
 * and turns every error into a message on stderr and an exit code (0 ok, 1 runtime, 2 usage/input).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { Context } from './commands/_spec.js';
import { GROUPS, TOP_LEVEL, findSpec } from './commands/registry.js';
import { ExitCode, InputError, StockcastError, formatProblem } from './errors.js';
import { createLogger, type LogStream } from './io/log.js';

export interface MainIO {
  stdout: LogStream;
  stderr: LogStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

function defaultIO(): MainIO {
  // `stockcast ... | head`: the reader went away; stop quietly instead of crashing on EPIPE.
  if (process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
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
export function buildProgram(io: MainIO, onRun: (inv: Invocation, global: { quiet: boolean; color: boolean }) => Promise<void>): Command {
  const program = new Command('stockcast');
  program
    .description('Demand forecasting and Monte Carlo inventory optimization for supply planners')
    .version(version(), '-V, --version', 'print the version')
    .option('-q, --quiet', 'no progress or info messages on stderr (warnings and errors still shown)')
    .option('--no-color', 'no colour on stderr (NO_COLOR is also respected)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  for (const group of GROUPS) {
    const g = program.command(group.name).description(group.summary).exitOverride();
    g.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
    for (const spec of group.commands) {
      const c = g.command(spec.name).description(spec.summary).exitOverride();
      c.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
      spec.configure(c);
      c.action(async (_opts: Record<string, unknown>, cmd: Command) => {
        const all = cmd.optsWithGlobals() as Record<string, unknown>;
        const options = spec.parse(cmd.opts());
        await onRun({ group: group.name, command: spec.name, options }, { quiet: all.quiet === true, color: all.color !== false });
      });
    }
  }
  for (const spec of TOP_LEVEL) {
    const c = program.command(spec.name).description(spec.summary).exitOverride();
    c.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
    spec.configure(c);
    c.action(async (_opts: Record<string, unknown>, cmd: Command) => {
      const all = cmd.optsWithGlobals() as Record<string, unknown>;
      const options = spec.parse(cmd.opts());
      await onRun({ group: '', command: spec.name, options }, { quiet: all.quiet === true, color: all.color !== false });
    });
  }
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
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    return report(err, log);
  }
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
  const e = err as Error;
  log.error(`unexpected failure: ${e?.message ?? String(err)}`);
  if (process.env.STOCKCAST_DEBUG) log.error(e?.stack ?? '');
  else log.error('this is a bug in stockcast; rerun with STOCKCAST_DEBUG=1 for a stack trace and report it');
  return ExitCode.runtime;
}
