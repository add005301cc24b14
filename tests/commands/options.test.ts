/** argv -> typed options (ingest options, data inspect) and the strict option-value helpers. */
import { describe, expect, it } from 'vitest';
import { parseDelimiter, parseIngestOptions } from '../../src/commands/_ingest-options.js';
import { choiceOption, intOption, listOption, numberOption, optionalInt, stringOption } from '../../src/commands/_options.js';
import { UsageError } from '../../src/errors.js';
import { parseArgv, runCli } from '../helpers/cli.js';

const DEFAULT_INGEST = {
  dateCol: 'date',
  skuCol: 'sku',
  targetCol: 'units',
  covariates: undefined,
  delimiter: ',',
  dateFormat: 'YYYY-MM-DD',
  freq: undefined,
  fill: 'missing',
  aggregate: undefined,
  negative: 'zero',
};

describe('data inspect: argv -> options', () => {
  const table: [string, string[], Record<string, unknown>][] = [
    ['defaults', [], { data: 's.csv', format: undefined, out: undefined, window: undefined, summaryOnly: false, ingest: DEFAULT_INGEST }],
    ['renamed columns', ['--date-col', 'Day', '--sku-col', 'Item', '--target-col', 'Qty'], { ingest: { ...DEFAULT_INGEST, dateCol: 'Day', skuCol: 'Item', targetCol: 'Qty' } }],
    ['covariates list', ['--covariates', 'price, promo,,holiday'], { ingest: { ...DEFAULT_INGEST, covariates: ['price', 'promo', 'holiday'] } }],
    ['tab delimiter', ['--delimiter', 'tab'], { ingest: { ...DEFAULT_INGEST, delimiter: '\t' } }],
    ['semicolon + date format', ['--delimiter', ';', '--date-format', 'DD.MM.YYYY'], { ingest: { ...DEFAULT_INGEST, delimiter: ';', dateFormat: 'DD.MM.YYYY' } }],
    ['policies', ['--freq', 'w', '--fill', 'zero', '--aggregate', 'sum', '--negative', 'keep'], { ingest: { ...DEFAULT_INGEST, freq: 'W', fill: 'zero', aggregate: 'sum', negative: 'keep' } }],
    ['output', ['--format', 'json', '--out', 'x.json', '--window', '30', '--summary'], { format: 'json', out: 'x.json', window: 30, summaryOnly: true }],
  ];
  it.each(table)('%s', async (_name, argv, expected) => {
    const inv = await parseArgv(['data', 'inspect', '--data', 's.csv', ...argv]);
    expect(inv.group).toBe('data');
    expect(inv.command).toBe('inspect');
    expect(inv.options).toMatchObject(expected);
  });

  const bad: [string[], RegExp][] = [
    [['--delimiter', ':'], /--delimiter: expected ',', ';', '\|' or 'tab', got ":"/],
    [['--date-format', 'YYYY/MM/DD'], /--date-format: expected one of YYYY-MM-DD, DD\.MM\.YYYY, MM\/DD\/YYYY, YYYYMMDD/],
    [['--freq', 'M'], /--freq: expected one of D, W, got "M"/],
    [['--fill', 'linear'], /--fill: expected one of missing, zero/],
    [['--aggregate', 'mean'], /--aggregate: expected one of sum/],
    [['--negative', 'abs'], /--negative: expected one of zero, keep, error/],
    [['--format', 'xml'], /--format: expected csv, json or table/],
    [['--window', '1e3'], /--window: expected a whole number, got "1e3"/],
    [['--window', '0'], /--window: expected a number >= 1/],
    [['--min-periods', '60'], /--min-periods was removed: too_short now says which SKUs forecast predict gives a fallback/],
  ];
  it.each(bad)('rejects %j', async (argv, message) => {
    await expect(parseArgv(['data', 'inspect', '--data', 's.csv', ...argv])).rejects.toThrow(message);
    const r = await runCli(['data', 'inspect', '--data', 's.csv', ...argv]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--data is required; unknown options are usage errors (exit 2)', async () => {
    const missing = await runCli(['data', 'inspect']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--data <file>'/);
    const unknown = await runCli(['data', 'inspect', '--data', 's.csv', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--bogus'/);
  });

  it('a service level written as a percentage gets the share suggested', async () => {
    const r = await runCli(['stock', 'simulate', '--forecast', 'f.csv', '--lead-time', '7', '--service-level', '95']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--service-level: expected a number < 1, got "95"/);
    expect(r.stderr).toMatch(/did you mean 0\.95\?/);
    const small = await runCli(['stock', 'simulate', '--forecast', 'f.csv', '--lead-time', '7', '--service-level', '1.5']);
    expect(small.code).toBe(2);
    expect(small.stderr).not.toMatch(/did you mean/);
  });

  it("commander's own messages echo what was typed with controls escaped and long values cut", async () => {
    const hostile = await runCli(['data', 'inspect', '--data', 's.csv', `--x\u001b[31m${'y'.repeat(5000)}`]);
    expect(hostile.code).toBe(2);
    expect(hostile.stderr).not.toContain('\u001b');
    expect(hostile.stderr).toContain('--x\\x1b[31m');
    expect(hostile.stderr).toMatch(/…\(\d+ chars\)/);
    expect(hostile.stderr.length).toBeLessThan(3000);
  });
});

describe('option helpers', () => {
  it('parseIngestOptions fills defaults from an empty object', () => {
    expect(parseIngestOptions({})).toEqual(DEFAULT_INGEST);
  });

  it('parseDelimiter', () => {
    expect(parseDelimiter(undefined)).toBe(',');
    expect(parseDelimiter('\\t')).toBe('\t');
    expect(parseDelimiter('|')).toBe('|');
    expect(() => parseDelimiter(',,')).toThrow(UsageError);
  });

  it('intOption and numberOption never auto-cast', () => {
    expect(intOption('--n', '12')).toBe(12);
    expect(intOption('--n', undefined, {}, 7)).toBe(7);
    expect(intOption('--n', ' -3 ', { min: -5 })).toBe(-3);
    for (const raw of ['1e3', '', 'NaN', '12abc', '1.5', '0x10']) expect(() => intOption('--n', raw)).toThrow(/--n: expected a whole number/);
    expect(() => intOption('--n', '99999999999999999999')).toThrow(/too large/);
    expect(() => intOption('--n', undefined)).toThrow(/--n is required/);
    expect(numberOption('--x', '0.25')).toBe(0.25);
    expect(numberOption('--x', '.5')).toBe(0.5);
    for (const raw of ['1e3', 'Infinity', '1,5', '']) expect(() => numberOption('--x', raw)).toThrow(/--x: expected a decimal number/);
    expect(() => numberOption('--x', '1', { above: 1 })).toThrow(/> 1/);
    expect(() => numberOption('--x', '1', { below: 1 })).toThrow(/< 1/);
    expect(() => numberOption('--x', '2', { max: 1 })).toThrow(/<= 1/);
    expect(optionalInt('--n', undefined)).toBeUndefined();
  });

  it('choiceOption, stringOption, listOption', () => {
    expect(choiceOption('--c', undefined, ['a', 'b'] as const, 'a')).toBe('a');
    expect(choiceOption('--c', 'b', ['a', 'b'] as const, 'a')).toBe('b');
    expect(() => choiceOption('--c', 'B', ['a', 'b'] as const, 'a')).toThrow(/expected one of a, b, got "B"/);
    expect(() => stringOption('--s', '')).toThrow(/--s is required/);
    expect(listOption(' a , ,b ')).toEqual(['a', 'b']);
    expect(listOption(undefined)).toBeUndefined();
  });
});
