/**
 * Run the stockcast CLI in-process, capturing stdout and stderr. For tests of every command:
 *   const r = await runCli(['data', 'inspect', '--data', file, '--format', 'json']);
 *   expect(r.code).toBe(2); expect(r.stderr).toMatch(/sales.csv:3:3/);
 * Colour is off (the streams are not TTYs). For the real binary see `runBin`.
 */
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type Invocation, buildProgram, main } from '../../src/cli.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = resolve(REPO_ROOT, 'bin/stockcast.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Text fed to stdin (for `--data -`). */
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  /** Working directory reported to commands (default: the repository root). */
  cwd?: string;
  /** Pretend stdout is a terminal (tables by default). */
  tty?: boolean;
  /** The pretend terminal's width (with tty). */
  columns?: number;
}

class Capture {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export async function runCli(argv: string[], opts: CliOptions = {}): Promise<CliResult> {
  const stdout = new Capture(opts.tty === true, opts.tty === true ? opts.columns : undefined);
  const stderr = new Capture(false);
  const code = await main(argv, {
    stdout,
    stderr,
    stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
    env: opts.env ?? {},
    cwd: opts.cwd ?? REPO_ROOT,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Run the built binary (`node bin/stockcast.js`; build with `npx tsc -p tsconfig.json` first). */
export function runBin(argv: string[], opts: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...argv], {
    cwd: opts.cwd ?? REPO_ROOT,
    input: opts.stdin,
    env: { PATH: process.env.PATH, ...opts.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Parse argv exactly as the CLI does and return the typed options of the invoked command, without
 * running it (argv -> options tables). Usage and option errors throw (UsageError or CommanderError).
 */
export async function parseArgv(argv: string[]): Promise<Invocation> {
  let captured: Invocation | undefined;
  const sink = new Capture(false);
  const program = buildProgram({ stdout: sink, stderr: sink, stdin: Readable.from([]), env: {}, cwd: REPO_ROOT }, async (inv) => {
    captured = inv;
  });
  await program.parseAsync(argv, { from: 'user' });
  if (captured === undefined) throw new Error(`no command ran for ${argv.join(' ')}: ${sink.text}`);
  return captured;
}

/** A failure message without a stack trace or the catch-all "unexpected failure" (an error stockcast did not foresee). */
export function noStack(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(stderr).not.toMatch(/unexpected failure/);
}
