/**
 * Typed errors carrying exit codes. Every failure the user can cause is a StockcastError;
 * `cli.ts` turns it into a message on stderr and an exit code in one place.
 */

import { safeText } from './text-safe.js';

export const ExitCode = {
  ok: 0,
  runtime: 1,
  input: 2,
} as const;

/** One problem found in an input, located as precisely as we can. */
export interface Problem {
  file?: string;
  /** 1-based physical line of the record in the file. */
  line?: number;
  /** 1-based field number. */
  column?: number;
  /** Column name, when known. */
  columnName?: string;
  /** The offending value as it arrived. */
  value?: string;
  /** What was expected instead. */
  expected?: string;
  /** Short description of the problem. */
  message: string;
}

export class StockcastError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Bad command line: unknown option, bad option value, missing required option. Exit 2. */
export class UsageError extends StockcastError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.input, hint);
  }
}

/** Bad input data. Carries every problem found in one pass (up to a cap). Exit 2. */
export class InputError extends StockcastError {
  readonly problems: Problem[];
  readonly truncated: number;

  constructor(summary: string, problems: Problem[] = [], hint?: string, truncated = 0) {
    super(summary, ExitCode.input, hint);
    this.problems = problems;
    this.truncated = truncated;
  }
}

/** Something failed while running (model backend, disk full, ...). Exit 1. */
export class RuntimeError extends StockcastError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.runtime, hint);
  }
}

export function formatLocation(p: Pick<Problem, 'file' | 'line' | 'column'>): string {
  const parts: string[] = [];
  if (p.file !== undefined) parts.push(p.file);
  if (p.line !== undefined) parts.push(String(p.line));
  if (p.line !== undefined && p.column !== undefined) parts.push(String(p.column));
  return parts.join(':');
}

/**
 * `sales.csv:14:3: units: not a number (expected a finite number, got "abc")`. Everything that
 * came from the input (file name, column name, value, message text) is sanitised and cut
 * (text-safe.ts): control characters and escape sequences are shown as escapes.
 */
export function formatProblem(p: Problem): string {
  const where = safeText(formatLocation(p), 300);
  const col = p.columnName !== undefined ? `${safeText(p.columnName, 60)}: ` : '';
  const details: string[] = [];
  if (p.expected !== undefined) details.push(`expected ${safeText(p.expected, 300)}`);
  if (p.value !== undefined) details.push(`got ${quoted(p.value)}`);
  const tail = details.length > 0 ? ` (${details.join(', ')})` : '';
  return `${where ? `${where}: ` : ''}${col}${safeText(p.message, 500)}${tail}`;
}

function quoted(value: string): string {
  return `"${safeText(value, 60).replace(/"/g, '\\"')}"`;
}

/** Collects problems during a pass over an input; throws them all at the end. */
export class ProblemCollector {
  readonly problems: Problem[] = [];
  private dropped = 0;

  constructor(readonly cap = 50) {}

  add(p: Problem): void {
    if (this.problems.length < this.cap) this.problems.push(p);
    else this.dropped++;
  }

  get count(): number {
    return this.problems.length + this.dropped;
  }

  get full(): boolean {
    return this.problems.length >= this.cap;
  }

  /** Problems in file order (line, then column): for passes that add them out of order. */
  sortByPlace(): this {
    this.problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    return this;
  }

  throwIfAny(summary: string, hint?: string): void {
    if (this.count === 0) return;
    throw new InputError(`${summary}: ${this.count} problem${this.count === 1 ? '' : 's'}`, this.problems, hint, this.dropped);
  }
}
