/**
 * commands/forecast/_forecast-rows.ts: forecast maps -> the rows `forecast predict` writes, and
 * the forecast contract (core/contracts/forecast.ts) shared by that writer and io/forecast-file.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORECAST_COLUMNS, forecastColumnsWith, forecastRows, forecastSummaryRows } from '../../../src/commands/forecast/_forecast-rows.js';
import { parseDay } from '../../../src/core/calendar.js';
import { FORECAST_CONTRACT } from '../../../src/core/contracts/forecast.js';
import { toCsv } from '../../../src/io/csv-out.js';
import { readForecastFile } from '../../../src/io/forecast-file.js';
import type { SeriesForecast } from '../../../src/models/forecaster.js';

const f64 = (...xs: number[]) => Float64Array.from(xs);
const fc = (mean: number[], model: string): SeriesForecast => ({
  mean: f64(...mean),
  sd: f64(...mean.map((m) => m / 4)),
  p10: f64(...mean.map((m) => m * 0.7)),
  p90: f64(...mean.map((m) => m * 1.3)),
  model,
});
const origin = parseDay('2026-10-31')!;

describe('forecastRows', () => {
  const forecasts = new Map([
    ['B', fc([10, 12, 14], 'ets')],
    ['A', fc([4, 8, 2], 'naive')],
  ]);

  it('one row per SKU and period, SKUs sorted, in the contract column order', () => {
    const rows = forecastRows(forecasts, origin, 1, 2);
    expect(FORECAST_COLUMNS).toEqual(['sku', 'date', 'forecast', 'sd', 'p10', 'p90', 'model']);
    expect(rows).toEqual([
      ['A', '2026-11-01', 4, 1, 4 * 0.7, 4 * 1.3, 'naive'],
      ['A', '2026-11-02', 8, 2, 8 * 0.7, 8 * 1.3, 'naive'],
      ['B', '2026-11-01', 10, 2.5, 10 * 0.7, 10 * 1.3, 'ets'],
      ['B', '2026-11-02', 12, 3, 12 * 0.7, 12 * 1.3, 'ets'],
    ]);
  });

  it('weekly steps, an origin per SKU, interval columns after the contract', () => {
    const rows = forecastRows(forecasts, (sku) => (sku === 'A' ? origin : origin + 7), 7, 1, [80]);
    expect(forecastColumnsWith([80, 95])).toEqual([...FORECAST_COLUMNS, 'lo-80', 'hi-80', 'lo-95', 'hi-95']);
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ['A', '2026-11-07'],
      ['B', '2026-11-14'],
    ]);
    expect(rows[0]!.slice(7)).toEqual([4 * 0.7, 4 * 1.3]);
  });

  it("the model's error correlation is the last column, on every row, after the interval columns", () => {
    expect(forecastColumnsWith([95], 0.04)).toEqual([...FORECAST_COLUMNS, 'lo-95', 'hi-95', 'error_corr']);
    expect(forecastColumnsWith([], 0)).toEqual([...FORECAST_COLUMNS, 'error_corr']);
    const rows = forecastRows(forecasts, origin, 1, 2, [95], 0.04);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.length === 10 && r[9] === 0.04)).toBe(true);
    expect(forecastRows(forecasts, origin, 1, 2, [95]).every((r) => r.length === 9)).toBe(true);
  });

  it('summary: one row per SKU with first and last date, periods, total and mean', () => {
    expect(forecastSummaryRows(forecastRows(forecasts, origin, 1, 3))).toEqual([
      ['A', '2026-11-01', '2026-11-03', 3, 14, 14 / 3, 'naive'],
      ['B', '2026-11-01', '2026-11-03', 3, 36, 12, 'ets'],
    ]);
  });

  it('what the writer writes, the reader reads back (one contract)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forecast-rows-'));
    const file = join(dir, 'forecast.csv');
    writeFileSync(file, toCsv(forecastColumnsWith([95], 0.03), forecastRows(forecasts, origin, 1, 3, [95], 0.03)));
    // Read as a mean (the cells as written); read by default, the p50 goes through its interval (tests/io).
    const read = await readForecastFile(file, { point: 'mean' });
    expect((await readForecastFile(file)).source.point).toBe('median');
    expect(read.freq).toBe('D');
    expect([...read.bySku.keys()]).toEqual(['A', 'B']);
    expect([...read.bySku.get('B')!.mean]).toEqual([10, 12, 14]);
    expect([...read.bySku.get('B')!.sd]).toEqual([2.5, 3, 3.5]);
    expect(read.bySku.get('A')!.days[0]).toBe(origin + 1);
    expect(read.bySku.get('A')!.errorCorr).toBe(0.03);
  });

  it('the contract: required columns first; a rule by name; an unknown name throws', () => {
    expect(FORECAST_CONTRACT.rules().filter((r) => r.required !== false).map((r) => r.name)).toEqual(['sku', 'date', 'forecast', 'sd']);
    expect(FORECAST_CONTRACT.rule('forecast')).toMatchObject({ kind: 'number', min: 0 });
    expect(() => FORECAST_CONTRACT.rule('units')).toThrow(/no column units/);
  });
});
