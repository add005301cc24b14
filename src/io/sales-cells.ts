/**
 * Cell-level parsing for the sales reader (the hot path: one call per cell of a million-row file)
 * and the header layout. Pure.
 */
import { InputError, type Problem } from '../errors.js';
import type { IngestOptions } from '../core/types.js';
import { delimiterHint, duplicateColumns } from './header-check.js';

/** Cells read as "unknown" (in the target: a missing period; in a covariate: filled from neighbours). */
export const MISSING = new Set(['', 'NA', 'N/A', 'na', 'n/a']);
export const BOOLEAN = new Map([['TRUE', 1], ['true', 1], ['True', 1], ['FALSE', 0], ['false', 0], ['False', 0]]);

export function isMissing(s: string): boolean {
  return s.length <= 3 && MISSING.has(s);
}

/** A trimmed cell as a number (NaN when not a finite number): the shared parser of io/numbers.ts. */
export { numberCell } from './numbers.js';

/** Trim only when needed (most cells have no surrounding spaces). */
export function cellText(s: string): string {
  const n = s.length;
  return n > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(n - 1) <= 32) ? s.trim() : s;
}

export interface Layout {
  header: string[];
  date: number;
  sku: number;
  target: number;
  /** Column indices of the covariate candidates and their names. */
  cov: number[];
  covNames: string[];
  explicit: boolean;
}

/** Find the required and covariate columns in the header; every header problem at once. */
export function layout(header: string[], opts: IngestOptions, file: string, line: number): Layout {
  const found = header.join(', ');
  const problems: Problem[] = duplicateColumns(header, file, line);
  const need = (name: string, flag: string) => {
    const at = header.indexOf(name);
    if (at < 0) {
      problems.push({ file, line, message: `missing required column ${JSON.stringify(name)}`, expected: `a column named ${name} (or name yours with ${flag})`, value: found });
    }
    return at;
  };
  const date = need(opts.dateCol, '--date-col');
  const sku = need(opts.skuCol, '--sku-col');
  const target = need(opts.targetCol, '--target-col');
  const required = new Set([opts.dateCol, opts.skuCol, opts.targetCol]);
  let covNames: string[];
  if (opts.covariates !== undefined) {
    covNames = [...new Set(opts.covariates)];
    for (const c of covNames) {
      if (required.has(c)) problems.push({ file, line, message: `--covariates: ${JSON.stringify(c)} is the date, SKU or target column`, expected: 'other columns' });
      else need(c, '--covariates');
    }
  } else covNames = header.filter((h, i) => !required.has(h) && h !== '' && header.indexOf(h) === i);
  if (problems.length > 0) throw new InputError(`${file}: bad header`, problems, delimiterHint(header, opts.delimiter) ?? `columns found: ${found}`);
  return { header, date, sku, target, cov: covNames.map((c) => header.indexOf(c)), covNames, explicit: opts.covariates !== undefined };
}
