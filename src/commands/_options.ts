/**
 * Parse option values explicitly at the boundary. Commander hands us strings; nothing is auto-cast,
 * so "1e3", "", "NaN" or "12abc" are rejected with a message naming the option.
 */
import { UsageError } from '../errors.js';

const INT = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

export interface NumberBounds {
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Exclusive upper bound. */
  below?: number;
}

function checkBounds(flag: string, v: number, raw: string, b: NumberBounds): number {
  const fail = (what: string) => {
    // A share written as a percentage (--service-level 95): say what was probably meant.
    const percent = b.below === 1 && v >= 50 && v < 100 ? `did you mean ${Number((v / 100).toFixed(6))}? (a share between 0 and 1, not a percentage)` : undefined;
    throw new UsageError(`${flag}: expected ${what}, got ${JSON.stringify(raw)}`, percent);
  };
  if (b.min !== undefined && v < b.min) fail(`a number >= ${b.min}`);
  if (b.max !== undefined && v > b.max) fail(`a number <= ${b.max}`);
  if (b.above !== undefined && v <= b.above) fail(`a number > ${b.above}`);
  if (b.below !== undefined && v >= b.below) fail(`a number < ${b.below}`);
  return v;
}

export function intOption(flag: string, raw: unknown, bounds?: NumberBounds): number;
export function intOption(flag: string, raw: unknown, bounds: NumberBounds, fallback: number): number;
export function intOption(flag: string, raw: unknown, bounds: NumberBounds = {}, fallback?: number): number {
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UsageError(`${flag} is required`);
  }
  const s = String(raw).trim();
  if (!INT.test(s)) throw new UsageError(`${flag}: expected a whole number, got ${JSON.stringify(raw)}`);
  const v = Number(s);
  if (!Number.isSafeInteger(v)) throw new UsageError(`${flag}: number too large: ${JSON.stringify(raw)}`);
  return checkBounds(flag, v, s, bounds);
}

export function optionalInt(flag: string, raw: unknown, bounds: NumberBounds = {}): number | undefined {
  return raw === undefined ? undefined : intOption(flag, raw, bounds);
}

export function numberOption(flag: string, raw: unknown, bounds?: NumberBounds): number;
export function numberOption(flag: string, raw: unknown, bounds: NumberBounds, fallback: number): number;
export function numberOption(flag: string, raw: unknown, bounds: NumberBounds = {}, fallback?: number): number {
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UsageError(`${flag} is required`);
  }
  const s = String(raw).trim();
  if (!DECIMAL.test(s)) throw new UsageError(`${flag}: expected a decimal number, got ${JSON.stringify(raw)}`);
  return checkBounds(flag, Number(s), s, bounds);
}

export function optionalNumber(flag: string, raw: unknown, bounds: NumberBounds = {}): number | undefined {
  return raw === undefined ? undefined : numberOption(flag, raw, bounds);
}

export function choiceOption<T extends string>(flag: string, raw: unknown, choices: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  const s = String(raw);
  if ((choices as readonly string[]).includes(s)) return s as T;
  throw new UsageError(`${flag}: expected one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
}

export function stringOption(flag: string, raw: unknown): string {
  if (raw === undefined || raw === '') throw new UsageError(`${flag} is required`);
  return String(raw);
}

export function optionalString(raw: unknown): string | undefined {
  return raw === undefined ? undefined : String(raw);
}

/** `a,b,c` -> ['a','b','c'], trimmed, empties dropped. */
export function listOption(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  return String(raw)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function flagOption(raw: unknown): boolean {
  return raw === true;
}
