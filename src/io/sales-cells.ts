/**
 * Cell-level parsing for the sales reader (the hot path: one call per cell of a million-row file)
 * and the header layout on the sales contract (core/contracts/sales.ts). Pure.
 */
import { InputError, type Problem } from '../errors.js';
import type { IngestOptions } from '../core/types.js';
import type { ColumnRule } from '../core/contracts/table.js';
import { MISSING_CELLS, type SalesColumnNames, salesContract, salesCovariateColumns } from '../core/contracts/sales.js';
import { delimiterHint, duplicateColumns } from './header-check.js';

/** An "unknown" cell of the contract (empty, NA, N/A): in the target a missing period, in a covariate filled from neighbours. */
export function isMissing(s: string): boolean {
  return s.length <= 3 && MISSING_CELLS.has(s);
}

/** A value outside a contract column's bounds. */
export function outOfBounds(rule: ColumnRule, v: number): boolean {
  return (rule.min !== undefined && v < rule.min) || (rule.max !== undefined && v > rule.max);
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
  /** The contract's rules of the target and of each covariate (bounds). */
  targetRule: ColumnRule;
  covariateRules: ColumnRule[];
}

/** The fixed columns' names as the options give them (`--date-col`, `--sku-col`, `--target-col`). */
export function salesColumnNames(opts: Pick<IngestOptions, 'dateCol' | 'skuCol' | 'targetCol'>): SalesColumnNames {
  return { date: opts.dateCol, sku: opts.skuCol, target: opts.targetCol };
}

/** Find the fixed and covariate columns of the contract in the header; every header problem at once. */
export function layout(header: string[], opts: IngestOptions, file: string, line: number): Layout {
  const names = salesColumnNames(opts);
  const found = header.join(', ');
  const problems: Problem[] = duplicateColumns(header, file, line);
  const need = (name: string, flag: string) => {
    const at = header.indexOf(name);
    if (at < 0) {
      problems.push({ file, line, message: `missing required column ${JSON.stringify(name)}`, expected: `a column named ${name} (or name yours with ${flag})`, value: found });
    }
    return at;
  };
  const date = need(names.date, '--date-col');
  const sku = need(names.sku, '--sku-col');
  const target = need(names.target, '--target-col');
  const required = new Set([names.date, names.sku, names.target]);
  let covNames: string[];
  if (opts.covariates !== undefined) {
    covNames = [...new Set(opts.covariates)];
    for (const c of covNames) {
      if (required.has(c)) problems.push({ file, line, message: `--covariates: ${JSON.stringify(c)} is the date, SKU or target column`, expected: 'other columns' });
      else need(c, '--covariates');
    }
  } else covNames = salesCovariateColumns(header, names);
  if (problems.length > 0) throw new InputError(`${file}: bad header`, problems, delimiterHint(header, opts.delimiter) ?? `columns found: ${found}`);
  const contract = salesContract(covNames, names);
  return {
    header,
    date,
    sku,
    target,
    cov: covNames.map((c) => header.indexOf(c)),
    covNames,
    explicit: opts.covariates !== undefined,
    targetRule: contract.rule(names.target),
    covariateRules: covNames.map((c) => contract.rule(c)),
  };
}
