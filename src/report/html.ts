/**
 * The report as one self-contained HTML file: the charting library (uPlot), the page script and
 * the data are inlined, nothing is fetched at view time. Pure: the library's text is passed in.
 */
import { PAGE_CSS, PAGE_SCRIPT } from './page.js';
import type { ReportAssets } from '../core/contracts/report-inputs.js';
import type { PageData } from './types.js';

export type { ReportAssets };

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`, no U+2028/2029. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline script text must not close its element early. */
function inlineScript(js: string): string {
  if (/<\/script/i.test(js)) throw new Error('inlined script contains </script');
  return js;
}

export function renderReportHtml(data: PageData, assets: ReportAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="stockcast report">
<title>${escapeHtml(data.title)}</title>
<style>${assets.chartCss}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(data.title)}</h1><span id="summary"></span></header>
<div id="layout">
<nav id="side">
<label for="sku-search">Search SKU</label>
<input id="sku-search" type="search" placeholder="type to filter" autocomplete="off">
<label for="sku-select">SKU <span id="sku-count"></span></label>
<select id="sku-select" size="14"></select>
<div id="worst">
<label for="worst-by">Worst</label>
<div class="row"><input id="worst-n" type="number" min="1" value="10"><select id="worst-by"></select></div>
<ol id="worst-list"></ol>
</div>
</nav>
<main>
<section id="sku-view">
<h2 id="sku-title"></h2>
<div id="sku-facts"></div>
<h3>Sales and forecast</h3>
<div id="chart-forecast" class="chart"></div>
<div id="holdout-block"><h3>Holdout: actual vs each model <select id="cutoff-select"></select></h3>
<div id="chart-holdout" class="chart"></div></div>
<div id="policy-block"><h3 id="policy-title">Policy</h3>
<div id="chart-policy" class="chart"></div></div>
</section>
<section id="overview">
<div id="accuracy-block"><h2>Accuracy by model</h2><p id="accuracy-source" class="note"></p><div id="accuracy-table"></div></div>
<div id="frontier-block"><h2>Service and inventory</h2><p class="note">One point per policy replayed by <code>stock backtest</code>: fill rate and cycle service level against the average units on hand (all SKUs).</p>
<div id="chart-frontier" class="chart"></div><div id="frontier-table"></div></div>
<div id="sources-block"><h2>Inputs</h2><ul id="sources"></ul></div>
</section>
</main>
</div>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${inlineScript(assets.chartJs)}</script>
<script>${inlineScript(PAGE_SCRIPT)}</script>
</body>
</html>
`;
}
