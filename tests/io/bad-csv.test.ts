/**
 * The corpus of bad sales files in tests/fixtures/bad: each one fails with exit code 2, a message
 * naming file:line(:column), the offending value and what was expected, and nothing on stdout.
 */
import { describe, expect, it } from 'vitest';
import { runBin, runCli } from '../helpers/cli.js';

const dir = 'tests/fixtures/bad';

interface Case {
  file: string;
  args?: string[];
  /** Every pattern must appear on stderr. */
  expect: RegExp[];
}

const CASES: Case[] = [
  { file: 'missing-column.csv', expect: [/missing-column\.csv:1: missing required column "sku"/, /--sku-col/, /columns found: date, item, units/] },
  { file: 'bad-number.csv', expect: [/bad-number\.csv:3:3: units: not a number/, /got "abc"/] },
  { file: 'bad-date.csv', expect: [/bad-date\.csv:4:1: date: not a valid date/, /YYYY-MM-DD/, /got "2024-02-30"/] },
  { file: 'non-finite.csv', expect: [/2 problems/, /non-finite\.csv:2:3: units: not a finite number.*got "NaN"/, /non-finite\.csv:3:3: .*got "Infinity"/] },
  { file: 'negative.csv', args: ['--negative', 'error'], expect: [/negative\.csv:3:3: units: negative units/, /--negative zero\|keep/, /got "-2"/] },
  { file: 'empty.csv', expect: [/empty\.csv: empty file/, /header line with at least date, sku, units/] },
  { file: 'header-only.csv', expect: [/header-only\.csv: header only, no data rows/] },
  { file: 'ragged.csv', expect: [/ragged\.csv:3: wrong number of fields/, /expected 4 fields/, /got "3 fields"/] },
  { file: 'duplicate.csv', expect: [/duplicate\.csv:5: duplicate row for SKU "A" on 2024-01-02 \(first at line 3\)/, /--aggregate sum/] },
  { file: 'weekly-off-grid.csv', expect: [/looks weekly/, /weekly-off-grid\.csv:12: SKU "A": date 2024-03-14 is off the weekly grid/, /--freq D/] },
  { file: 'daily.csv', args: ['--freq', 'W'], expect: [/--freq W but dates within a SKU are not 7 days apart/, /daily\.csv:3: SKU "A": date 2024-01-02/, /aggregate the data to one row per SKU and week first/] },
  { file: 'unclosed-quote.csv', expect: [/unclosed-quote\.csv:4: CSV syntax: Quote Not Closed/] },
  { file: 'bad-covariate.csv', args: ['--covariates', 'price'], expect: [/bad-covariate\.csv:3:4: price: not a number/, /got "cheap"/] },
  { file: 'empty-sku.csv', expect: [/empty-sku\.csv:3:2: sku: empty SKU/] },
  {
    file: 'several-problems.csv',
    expect: [/3 problems/, /several-problems\.csv:3:1: date: not a valid date.*"01\/02\/2024"/, /several-problems\.csv:4: wrong number of fields/, /several-problems\.csv:5:3: units: not a number.*"1e"/],
  },
  { file: 'many-errors.csv', expect: [/56 problems/, /many-errors\.csv:2:3: .*"x1"/, /many-errors\.csv:51:3: .*"y22"/, /\.\.\. and 6 more/] },
];

describe('bad sales files (in-process)', () => {
  it.each(CASES)('$file', async ({ file, args, expect: patterns }) => {
    const r = await runCli(['data', 'inspect', '--data', `${dir}/${file}`, '--format', 'csv', ...(args ?? [])]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    for (const p of patterns) expect(r.stderr).toMatch(p);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('lists at most 50 problems, then counts the rest', async () => {
    const r = await runCli(['data', 'inspect', '--data', `${dir}/many-errors.csv`]);
    expect(r.stderr.match(/many-errors\.csv:\d+:3:/g)).toHaveLength(50);
  });

  it('the same files pass when the policy allows them', async () => {
    expect((await runCli(['data', 'inspect', '--data', `${dir}/negative.csv`, '--format', 'csv'])).code).toBe(0);
    expect((await runCli(['data', 'inspect', '--data', `${dir}/duplicate.csv`, '--aggregate', 'sum', '--format', 'csv'])).code).toBe(0);
    expect((await runCli(['data', 'inspect', '--data', `${dir}/weekly-off-grid.csv`, '--freq', 'D', '--format', 'csv'])).code).toBe(0);
    expect((await runCli(['data', 'inspect', '--data', `${dir}/bad-covariate.csv`, '--format', 'csv'])).code).toBe(0);
  });

  it('a missing file is an input error, not a crash', async () => {
    const r = await runCli(['data', 'inspect', '--data', `${dir}/no-such-file.csv`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*no-such-file\.csv: no such file/);
    const folder = await runCli(['data', 'inspect', '--data', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/cannot read tests\/fixtures\/bad: it is a folder, not a file/);
  });
});

describe('bad sales files (built binary)', () => {
  it.each(CASES.filter((c) => ['bad-number.csv', 'missing-column.csv', 'duplicate.csv', 'empty.csv'].includes(c.file)))('$file', ({ file, args, expect: patterns }) => {
    const r = runBin(['data', 'inspect', '--data', `${dir}/${file}`, ...(args ?? [])]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    for (const p of patterns) expect(r.stderr).toMatch(p);
  });
});
