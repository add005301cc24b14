/** The charting library's browser build, read from its npm package to be inlined into the report. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { RuntimeError } from '../errors.js';
import type { ReportAssets } from '../core/contracts/report-inputs.js';

export async function loadReportAssets(): Promise<ReportAssets> {
  const require = createRequire(import.meta.url);
  try {
    const js = require.resolve('uplot/dist/uPlot.iife.min.js');
    const css = require.resolve('uplot/dist/uPlot.min.css');
    const [chartJs, chartCss] = await Promise.all([readFile(js, 'utf8'), readFile(css, 'utf8')]);
    return { chartJs, chartCss };
  } catch (err) {
    throw new RuntimeError(`cannot read the charting library uPlot: ${(err as Error).message}`, 'reinstall stockcast (npm install) so that its dependency uplot is present');
  }
}
