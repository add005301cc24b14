/**
 * Small, deterministic inputs for `stockcast report` tests: 60 days of sales for three SKUs (with a
 * price column), a forecast over the last 14 of them (p10/p90 and lo-95/hi-95 columns, a model
 * column), a policy with lead times, and evaluate-style holdout forecasts for two models.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDay, parseDay } from '../../src/core/calendar.js';

export const SKUS = ['A-1', 'B-2', 'C-3'];
const START = parseDay('2026-01-01');
export const DAYS = 60;
export const HOLDOUT_FROM = formatDay(START + DAYS - 14);

/** Units of SKU k on day t: a weekly wave around a level that differs per SKU. */
export function units(k: number, t: number): number {
  return Math.round((k + 1) * 10 + (k + 2) * 3 * Math.sin((2 * Math.PI * t) / 7) + ((t * 7 + k * 3) % 5));
}

export interface ReportFixture {
  dir: string;
  sales: string;
  forecast: string;
  policy: string;
  leadTimes: string;
  evaluation: string;
}

export function writeReportFixture(): ReportFixture {
  const dir = mkdtempSync(join(tmpdir(), 'stockcast-report-'));
  const put = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const sales = ['date,sku,units,price,promo'];
  const forecast = ['sku,date,forecast,sd,p10,p90,lo-95,hi-95,model'];
  const evaluation = ['sku,cutoff,date,actual,good,good-p10,good-p90,bad'];
  for (let t = 0; t < DAYS; t++) {
    SKUS.forEach((sku, k) => sales.push(`${formatDay(START + t)},${sku},${units(k, t)},${(k + 1) * 2.5},${t % 10 === 0 ? 1 : 0}`));
  }
  SKUS.forEach((sku, k) => {
    for (let t = DAYS - 14; t < DAYS; t++) {
      const f = units(k, t) + (t % 2 === 0 ? 1 : -1) * (k + 1);
      forecast.push(`${sku},${formatDay(START + t)},${f},${k + 2},${f - 2 * (k + 1)},${f + 2 * (k + 1)},${f - 4 * (k + 1)},${f + 4 * (k + 1)},combo`);
      const a = units(k, t);
      evaluation.push(`${sku},${formatDay(START + DAYS - 15)},${formatDay(START + t)},${a},${a + 1},${a - 3},${a + 3},${a + 10}`);
    }
  });
  return {
    dir,
    sales: put('sales.csv', `${sales.join('\n')}\n`),
    forecast: put('forecast.csv', `${forecast.join('\n')}\n`),
    policy: put('policy.csv', `sku,lead_time_mean,lead_time_sd,safety_stock,reorder_point,order_up_to\n${SKUS.map((s, k) => `${s},${k + 2},1,${5 * (k + 1)},${(k + 1) * 40},${(k + 1) * 120}`).join('\n')}\n`),
    leadTimes: put('lead_times.csv', `sku,lead_time_days,lead_time_sd_days\n${SKUS.map((s, k) => `${s},${k + 2},1`).join('\n')}\n`),
    evaluation: put('evaluation.csv', `${evaluation.join('\n')}\n`),
  };
}
