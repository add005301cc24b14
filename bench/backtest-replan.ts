/**
 * The nightly loop replayed (`stock backtest --replan`) at several targets: the service-inventory
 * frontier of the Monte Carlo policy fed by a forecaster against the classic policy, both replanned
 * every week from the data before each replan date, same lead-time draws.
 *
 * - Walmart (3,331 weekly store-department series, units = weekly sales in dollars, negatives 0):
 *   the last 26 weeks, a replan every week, lead time 7 days fixed and 7 +- 3 days (gamma; the data
 *   has none), lost sales, (s,Q) with Q = 30 days of mean forecast demand (classic: the same Q);
 * - the daily samples (data/samples: 50 SKUs, their own lead times), from 2026-08-01, weekly
 *   replans, with the intermittent SKUs reported apart (the auto rule's negbin SKUs).
 * Targets 0.90, 0.95, 0.98 (cycle service). The forecasts of a replan date do not depend on the
 * lead time, so each is made once and shared by both lead-time settings.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { readLeadTimes } from '../src/io/lead-times.js';
import { readSales } from '../src/io/sales.js';
import { BASELINES, type BaselineName } from '../src/models/baselines/index.js';
import { parseDay } from '../src/core/calendar.js';
import { dataEnd } from '../src/sales-data.js';
import { historyStats } from '../src/simulation/backtest/demand.js';
import { type Totals, totals } from '../src/simulation/backtest/run.js';
import { AUTO_RULE } from '../src/simulation/montecarlo/demand.js';
import { SimulationPool } from '../src/simulation/montecarlo/pool.js';
import { type PeriodForecast, type ReplanForecaster, type ReplanResult, runReplan } from '../src/simulation/backtest/replan.js';
import type { LeadTime, SalesData } from '../src/core/types.js';
import { CALIBRATION } from '../src/commands/stock/_backtest-replan.js';
import { REPO_ROOT, prepareWalmart } from './walmart.js';
import { readModelDir } from '../src/io/model-dir.js';
import { LstmForecaster } from '../src/models/lstm-forecaster.js';
import { parseModelMeta } from '../src/models/model-meta.js';
import { ENGINE } from '../src/commands/forecast/_run-training.js';
import { initBackend } from '../src/models/backend.js';
import { simulationForecasts } from '../src/simulation/montecarlo/moments.js';

const LEVELS = [0.5, 0.65, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999];
const PATHS = 4_000;
const SEED = 42;
const WEEKS = 26;
/** Days each plan is in force (STOCKCAST_BENCH_VALID_DAYS; default the replan interval, as stock backtest --replan). */
const EVERY = Number(process.env.STOCKCAST_BENCH_EVERY ?? 7);
const VALID_DAYS = Number(process.env.STOCKCAST_BENCH_VALID_DAYS ?? EVERY);
const FORECASTER: BaselineName = (process.env.STOCKCAST_BENCH_FORECASTER as BaselineName | undefined) ?? 'ets';

/** Forecasts made once per origin, shared by the runs of several lead-time settings. */
function cached(name: BaselineName): ReplanForecaster & { seconds: number } {
  const model = BASELINES[name]();
  const memo = new Map<number, Map<string, PeriodForecast>>();
  const f = {
    name,
    seconds: 0,
    fit: async (h: SalesData) => {
      if (memo.has(dataEnd(h))) return;
      const t = performance.now();
      await model.fit(h);
      f.seconds += (performance.now() - t) / 1000;
    },
    predict: async (h: SalesData, origin: number, horizon: number, plan: Map<string, Float64Array[]>) => {
      const hit = memo.get(origin);
      if (hit !== undefined) return hit;
      const t = performance.now();
      const out = await model.predict(h, origin, horizon, plan);
      f.seconds += (performance.now() - t) / 1000;
      memo.set(origin, out);
      return out;
    },
  };
  return f;
}

/**
 * STOCKCAST_BENCH_MODEL=DIR: the samples' Monte Carlo policy fed by a trained model's shipped
 * forecast instead (train it on the samples before 2026-08-01; bench/README or docs/reorder-backtest.md).
 */
async function cachedModel(dir: string, covariates: readonly string[]): Promise<ReplanForecaster & { seconds: number; dispose(): void }> {
  await initBackend('wasm');
  const { meta, files } = await readModelDir(dir, parseModelMeta);
  const model = await LstmForecaster.load(ENGINE, meta, files);
  const at = meta.covariates.map((c) => covariates.indexOf(c));
  const memo = new Map<number, Map<string, PeriodForecast>>();
  const f = {
    name: 'shipped',
    seconds: 0,
    maxHorizon: meta.horizon,
    predict: async (h: SalesData, origin: number, horizon: number, plan: Map<string, Float64Array[]>) => {
      const hit = memo.get(origin);
      if (hit !== undefined) return hit;
      const t = performance.now();
      const ordered = new Map([...plan].map(([sku, cov]) => [sku, at.map((k) => cov[k]!)]));
      const raw = await model.predict(h, origin, horizon, ordered);
      // As stock backtest --replan --model: the mean and sd the median forecast implies (STOCKCAST_BENCH_MEDIAN=1: the median as the mean, as before).
      const out: Map<string, PeriodForecast> = process.env.STOCKCAST_BENCH_MEDIAN === '1' ? raw : simulationForecasts(raw, meta.point);
      f.seconds += (performance.now() - t) / 1000;
      memo.set(origin, out);
      return out;
    },
    dispose: () => model.dispose(),
  };
  return f;
}

/** What feeds the Monte Carlo policy: a trained model's shipped forecast (DIR given), else the baseline FORECASTER. */
async function feed(modelDir: string | undefined, covariates: readonly string[]): Promise<{ fc: ReplanForecaster & { seconds: number }; fedBy: string }> {
  if (modelDir === undefined) return { fc: cached(FORECASTER), fedBy: FORECASTER };
  return { fc: await cachedModel(modelDir, covariates), fedBy: `the shipped forecast of ${modelDir}` };
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Classic's inventory at a given achieved value of `key`, interpolated along its frontier. */
function classicAt(points: Totals[], key: 'fillRate' | 'cycleServiceLevel', x: number): number | undefined {
  const pts = [...points].sort((a, b) => a[key] - b[key]);
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[i + 1]!;
    if (x >= a[key] && x <= b[key] && b[key] > a[key]) return a.avgOnHand + ((x - a[key]) / (b[key] - a[key])) * (b.avgOnHand - a.avgOnHand);
  }
  return undefined;
}

function table(label: string, r: ReplanResult, subset?: Set<string>): void {
  const rows = r.outcomes.map((o) => ({ o, t: subset === undefined ? o.totals : totals(o.perSku.filter((m) => subset.has(m.sku))) }));
  const classic = rows.filter((x) => x.o.name === 'classic').map((x) => x.t);
  console.log(`\n${label}: ${rows[0]?.t.skus ?? 0} SKUs x ${r.days} days, ${r.replans.length} weekly replans, lost sales`);
  console.log('| policy | target | cycle service | fill rate | stockout rate (SKU-days) | avg inventory | classic inventory at equal fill rate | at equal cycle service |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const { o, t } of rows) {
    const f = o.name === 'classic' ? undefined : classicAt(classic, 'fillRate', t.fillRate);
    const c = o.name === 'classic' ? undefined : classicAt(classic, 'cycleServiceLevel', t.cycleServiceLevel);
    const rel = (v: number | undefined) => (v === undefined ? (o.name === 'classic' ? '' : 'outside classic range') : `${Math.round(v).toLocaleString('en-US')} (MC ${((100 * (t.avgOnHand - v)) / v).toFixed(1)}%)`);
    console.log(`| ${o.name} | ${o.serviceLevel} | ${pct(t.cycleServiceLevel)} | ${pct(t.fillRate)} | ${pct(t.stockoutRate)} | ${Math.round(t.avgOnHand).toLocaleString('en-US')} | ${rel(f)} | ${rel(c)} |`);
  }
}

interface Variant {
  calibrated: boolean;
  exposure: 'replay' | 'simulate';
}

/** The shipped defaults first; STOCKCAST_BENCH_VARIANTS=1 adds the runs that isolate each fix. */
const VARIANTS: Variant[] = process.env.STOCKCAST_BENCH_VARIANTS === '1'
  ? [{ calibrated: true, exposure: 'replay' }, { calibrated: false, exposure: 'replay' }, { calibrated: false, exposure: 'simulate' }]
  : [{ calibrated: true, exposure: 'replay' }];

const describeVariant = (v: Variant) => `spread ${v.calibrated ? 'calibrated' : 'as forecast'}, exposure ${v.exposure}`;

async function replay(data: SalesData, from: number, to: number, leadTimes: Map<string, LeadTime>, forecaster: ReplanForecaster, pool: SimulationPool, v: Variant): Promise<{ r: ReplanResult; seconds: number }> {
  const t = performance.now();
  const r = await runReplan({
    data,
    from,
    to,
    every: EVERY,
    forecaster,
    refitEvery: 1,
    horizon: Math.ceil(30 / data.step),
    leadTimes,
    serviceLevels: LEVELS,
    sim: { paths: PATHS, serviceType: 'cycle', policy: { kind: 'sQ' }, demandDist: 'auto', validDays: VALID_DAYS },
    seed: SEED,
    unmet: 'lost',
    classic: {},
    simulate: pool.simulate,
    calibration: v.calibrated ? CALIBRATION : undefined,
    exposure: v.exposure,
  });
  return { r, seconds: (performance.now() - t) / 1000 };
}

async function walmart(pool: SimulationPool): Promise<void> {
  const w = prepareWalmart();
  if (w.path === undefined) {
    console.log(`Walmart skipped: ${w.reason}`);
    return;
  }
  // STOCKCAST_BENCH_WALMART_MODEL=DIR: fed by a model trained on Walmart before the window (its covariates read too).
  const modelDir = process.env.STOCKCAST_BENCH_WALMART_MODEL;
  const { data } = await readSales(w.path, { dateCol: 'date', skuCol: 'sku', targetCol: 'units', ...(modelDir === undefined ? { covariates: [] } : {}), delimiter: ',', dateFormat: 'YYYY-MM-DD', freq: 'W', fill: 'missing', negative: 'zero' });
  const end = dataEnd(data);
  const from = end - (WEEKS - 1) * data.step;
  const to = end + data.step - 1;
  const { fc, fedBy } = await feed(modelDir, data.covariates);
  for (const [label, lead] of [
    ['Walmart, lead time 7 days fixed', { mean: 7, sd: 0 }],
    ['Walmart, lead time 7 +- 3 days (gamma)', { mean: 7, sd: 3 }],
  ] as [string, LeadTime][]) {
    for (const v of VARIANTS) {
      const before = fc.seconds;
      const { r, seconds } = await replay(data, from, to, new Map(data.series.map((s) => [s.sku, lead])), fc, pool, v);
      table(`${label}, Monte Carlo fed by ${fedBy}, ${describeVariant(v)}`, r);
      console.log(`${seconds.toFixed(0)} s for ${r.replans.length} replans (forecasting ${(fc.seconds - before).toFixed(0)} s, cached for the next runs; simulating ${PATHS} paths x ${r.skus.length} SKUs per replan on ${pool.threads || 1} thread(s), and the replays: the rest); ${r.excluded.length} SKU(s) not replayed; kept: ${r.kept.map((k) => `${k.policy} ${k.count}`).join(', ')}${factorsNote(r)}`);
    }
  }
}

function factorsNote(r: ReplanResult): string {
  if (r.calibration.length === 0) return '';
  const f = r.calibration.map((c) => c.factor.toFixed(2));
  return `; sd factors per replan: ${f.join(' ')}`;
}

async function samples(pool: SimulationPool): Promise<void> {
  const dir = resolve(REPO_ROOT, 'data/samples');
  const { data } = await readSales(resolve(dir, 'sales.csv'), { dateCol: 'date', skuCol: 'sku', targetCol: 'units', delimiter: ',', dateFormat: 'YYYY-MM-DD', fill: 'missing', negative: 'zero' });
  const leadTimes = await readLeadTimes(resolve(dir, 'lead_times.csv'));
  const from = parseDay('2026-08-01');
  const to = dataEnd(data) + data.step - 1;
  // Intermittent: the auto rule's count SKUs, judged on the history before the window.
  const slow = new Set<string>();
  for (const s of data.series) {
    const st = historyStats(s, data.step, from, 91);
    let zeros = 0;
    let n = 0;
    for (let i = 0; i < s.units.length; i++) {
      const day = s.start + i * data.step;
      if (day >= from || day < from - 91 || Number.isNaN(s.units[i]!)) continue;
      n++;
      if (s.units[i] === 0) zeros++;
    }
    if (st.mean < AUTO_RULE.countBelowDailyMean || (n > 0 && zeros / n >= AUTO_RULE.countZeroShare)) slow.add(s.sku);
  }
  const modelDir = process.env.STOCKCAST_BENCH_MODEL;
  const { fc, fedBy } = await feed(modelDir, data.covariates);
  for (const v of VARIANTS) {
    const { r, seconds } = await replay(data, from, to, leadTimes, fc, pool, v);
    const how = describeVariant(v);
    table(`Samples (daily), their lead times, Monte Carlo fed by ${fedBy}, ${how}, all SKUs`, r);
    table(`Samples, ${how}, intermittent or slow SKUs only (mean < 5/day or >= 25% zero days in the 13 weeks before)`, r, slow);
    table(`Samples, ${how}, the other SKUs`, r, new Set(r.skus.filter((s) => !slow.has(s))));
    console.log(`${seconds.toFixed(0)} s for ${r.replans.length} replans${factorsNote(r)}`);
  }
}

export async function replanBench(): Promise<void> {
  const pool = new SimulationPool(availableParallelism());
  try {
    // STOCKCAST_BENCH_ONLY=samples | walmart: one of the two.
    const only = process.env.STOCKCAST_BENCH_ONLY;
    if (only !== 'walmart') await samples(pool);
    if (process.env.STOCKCAST_BENCH_MODEL === undefined && only !== 'samples') await walmart(pool);
  } finally {
    await pool.close();
  }
}
