/**
 * `stockcast report` in a real browser: Debian's chromium driven by playwright-core (no browser
 * download). Checks that the page loads without console errors, that the charts render (chart
 * elements present, screenshots that are not blank), and that the picker, search and worst-N list
 * switch the SKU. Skipped with a message when /usr/bin/chromium is absent; CI installs it
 * (.ci/run), and under CI a missing browser is a failure, not a skip.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HOLDOUT_FROM, writeReportFixture } from '../helpers/report-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) {
  const msg = `report browser test: ${CHROMIUM} not found (apt-get install -y chromium); `;
  if (process.env.CI) throw new Error(`${msg}CI must install it (.ci/run does)`);
  console.warn(`${msg}skipped`);
}

/** Pixels of a PNG screenshot that differ from the page background (white), counted in the browser. */
async function inkPixels(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! < 235 || d[i + 1]! < 235 || d[i + 2]! < 235) ink++;
    return ink;
  }, png.toString('base64'));
}

/** A fingerprint of what the forecast chart's canvas shows. */
const chartImage = (page: Page) => page.evaluate(() => document.querySelector<HTMLCanvasElement>('#chart-forecast canvas')!.toDataURL());

describe.skipIf(!present)('report in chromium', () => {
  let browser: Browser;
  let url: string;
  beforeAll(async () => {
    const fx = writeReportFixture();
    const perSku = join(fx.dir, 'bt-per-sku.csv');
    const summary = join(fx.dir, 'bt.csv');
    const bt = await runCli(['stock', 'backtest', '--data', fx.sales, '--policy', fx.policy, '--lead-times', fx.leadTimes, '--from', HOLDOUT_FROM, '--baseline', 'classic', '--per-sku', perSku, '--out', summary]);
    expect(bt.code, bt.stderr).toBe(0);
    const out = join(fx.dir, 'report.html');
    const r = await runCli(['report', '--out', out, '--data', fx.sales, '--forecast', fx.forecast, '--policy', fx.policy, '--lead-times', fx.leadTimes,
      '--backtest-per-sku', perSku, '--backtest-summary', summary, '--evaluation', fx.evaluation]);
    expect(r.code, r.stderr).toBe(0);
    url = pathToFileURL(out).href;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no console errors, draws every chart, and the picker, search and worst list switch the SKU', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (req) => {
      if (req.url() !== url) requests.push(req.url());
    });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });

    // Forecast, holdout, policy and frontier charts, each a uPlot canvas.
    expect(await page.locator('.uplot').count()).toBe(4);
    expect(await page.locator('#chart-forecast canvas, #chart-holdout canvas, #chart-policy canvas, #chart-frontier canvas').count()).toBe(4);
    expect(await page.locator('#accuracy-table tr').count()).toBe(3);
    for (const id of ['#chart-forecast', '#chart-policy', '#chart-frontier']) {
      const shot = await page.locator(`${id} canvas`).screenshot();
      expect(await inkPixels(page, shot), id).toBeGreaterThan(2000);
    }
    expect(await page.textContent('#sku-title')).toBe('A-1');
    const a = await chartImage(page);
    await page.selectOption('#sku-select', 'B-2');
    await page.waitForSelector('body[data-sku="B-2"]');
    expect(await page.textContent('#sku-title')).toBe('B-2');
    expect(await chartImage(page)).not.toBe(a);

    await page.fill('#sku-search', 'c-3');
    expect(await page.locator('#sku-select option').count()).toBe(1);
    await page.press('#sku-search', 'Enter');
    await page.waitForSelector('body[data-sku="C-3"]');

    await page.selectOption('#worst-by', 'stockouts');
    const worst = await page.locator('#worst-list button').allTextContents();
    expect(worst.length).toBe(3);
    await page.locator('#worst-list button').first().click();
    await page.waitForSelector(`body[data-sku="${worst[0]}"]`);

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('a blank canvas counts as blank (the pixel check can fail)', async () => {
    const page = await browser.newPage({ viewport: { width: 400, height: 300 } });
    await page.setContent('<body style="margin:0;background:#fff"><canvas width="300" height="200"></canvas></body>');
    expect(await inkPixels(page, await page.locator('canvas').screenshot())).toBe(0);
    await page.close();
  });
});
