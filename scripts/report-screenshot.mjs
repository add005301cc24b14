// Screenshot of a report page (docs/img/report.png) with Debian's chromium through playwright-core:
//   node scripts/report-screenshot.mjs REPORT.html OUT.png [SKU] [WIDTHxHEIGHT]
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [html, png, sku, size = '1280x1000'] = process.argv.slice(2);
if (!html || !png) {
  process.stderr.write('usage: node scripts/report-screenshot.mjs REPORT.html OUT.png [SKU] [WIDTHxHEIGHT]\n');
  process.exit(2);
}
const [width, height] = size.split('x').map(Number);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  await page.goto(pathToFileURL(resolve(html)).href + (sku ? `#${encodeURIComponent(sku)}` : ''));
  await page.waitForSelector('body[data-ready="1"]');
  await page.screenshot({ path: png });
  process.stderr.write(`wrote ${png}\n`);
} finally {
  await browser.close();
}
