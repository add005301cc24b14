/**
 * The one parser of numeric cells, used by every reader (sales, plan, forecasts, lead times,
 * inventory, policies). A cell is a number only if it is written as one (`12`, `-3.5`, `.5`, `1e3`)
 * and its value is finite: `1e309`, a 400-digit integer, `NaN`, `Infinity`, `12abc`, `1,5` and `0x1`
 * are all refused. Pure.
 */

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** `NaN`, `Infinity`, `-inf`: spelled-out non-finite values. */
export const NON_FINITE_WORD = /^[+-]?(nan|inf|infinity)$/i;

/** Strict: the finite value of a trimmed numeric cell, or NaN. */
export function parseFiniteNumber(s: string): number {
  const t = s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32) ? s.trim() : s;
  if (!NUMBER.test(t)) return Number.NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : Number.NaN;
}

/**
 * The same result as `parseFiniteNumber` on a trimmed cell, fast for the common cases (the sales
 * reader calls it once per cell of a million-row file): plain integers of up to 15 digits are
 * summed here, everything else goes through the strict parser.
 */
export function numberCell(s: string): number {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  const negative = c === 45;
  if (negative || c === 43) i++;
  let v = 0;
  let digits = 0;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
    } else if (c === 46) {
      // A decimal: let the engine convert it exactly, once the rest is known to be digits.
      for (let j = i + 1; j < n; j++) {
        const d = s.charCodeAt(j);
        if (d < 48 || d > 57) return parseFiniteNumber(s);
      }
      if (digits === 0 && i + 1 >= n) return Number.NaN;
      const x = Number(s);
      return Number.isFinite(x) ? x : Number.NaN;
    } else return parseFiniteNumber(s);
  }
  if (digits === 0) return Number.NaN;
  if (digits > 15) return parseFiniteNumber(s);
  return negative ? -v : v;
}

/**
 * Why a cell that is not empty failed `parseFiniteNumber`: "too large" for a well-formed number
 * that overflows (`1e309`), "not a finite number" for NaN/Infinity spelled out, else "not a number".
 */
export function numberProblem(s: string): string {
  const t = s.trim();
  if (NUMBER.test(t)) return 'too large (not a finite number)';
  if (NON_FINITE_WORD.test(t)) return 'not a finite number';
  return 'not a number';
}

/** The input ceilings, kept with the file contracts. */
export { MAX_DAYS, MAX_UNITS } from '../core/contracts/table.js';

/** Largest magnitude written to an output cell: beyond it a plain decimal loses whole units. */
export const MAX_OUTPUT = 1e15;

/** A number written with a decimal comma (`4,99`, `-0,5`, `,5`): what `--decimal ,` reads. */
export const DECIMAL_COMMA = /^[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?$/;

/** The decimal separator of numeric cells (`--decimal`, `--output-decimal`). */
export type DecimalMark = '.' | ',';

/**
 * `numberCell` for a file whose decimal mark is a comma: `4,99` is 4.99; a point is refused (in
 * such files it is a thousands separator, and `1.234` must not read as 1.234). Chosen once per
 * file by `numberCellFor`, so the default `.` path is `numberCell` itself and costs nothing more.
 */
export function numberCellComma(s: string): number {
  if (s.indexOf('.') >= 0) return Number.NaN;
  const at = s.indexOf(',');
  return numberCell(at < 0 ? s : `${s.slice(0, at)}.${s.slice(at + 1)}`);
}

export function numberCellFor(decimal: DecimalMark | undefined): (s: string) => number {
  return decimal === ',' ? numberCellComma : numberCell;
}

/** `parseFiniteNumber` (strict, trims) with the file's decimal mark. */
export function parseNumberWith(s: string, decimal: DecimalMark | undefined): number {
  if (decimal !== ',') return parseFiniteNumber(s);
  const t = s.trim();
  return numberCellComma(t);
}

/** `numberProblem`, plus what to do about the decimal mark when that is the likely cause. */
export function numberProblemWith(s: string, decimal: DecimalMark | undefined): string {
  const t = s.trim();
  if (decimal === ',' && t.indexOf('.') >= 0 && NUMBER.test(t)) return "not a number with --decimal ',' (a point is not read as the decimal mark)";
  if (decimal !== ',' && DECIMAL_COMMA.test(t)) return "not a number: a decimal comma? pass --decimal ',' (with --delimiter ';' or tab) to read it";
  return numberProblem(t);
}
