import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportSpec } from '../../src/commands/report/report.options.js';
import { UsageError } from '../../src/errors.js';
import { forecastBands, groupModelColumns } from '../../src/core/contracts/report-columns.js';
import { buildPage } from '../../src/report/build.js';
import { renderReportHtml, scriptJson } from '../../src/report/html.js';
import type { PageData, ReportInputs } from '../../src/report/types.js';
import { parseArgv, runCli } from '../helpers/cli.js';
import { DAYS, HOLDOUT_FROM, SKUS, units, writeReportFixture } from '../helpers/report-fixture.js';

/** The JSON the page draws from, read back out of a written report. */
function pageData(html: string): PageData {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (m === null) throw new Error('no data element');
  return JSON.parse(m[1]!) as PageData;
}

function emptyInputs(over: Partial<ReportInputs> = {}): ReportInputs {
  return { title: 't', sources: [], history: [], summaries: [], replays: new Map(), ...over };
}

describe('report columns', () => {
  it('pairs quantile and lo/hi columns into bands, widest first', () => {
    expect(forecastBands(['sku', 'date', 'forecast', 'sd', 'p10', 'p90', 'p25', 'p75', 'lo-95', 'hi-95', 'model'])).toEqual([
      { label: '95%', lo: 'lo-95', hi: 'hi-95', coverage: 95 },
      { label: 'p10-p90', lo: 'p10', hi: 'p90', coverage: 80 },
      { label: 'p25-p75', lo: 'p25', hi: 'p75', coverage: 50 },
    ]);
    // statsforecast names its levels after the model; an unpaired quantile is no band.
    expect(forecastBands(['AutoETS', 'AutoETS-lo-80', 'AutoETS-hi-80', 'p10'])).toEqual([{ label: '80%', lo: 'AutoETS-lo-80', hi: 'AutoETS-hi-80', coverage: 80 }]);
    // predict --levels 80 next to p10/p90: one interval, not two.
    expect(forecastBands(['p10', 'p90', 'lo-80', 'hi-80', 'lo-95', 'hi-95']).map((b) => b.label)).toEqual(['95%', 'p10-p90']);
  });

  it('groups a wide file into models: bare point columns, suffixed quantiles, a median when no point', () => {
    const models = groupModelColumns(['sku', 'cutoff', 'date', 'actual', 'lstm', 'lstm-p10', 'lstm-p90', 'naive', 'ets_lo_80', 'ets_hi_80', 'ets_p50', 'lstm_sd'], ['sku', 'cutoff', 'date', 'actual']);
    expect(models).toEqual([
      { name: 'lstm', point: 'lstm', bands: [{ label: 'p10-p90', lo: 'lstm-p10', hi: 'lstm-p90', coverage: 80 }] },
      { name: 'naive', point: 'naive', bands: [] },
      { name: 'ets', point: 'ets_p50', bands: [{ label: '80%', lo: 'ets_lo_80', hi: 'ets_hi_80', coverage: 80 }] },
    ]);
  });
});

describe('report page data (pure)', () => {
  it('scores each model of the holdout forecasts: WAPE, MAE, bias and interval coverage', () => {
    const actual = [10, 0, 30];
    const rows = actual.map((a, i) => ({ sku: i < 2 ? 'X' : 'Y', cutoff: 100, day: 101 + i, actual: a, values: { m: a + 2, 'm-p10': a - 1, 'm-p90': i === 0 ? a - 0.5 : a + 1, z: 0 } }));
    const page = buildPage(emptyInputs({
      evaluation: { file: 'e.csv', models: groupModelColumns(['m', 'm-p10', 'm-p90', 'z'], []), rows },
    }));
    const m = page.accuracy.rows.find((r) => r.model === 'm')!;
    expect(m).toMatchObject({ n: 3, skus: 2, mae: 2, bias: 6 / 40, coverageTarget: 0.8 });
    expect(m.wape).toBeCloseTo(6 / 40, 12);
    expect(m.rmse).toBeCloseTo(2, 12);
    expect(m.coverage).toBeCloseTo(2 / 3, 12);
    const z = page.accuracy.rows.find((r) => r.model === 'z')!;
    expect(z.wape).toBe(1);
    expect(z.coverage).toBeNull();
    // Best first; the per-SKU WAPE behind "worst N by error".
    expect(page.errorModels).toEqual(['m', 'z']);
    expect(page.skus.map((s) => [s.sku, s.k.wape.m])).toEqual([['X', 0.4], ['Y', 0.067]]);
  });

  it('without evaluation, scores the forecast against the sales it overlaps, and ranks value as units x price', () => {
    const page = buildPage(emptyInputs({
      step: 1,
      history: [{ sku: 'A', start: 0, step: 1, units: [4, Number.NaN, 6, 8], price: [2, 2, 3, 3] }],
      forecast: { file: 'f.csv', bands: [], bySku: new Map([['A', { days: [2, 3, 4], mean: [5, 10, 9], levels: {}, models: ['lstm'] }]]) },
    }));
    expect(page.accuracy.rows).toEqual([expect.objectContaining({ model: 'lstm', n: 2, wape: 3 / 14 })]);
    expect(page.accuracy.source).toContain('f.csv');
    expect(page.skus[0]!.h!.y).toEqual([4, null, 6, 8]);
    expect(page.skus[0]!.k.value).toBe(4 * 2 + 6 * 3 + 8 * 3);
    expect(page.valueLabel).toContain('price');
  });

  it('frontier points are the policy rows of the summaries, not their difference rows', () => {
    const page = buildPage(emptyInputs({
      summaries: [{ file: 's.csv', rows: [
        { policy: 'p.csv', values: { skus: 3, fill_rate: 0.97, cycle_service_level: 0.9, avg_on_hand: 100, stockout_rate: 0.0262 } },
        { policy: 'classic', values: { skus: 3, fill_rate: 0.96, cycle_service_level: 0.85, avg_on_hand: 80, stockout_rate: 0.0295 } },
        { policy: 'classic - p.csv', values: { fill_rate: -0.01, avg_on_hand: -20 } },
      ] }],
    }));
    expect(page.frontier.map((p) => [p.policy, p.avg_on_hand, p.stockout_rate])).toEqual([['p.csv', 100, 0.0262], ['classic', 80, 0.0295]]);
  });

  it('the HTML inlines everything and cannot be broken out of by a SKU name', () => {
    const page = buildPage(emptyInputs({ history: [{ sku: '</script><img src=x onerror=alert(1)>', start: 0, step: 1, units: [1, 2] }] }));
    const html = renderReportHtml(page, { chartJs: 'window.uPlot = function () {};', chartCss: '.u{}' });
    expect(html.match(/<\/script>/g)!.length).toBe(3);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']?https?:/i);
    expect(pageData(html).skus[0]!.sku).toBe('</script><img src=x onerror=alert(1)>');
    expect(scriptJson({ a: '\u2028<!--' })).toBe('{"a":"\\u2028\\u003c!--"}');
    expect(() => renderReportHtml(page, { chartJs: 'x = "</script>"', chartCss: '' })).toThrow(/script/);
  });
});

describe('stockcast report', () => {
  it('parses its options; --out is required; --backtest-summary repeats', async () => {
    const inv = await parseArgv(['report', '--out', 'r.html', '--data', 's.csv', '--backtest-summary', 'a.csv', '--backtest-summary', 'b.csv', '--from', '2026-02-01']);
    expect(inv).toMatchObject({ group: '', command: 'report', options: { out: 'r.html', data: 's.csv', backtestSummary: ['a.csv', 'b.csv'], seed: 42, unmet: 'lost', window: 120 } });
    await expect(parseArgv(['report', '--data', 's.csv'])).rejects.toThrow(/--out/);
    expect(() => reportSpec.parse({ out: 'r.html', from: '2026-13-01' })).toThrow(UsageError);
  });

  it('writes one self-contained page from every input; the replay matches stock backtest', async () => {
    const fx = writeReportFixture();
    const perSku = join(fx.dir, 'bt-per-sku.csv');
    const summary = join(fx.dir, 'bt.csv');
    const bt = await runCli(['stock', 'backtest', '--data', fx.sales, '--policy', fx.policy, '--lead-times', fx.leadTimes, '--from', HOLDOUT_FROM, '--baseline', 'classic', '--per-sku', perSku, '--out', summary]);
    expect(bt.code, bt.stderr).toBe(0);
    const out = join(fx.dir, 'report.html');
    const args = ['report', '--out', out, '--data', fx.sales, '--forecast', fx.forecast, '--policy', fx.policy, '--lead-times', fx.leadTimes,
      '--backtest-per-sku', perSku, '--backtest-summary', summary, '--evaluation', fx.evaluation];
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/replayed 3 SKU\(s\) from 2026-02-16 to 2026-03-01[^\n]*\nwrote .*report\.html: 3 SKU\(s\)/);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']?https?:|fetch\(/i);
    const page = pageData(html);
    expect(page.skus.map((s) => s.sku)).toEqual(SKUS);
    const a = page.skus[0]!;
    expect(a.h!.y.length).toBe(DAYS);
    expect(a.h!.y[5]).toBe(units(0, 5));
    expect(a.f!.b.map((b) => b.label)).toEqual(['95%', 'p10-p90']);
    expect(a.f!.models).toEqual(['combo']);
    expect(a.e![0]!.m.map((m) => m.name)).toEqual(['good', 'bad']);
    expect(page.accuracy.rows.map((x) => x.model)).toEqual(['good', 'bad']);
    expect(page.accuracy.rows[0]!.coverage).toBe(1);
    // The on-hand replay is stock backtest's: same orders, stockouts and average stock per SKU.
    const rows = readFileSync(perSku, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    for (const row of rows) {
      const s = page.skus.find((x) => x.sku === row[0])!;
      expect(s.r!.onHand.length).toBe(14);
      expect(s.r!.ordered.length).toBe(Number(row[8]));
      expect(s.r!.unmet.length).toBe(Number(row[6]));
      expect(s.r!.unmet.reduce((x, [, u]) => x + u, 0)).toBeCloseTo(Number(row[3]), 2);
      expect(s.r!.onHand.reduce((x, y) => x + y, 0) / 14).toBeCloseTo(Number(row[7]), 3);
      expect(s.bt!.stockout_days).toBe(Number(row[6]));
    }
    expect(page.frontier.map((p) => p.policy)).toEqual(['policy.csv', 'classic']);
    // Deterministic: the same inputs give the same bytes, from another working directory too.
    const again = await runCli(args, { cwd: fx.dir });
    expect(again.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(html);
  });

  it('bad input: exit 2 with file:line:column, and the previous report is left as it was', async () => {
    const fx = writeReportFixture();
    const out = join(fx.dir, 'report.html');
    expect((await runCli(['report', '--out', out, '--forecast', fx.forecast])).code).toBe(0);
    const before = readFileSync(out, 'utf8');
    const bad = join(fx.dir, 'bad.csv');
    writeFileSync(bad, 'sku,date,forecast,p10,p90\nA,2026-01-01,3,1,5\nA,2026-01-02,abc,1,5\nA,2026-13-01,3,1,5\n');
    const r = await runCli(['report', '--out', out, '--forecast', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv:3:3/);
    expect(r.stderr).toMatch(/bad\.csv:4:2/);
    expect(readFileSync(out, 'utf8')).toBe(before);
    const missing = await runCli(['report', '--out', join(fx.dir, 'new.html'), '--policy', fx.forecast]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required columns reorder_point, order_up_to/);
    expect(existsSync(join(fx.dir, 'new.html'))).toBe(false);
  });

  it('reads evaluation forecasts in long form (one row per model) as the wide ones, and any service-inventory table', async () => {
    const fx = writeReportFixture();
    const wide = readFileSync(fx.evaluation, 'utf8').trim().split('\n');
    // As forecast evaluate --forecasts writes it: one row per model, intervals as p10,p90 and lo-L,hi-L.
    const long = ['sku,cutoff,date,step,model,actual,forecast,sd,p10,p90,lo-95,hi-95'];
    wide.slice(1).forEach((l, i) => {
      const [sku, cutoff, date, actual, good, lo, hi, bad] = l.split(',');
      long.push(`${sku},${cutoff},${date},${(i % 14) + 1},good_mean,${actual},${good},1,${lo},${hi},${Number(lo) - 1},${Number(hi) + 1}`);
      long.push(`${sku},${cutoff},${date},${(i % 14) + 1},bad,${actual},${bad},1,${Number(bad) - 1},${Number(bad) + 1},${Number(bad) - 2},${Number(bad) + 2}`);
    });
    const longFile = join(fx.dir, 'long.csv');
    writeFileSync(longFile, `${long.join('\n')}\n`);
    const frontier = join(fx.dir, 'frontier.csv');
    writeFileSync(frontier, 'service_level,fill_rate,avg_on_hand\n0.9,0.95,100\n0.99,0.995,180\n');
    let n = 0;
    const html = async (args: string[]) => {
      const out = join(fx.dir, `r${n++}.html`);
      const r = await runCli(['report', '--out', out, ...args]);
      expect(r.code, r.stderr).toBe(0);
      return pageData(readFileSync(out, 'utf8'));
    };
    const a = await html(['--evaluation', fx.evaluation]);
    const b = await html(['--evaluation', longFile, '--backtest-summary', frontier]);
    // `good_mean` is a model name, not the mean column of a model `good`.
    expect(b.accuracy.rows.map((x) => [x.model, x.wape, x.mae])).toEqual(a.accuracy.rows.map((x) => [x.model === 'good' ? 'good_mean' : x.model, x.wape, x.mae]));
    expect(b.accuracy.rows.map((x) => x.coverage)).toEqual([1, 0]);
    expect(b.skus[0]!.e![0]!.m.map((m) => [m.name, m.band])).toEqual([['good_mean', 'p10-p90'], ['bad', 'p10-p90']]);
    expect(b.frontier.map((p) => [p.policy, p.fill_rate, p.avg_on_hand])).toEqual([['0.9', 0.95, 100], ['0.99', 0.995, 180]]);
    const bad = join(fx.dir, 'bad-summary.csv');
    writeFileSync(bad, 'policy,orders\nx,3\n');
    const r = await runCli(['report', '--out', join(fx.dir, 'x.html'), '--backtest-summary', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs avg_on_hand and fill_rate or cycle_service_level columns/);
  });

  it('one --delimiter for every input', async () => {
    const fx = writeReportFixture();
    const semi = (f: string) => {
      const p = `${f}.semi.csv`;
      writeFileSync(p, readFileSync(f, 'utf8').replace(/,/g, ';'));
      return p;
    };
    const out = join(fx.dir, 'semi.html');
    const r = await runCli(['report', '--out', out, '--delimiter', ';', '--data', semi(fx.sales), '--forecast', semi(fx.forecast), '--policy', semi(fx.policy), '--lead-times', semi(fx.leadTimes)]);
    expect(r.code, r.stderr).toBe(0);
    const page = pageData(readFileSync(out, 'utf8'));
    expect(page.skus.map((s) => [s.sku, s.f!.d.length, s.r!.onHand.length])).toEqual(SKUS.map((s) => [s, 14, 14]));
  });

  it('refuses to overwrite a file it did not write, and needs at least one input', async () => {
    const fx = writeReportFixture();
    const mine = join(fx.dir, 'notes.html');
    writeFileSync(mine, '<html>my notes</html>');
    const r = await runCli(['report', '--out', mine, '--data', fx.sales]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a report that stockcast wrote/);
    expect(readFileSync(mine, 'utf8')).toBe('<html>my notes</html>');
    const none = await runCli(['report', '--out', join(fx.dir, 'x.html')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing to report/);
  });
});
