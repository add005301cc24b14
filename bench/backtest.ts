/**
 * `npm run bench backtest`: the Monte Carlo policy against the classic one on the real Walmart
 * data (3,331 weekly store-department series; units are weekly sales in dollars, negatives -> 0).
 *
 * Honest holdout: the last 26 weeks are replayed; everything used to build the policies comes
 * from the weeks before.
 * - Monte Carlo: a forecast made at the origin for the 26 weeks by two of the baselines
 *   (seasonal naive: the value 52 weeks earlier; ETS), sd from each forecaster's own in-sample
 *   residuals, then `stock simulate`'s engine: (s,Q), 95% cycle service level, Q = its default 30
 *   days of mean forecast demand. The policy is built once, at the origin, for the whole holdout.
 * - Classic: SS = z * sd(daily demand) * sqrt(L) from all history before the window, with the Q of
 *   the seasonal-naive Monte Carlo policy.
 * Both replayed day by day (weekly sales / 7 per day), lost sales, same seed and lead-time draws.
 * Lead time: 7 days fixed, and a stochastic variant with mean 7 and sd 3 days (gamma), assumed:
 * the data has none.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { readSales } from '../src/io/sales.js';
import { BASELINES, type BaselineName } from '../src/models/baselines/index.js';
import type { SeriesForecast } from '../src/models/forecaster.js';
import { dataEnd } from '../src/sales-data.js';
import type { LeadTime } from '../src/core/types.js';
import { type BacktestResult, type NamedPolicy, runBacktest } from '../src/simulation/backtest/run.js';
import { classicPolicies } from '../src/simulation/backtest/classic.js';
import { spreadToDays } from '../src/simulation/montecarlo/demand.js';
import type { SimConfig, SkuInput } from '../src/simulation/montecarlo/engine.js';
import { simulateAll } from '../src/simulation/montecarlo/workers.js';
import type { SalesData } from '../src/core/types.js';
import { prepareWalmart } from './walmart.js';

const HOLDOUT_WEEKS = 26;
const PATHS = 4_000;
const SEED = 42;
const SERVICE = 0.95;
const FORECASTERS: BaselineName[] = ['seasonal_naive', 'ets'];

/** The history up to and including `origin`: nothing after it reaches the policies. */
function truncate(data: SalesData, origin: number): SalesData {
  const series = data.series
    .map((s) => {
      const n = Math.max(0, Math.min(s.units.length, Math.floor((origin - s.start) / data.step) + 1));
      return { ...s, units: s.units.slice(0, n), covariates: s.covariates.map((c) => c.slice(0, n)), observed: s.observed.slice(0, n) };
    })
    .filter((s) => s.units.length > 0);
  return { ...data, series };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function report(label: string, r: BacktestResult): void {
  console.log(`\n${label}: ${r.skus.length} SKUs x ${r.days} days, lost sales`);
  console.log('| policy | fill rate | cycle service level | stockout rate (SKU-days) | stockout days | avg inventory ($) | orders |');
  console.log('|---|---|---|---|---|---|---|');
  for (const o of r.outcomes) {
    const t = o.totals;
    console.log(`| ${o.name} | ${pct(t.fillRate)} | ${pct(t.cycleServiceLevel)} | ${pct(t.stockoutRate)} | ${t.stockoutDays} | ${Math.round(t.avgOnHand).toLocaleString('en-US')} | ${t.orders} |`);
  }
}

/** The static bench of earlier releases: one policy built at the origin, held 26 weeks (`npm run bench -- backtest --static`). */
async function staticBench(): Promise<void> {
  const w = prepareWalmart();
  if (w.path === undefined) {
    console.log(`skipped: ${w.reason}`);
    return;
  }
  let t = performance.now();
  const { data } = await readSales(w.path, {
    dateCol: 'date',
    skuCol: 'sku',
    targetCol: 'units',
    covariates: [],
    delimiter: ',',
    dateFormat: 'YYYY-MM-DD',
    freq: 'W',
    fill: 'missing',
    negative: 'zero',
  });
  const end = dataEnd(data);
  const origin = end - HOLDOUT_WEEKS * data.step;
  const from = origin + data.step;
  const to = end + data.step - 1;
  const history = truncate(data, origin);
  console.log(`read ${data.series.length} series in ${((performance.now() - t) / 1000).toFixed(1)}s; replay ${HOLDOUT_WEEKS} weeks from day ${from} to ${to}`);

  const forecasts = new Map<BaselineName, Map<string, SeriesForecast>>();
  for (const name of FORECASTERS) {
    t = performance.now();
    const model = BASELINES[name]();
    await model.fit(history);
    forecasts.set(name, await model.predict(history, origin, HOLDOUT_WEEKS, new Map()));
    console.log(`${name} forecasts for ${forecasts.get(name)!.size} series in ${((performance.now() - t) / 1000).toFixed(1)}s`);
  }

  for (const [label, lead] of [
    ['lead time 7 days fixed', { mean: 7, sd: 0 }],
    ['lead time 7 days, sd 3 (gamma)', { mean: 7, sd: 3 }],
  ] as [string, LeadTime][]) {
    const named: NamedPolicy[] = [];
    const notes: string[] = [];
    for (const [name, fc] of forecasts) {
      const inputs: SkuInput[] = [];
      for (const [sku, f] of [...fc].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        if (f.mean.some((v) => !Number.isFinite(v)) || f.sd.some((v) => !Number.isFinite(v))) continue;
        inputs.push({ sku, demand: spreadToDays(f.mean, f.sd, data.step), lead: { mean: lead.mean, sd: lead.sd } });
      }
      const cfg: SimConfig = { paths: PATHS, seed: SEED, serviceLevel: SERVICE, serviceType: 'cycle', policy: { kind: 'sQ' }, demandDist: 'auto' };
      t = performance.now();
      const { results } = await simulateAll(inputs, cfg, { workers: availableParallelism() });
      notes.push(`simulate (${name}) ${inputs.length} SKUs x ${PATHS} paths: ${((performance.now() - t) / 1000).toFixed(1)}s`);
      named.push({ name: `mc-${name}`, policies: results.map((r) => ({ sku: r.sku, reorderPoint: r.reorderPoint, orderUpTo: r.orderUpTo, leadTimeMean: r.leadTimeMean, leadTimeSd: r.leadTimeSd })) });
    }
    const first = named[0]!.policies;
    const leadTimes = new Map(first.map((p) => [p.sku, lead]));
    const classic = classicPolicies(data, from, leadTimes, { serviceLevel: SERVICE, matchQ: new Map(first.map((p) => [p.sku, p])) });
    named.push({ name: 'classic', policies: classic.policies });
    t = performance.now();
    const r = runBacktest({ data, policies: named, leadTimes, from, to, unmet: 'lost', seed: SEED });
    report(label, r);
    console.log(`${notes.join('; ')}; replay ${named.length} policies: ${((performance.now() - t) / 1000).toFixed(2)}s; ${new Set(r.excluded.map((e) => e.sku)).size} SKU(s) not replayed (no forecast, or < 2 weeks of history)`);
  }
}

/**
 * `npm run bench -- backtest`: the replanned replay (bench/backtest-replan.ts) on Walmart and on the
 * daily samples; `--static` adds the static bench above.
 */
export async function bench(): Promise<void> {
  const { replanBench } = await import('./backtest-replan.js');
  await replanBench();
  if (process.argv.includes('--static')) await staticBench();
}
