/** Pure pieces of the data checks: numbers, echo sanitising, finite outputs, origins, spread floor, plan ranges. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RuntimeError, formatProblem } from '../../src/errors.js';
import { escapeFormula, toCsv, toJson } from '../../src/io/csv-out.js';
import { numberCell, numberProblem, parseFiniteNumber } from '../../src/io/numbers.js';
import { render } from '../../src/io/table.js';
import { type CovariateRange, covariateRanges, farOutside, planValueProblem } from '../../src/core/covariate-ranges.js';
import type { SeriesForecast } from '../../src/models/forecaster.js';
import { parseModelMeta } from '../../src/models/model-meta.js';
import { FAR_PAST_DAYS, forecastOrigins, groupByOrigin } from '../../src/models/origins.js';
import { guardSpread } from '../../src/models/spread-guard.js';
import { makeSalesData } from '../../src/sales-data.js';
import { safeText } from '../../src/text-safe.js';

describe('numbers', () => {
  it('parses finite numbers only', () => {
    expect(parseFiniteNumber(' 1.5 ')).toBe(1.5);
    expect(parseFiniteNumber('1e3')).toBe(1000);
    expect(parseFiniteNumber('1.7976931348623157e308')).toBe(Number.MAX_VALUE);
    for (const s of ['', 'NaN', 'Infinity', '12abc', '1,5', '0x1', '1e309', '-1e309', '9'.repeat(400), `${'9'.repeat(400)}.5`]) expect(parseFiniteNumber(s)).toBeNaN();
  });
  it('numberCell agrees with the strict parser on every string', () => {
    const token = fc.oneof(fc.double().map(String), fc.bigInt({ min: -(10n ** 400n), max: 10n ** 400n }).map(String), fc.string({ unit: fc.constantFrom('1', '9', '.', 'e', '-', '+', '0') }));
    fc.assert(fc.property(token, (s) => Object.is(numberCell(s), parseFiniteNumber(s)) || (Number.isNaN(numberCell(s)) && Number.isNaN(parseFiniteNumber(s)))));
  });
  it('says why a cell is not a number', () => {
    expect(numberProblem('1e309')).toBe('too large (not a finite number)');
    expect(numberProblem('-inf')).toBe('not a finite number');
    expect(numberProblem('abc')).toBe('not a number');
  });
});

describe('text echoed in messages', () => {
  it('escapes control characters and cuts long values', () => {
    expect(safeText('a\u001b[31mb\u0000\u0085')).toBe('a\\x1b[31mb\\x00\\x85');
    expect(safeText('😀é')).toBe('😀é');
    expect(safeText('\ud800x')).toBe('\\ud800x');
    const cut = safeText('x'.repeat(1_000_000), 50);
    expect(cut.length).toBeLessThan(70);
    expect(cut).toMatch(/…\(1000000 chars\)$/);
  });
  it('formatProblem sanitises every part', () => {
    const line = formatProblem({ file: 'f.csv', line: 2, column: 3, columnName: 'sku\u001b', value: '\u001b]0;x\u0007', message: 'bad \u009b', expected: 'ok' });
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(line).toBe('f.csv:2:3: sku\\x1b: bad \\x9b (expected ok, got "\\x1b]0;x\\x07")');
  });
});

describe('outputs', () => {
  it('refuse non-finite and too large numbers, in every format', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -Infinity, 1e16]) {
      for (const f of ['csv', 'json', 'table'] as const) expect(() => render(f, ['sku', 'x'], [['A', bad]])).toThrow(RuntimeError);
    }
    expect(() => toCsv(['sku', 'x'], [['A', 1], ['B', Number.NaN]])).toThrow(/produced NaN for x in output row 2 \(B\): nothing was written/);
    expect(toCsv(['sku', 'x'], [['A', null]])).toBe('sku,x\nA,\n');
    expect(toJson(['x'], [[1.5]])).toContain('"x": 1.5');
  });
  it('--escape-formulas: OWASP apostrophe and quotes, for text only', () => {
    expect(escapeFormula('=1+1')).toBe("'=1+1");
    expect(escapeFormula('SKU-1')).toBe('SKU-1');
    const csv = toCsv(['sku', 'q'], [['=HYPERLINK("x")', -5], ['@SUM(A1)', 1], ['+x', 1], ['-x', 1], ['\tx', 1], ['A', 1]], { escapeFormulas: true });
    expect(csv).toBe(`sku,q\n"'=HYPERLINK(""x"")",-5\n"'@SUM(A1)",1\n"'+x",1\n"'-x",1\n"'\tx",1\nA,1\n`);
    expect(toCsv(['sku'], [['=x']])).toBe('sku\n=x\n');
  });
  it('per-column decimals', () => {
    expect(toCsv(['t', 'u'], [[0.9999999, 0.9999999]], { decimals: { t: 10 } })).toBe('t,u\n0.9999999,1\n');
  });
});

describe('forecast origins', () => {
  const day = 20_000;
  it('a far-future SKU gets its own origin and does not move the others', () => {
    const data = makeSalesData('D', [], [
      { sku: 'A', start: day, units: [1, 2, 3] },
      { sku: 'B', start: day + 1, units: [1, 2] },
      { sku: 'C', start: day + 1000, units: [5] },
    ]);
    const o = forecastOrigins(data);
    expect(o.common).toBe(day + 2);
    expect(o.late).toEqual([{ sku: 'C', last: day + 1000 }]);
    expect(o.originOf.get('C')).toBe(day + 1000);
    expect(o.originOf.get('B')).toBe(day + 2);
    expect(groupByOrigin(data, o).map((g) => [g.origin, g.data.series.map((s) => s.sku)])).toEqual([
      [day + 2, ['A', 'B']],
      [day + 1000, ['C']],
    ]);
  });
  it(`SKUs within ${FAR_PAST_DAYS} days share the latest origin`, () => {
    const data = makeSalesData('D', [], [
      { sku: 'A', start: day, units: [1, 2, 3] },
      { sku: 'B', start: day, units: new Array(3 + FAR_PAST_DAYS).fill(1) },
    ]);
    expect(forecastOrigins(data).late).toEqual([]);
    expect(forecastOrigins(data).common).toBe(day + 2 + FAR_PAST_DAYS);
  });
});

function forecast(mean: number[], sd: number[]): SeriesForecast {
  return { mean: Float64Array.from(mean), sd: Float64Array.from(sd), p10: Float64Array.from(mean), p90: Float64Array.from(mean), model: 'm' };
}

describe('spread floor for SKUs without evidence', () => {
  it('pools the well-observed SKUs and never leaves sd 0 for a positive forecast', () => {
    const long = Array.from({ length: 30 }, (_, i) => 10 + (i % 3));
    const data = makeSalesData('D', [], [
      { sku: 'L', start: 0, units: long },
      { sku: 'T', start: 28, units: [4, 6] },
    ]);
    const f = new Map([
      ['L', forecast([10, 10], [3, 5])],
      ['T', forecast([100, 0], [0, 0])],
    ]);
    const g = guardSpread(f, data, () => 29);
    expect(g.widened).toEqual(['T']);
    expect(g.pooled).toBe(true);
    const t = f.get('T')!;
    expect(t.sd[0]).toBeCloseTo(30, 9); // pooled ratio 0.3 of 100 (above sqrt(100) = 10)
    expect(t.sd[1]).toBe(0); // a zero forecast stays zero
    expect(t.p10[0]).toBeLessThan(100);
    expect(t.p90[0]).toBeGreaterThan(100);
    expect(Array.from(f.get('L')!.sd)).toEqual([3, 5]);
  });
  it('without any SKU to pool from: sd = forecast', () => {
    const data = makeSalesData('D', [], [{ sku: 'T', start: 0, units: [4] }]);
    const f = new Map([['T', forecast([4], [0])]]);
    expect(guardSpread(f, data, () => 0).pooled).toBe(false);
    expect(f.get('T')!.sd[0]).toBe(4);
  });
});

describe('covariate ranges', () => {
  const data = makeSalesData('D', ['price', 'promo', 'depth'], [{ sku: 'A', start: 0, units: [1, 2, 3], covariates: [[4.99, 3.99, 4.99], [0, 1, 0], [0, 0.2, 0.5]] }]);
  const [price, promo, depth] = covariateRanges(data) as [CovariateRange, CovariateRange, CovariateRange];
  it('learns flags, positive covariates and ranges', () => {
    expect(price).toEqual({ name: 'price', min: 3.99, max: 4.99, binary: false, positive: true });
    expect(promo.binary).toBe(true);
    expect(depth).toMatchObject({ binary: false, positive: false });
  });
  it('checks plan values', () => {
    expect(planValueProblem(promo, 5)?.expected).toBe('0 or 1');
    expect(planValueProblem(promo, 1)).toBeUndefined();
    expect(planValueProblem(price, 0)?.expected).toBe('a value > 0');
    expect(planValueProblem(depth, -0.1)).toBeUndefined();
    expect(farOutside(price, 5.49)).toBe(false);
    expect(farOutside(price, 49.9)).toBe(true);
  });
  it('old model metadata without ranges still parses; malformed ranges do not', () => {
    const meta = { format: 'stockcast-lstm', formatVersion: 2, freq: 'D', covariates: [], window: 8, horizon: 2, minObserved: 2, features: { window: 8, horizon: 2, freq: 'D' }, network: {}, training: {}, skus: [], calibration: [1, 1], validationSd: {}, combine: { model: 'none', weight: 1 } };
    expect(parseModelMeta(JSON.stringify(meta)).problems).toEqual([]);
    expect(parseModelMeta(JSON.stringify({ ...meta, covariateRanges: [{ name: 'p', min: 'x' }] })).problems).toEqual(['field covariateRanges missing or invalid']);
  });
});
