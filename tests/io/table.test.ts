/** io/table.ts: the csv|json|table switch and the terminal table that fits its width. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { defaultFormat, formatTableNumber, parseFormat, render, toTable } from '../../src/io/table.js';

describe('format', () => {
  it('parseFormat: the three names, a fallback, a usage error otherwise', () => {
    expect(parseFormat(undefined, 'csv')).toBe('csv');
    expect(parseFormat('json', 'csv')).toBe('json');
    expect(() => parseFormat('xml', 'csv')).toThrow(UsageError);
    expect(() => parseFormat('xml', 'csv')).toThrow(/--format: expected csv, json or table, got "xml"/);
  });

  it('defaultFormat: a table only for a person at a terminal writing to stdout', () => {
    expect(defaultFormat(true, undefined)).toBe('table');
    expect(defaultFormat(true, '-')).toBe('table');
    expect(defaultFormat(true, 'out.csv')).toBe('csv');
    expect(defaultFormat(false, undefined)).toBe('csv');
  });

  it('formatTableNumber: 4 significant digits, whole from 1000, a kept decimal, no -0', () => {
    expect(formatTableNumber(0.99774)).toBe('0.9977');
    expect(formatTableNumber(0.99996)).toBe('1.0');
    expect(formatTableNumber(392.2174)).toBe('392.2');
    expect(formatTableNumber(37637.57)).toBe('37638');
    expect(formatTableNumber(-0)).toBe('0');
    expect(formatTableNumber(-0.02623)).toBe('-0.02623');
    expect(formatTableNumber(Number.NaN)).toBe('');
  });
});

describe('toTable', () => {
  const columns = ['sku', 'reorder_point', 'order_up_to', 'fill_rate', 'note'];
  const rows = [
    ['SKU-001', 135, 689, 0.99831, 'ok'],
    ['SKU-002', 1262, 771, 0.9969, ''],
  ];

  it('every column when there is room; numbers right-aligned', () => {
    const t = toTable(columns, rows);
    for (const c of columns) expect(t).toContain(c);
    expect(t).not.toMatch(/not shown/);
    const line = t.split('\n').find((l) => l.includes('SKU-001'))!;
    expect(line).toMatch(/│\s+135 │/);
    expect(line).toMatch(/│ ok\s+│/);
  });

  it('a narrow width drops columns outside the priority first (never the key) and names them', () => {
    const t = toTable(columns, rows, { width: 40, priority: ['order_up_to'] });
    for (const l of t.split('\n').filter((x) => x.startsWith('│'))) expect(l.length).toBeLessThanOrEqual(40);
    expect(t).toContain('sku');
    expect(t).toContain('order_up_to');
    expect(t).toMatch(/\(\d columns not shown at this width: .*note.*; --format csv or --out FILE for all\)/);
  });

  it('render: csv, json and table of the same rows; a NaN cell is refused', () => {
    expect(render('csv', ['a', 'b'], [['x', 1.5]])).toBe('a,b\nx,1.5\n');
    expect(JSON.parse(render('json', ['a', 'b'], [['x', 1.5]]))).toEqual([{ a: 'x', b: 1.5 }]);
    expect(render('table', ['a', 'b'], [['x', 1.5]])).toContain('1.5');
    expect(() => render('table', ['a', 'b'], [['x', Number.NaN]])).toThrow(/NaN/);
  });
});
