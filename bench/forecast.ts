/**
 * Forecast accuracy and training speed under rolling-origin evaluation: the LSTM (default settings,
 * wasm backend; trained once at the first cutoff) and its combination against every baseline, on
 * the real Walmart data (3 cutoffs 13 weeks apart, horizon 13; covariates holiday + markdown1..5)
 * on the bundled samples (3 cutoffs 28 days apart, horizon 28) and on two synthetic grocery panels
 * (bench/grocery.ts: 913 store x brand series with price, deal and feature, log-linear and a
 * harder one; 3 cutoffs 12 weeks apart, horizon 12) and a synthetic daily retail panel
 * (bench/retail-daily.ts: 300 item x store series, mostly slow or intermittent, with price, promo
 * and event; 3 cutoffs 28 days apart, horizon 28). Prints training time, samples/s
 * and the pooled scores (WAPE, MASE, bias, coverage and MSIS/pinball at 80 and 95%), WAPE per cutoff
 * and coverage per horizon step.
 *
 * Environment (for experiments): FORECAST_BENCH=walmart,samples,grocery,grocery-hard,retail-daily (a
 * comma list of the data sets to run, default all five; FORECAST_BENCH=grocery runs only that panel; read from
 * STOCKCAST_BENCH_ONLY when FORECAST_BENCH is unset, as the backtest bench does),
 * FORECAST_GROCERY_SEED (the synthetic panels' seed), FORECAST_WINDOWS (3),
 * FORECAST_STEP (the horizon), FORECAST_RETRAIN=1 (a new LSTM at every cutoff), FORECAST_NO_LSTM=1
 * (baselines only), FORECAST_MODELS=ets,naive (baselines to run), FORECAST_BACKEND, FORECAST_EPOCHS, FORECAST_PATIENCE,
 * FORECAST_SPE (samples per epoch), FORECAST_UNITS, FORECAST_MEMBERS, FORECAST_WD (AdamW weight
 * decay), FORECAST_SCHEDULE=constant|cosine, FORECAST_NOISE (training input noise sd),
 * FORECAST_COMBINE (auto|none|...), FORECAST_WINDOW, FORECAST_VALIDATION (periods held out for early
 * stopping and the rolling origins; at least the horizon), FORECAST_SEED.
 */
import { uptime, loadavg } from 'node:os';
import { join } from 'node:path';
import { readSales } from '../src/io/sales.js';
import type { BackendChoice } from '../src/models/backend.js';
import { initBackend } from '../src/models/backend.js';
import { formatDay } from '../src/core/calendar.js';
import { seasonPeriods } from '../src/core/calendar.js';
import { BASELINE_NAMES, type BaselineName } from '../src/models/baselines/index.js';
import { candidateLabel, equalWeights } from '../src/models/combination-cv.js';
import { scoreRollingOrigin } from '../src/models/cv-scores.js';
import { DEFAULT_SETTINGS, LstmForecaster, combineForecasts, shippedMembers, shippedName } from '../src/models/lstm-forecaster.js';
import { loadNetwork, trainNetwork } from '../src/models/lstm/index.js';
import type { CombineChoice } from '../src/models/lstm-settings.js';
import { type CutoffRunner, baselineRunner, defaultRunName, lstmRunner, rollingCutoffs, rollingOrigin } from '../src/models/rolling-origin.js';
import { intervalAt } from '../src/models/intervals.js';
import type { SeriesForecast } from '../src/models/forecaster.js';
import { equicorrelation, standardizedError } from '../src/models/error-correlation.js';
import { sumSpreadFactor } from '../src/simulation/montecarlo/inputs.js';
import { dataEnd } from '../src/sales-data.js';
import type { IngestOptions, SalesData } from '../src/core/types.js';
import { GROCERY_CONFIG, GROCERY_COVARIATES, GROCERY_HARD, prepareGrocery } from './grocery.js';
import { RETAIL_DAILY, RETAIL_DAILY_COVARIATES, prepareRetailDaily, retailDailyOver } from './retail-daily.js';
import { REPO_ROOT, WALMART_COVARIATES, prepareWalmart } from './walmart.js';

const env = process.env;
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

function ingest(covariates: string[] | undefined): IngestOptions {
  return { dateCol: 'date', skuCol: 'sku', targetCol: 'units', covariates, delimiter: ',', dateFormat: 'YYYY-MM-DD', fill: 'missing', negative: 'zero' };
}

/** A runner whose seconds are added up under `name`. */
function timed(runner: CutoffRunner, seconds: Map<string, number>, names: string[]): CutoffRunner {
  return async (split, k, h) => {
    const t = performance.now();
    const out = await runner(split, k, h);
    for (const n of names) seconds.set(n, (seconds.get(n) ?? 0) + (performance.now() - t) / 1000);
    return out;
  };
}

async function run(label: string, data: SalesData, holdout: number): Promise<void> {
  const windows = num(env.FORECAST_WINDOWS) ?? 3;
  const spec = { windows, step: num(env.FORECAST_STEP) ?? holdout, horizon: holdout };
  const cutoffs = rollingCutoffs(dataEnd(data), data.step, spec);
  console.log(`\n### ${label}: ${data.series.length} series (${data.freq}), rolling origin: ${windows} cutoffs ${cutoffs.map(formatDay).join(', ')}, horizon ${holdout}, covariates ${data.covariates.join(', ')}`);
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (uptime ${Math.round(uptime())}s)`);
  const seconds = new Map<string, number>();
  const runners: CutoffRunner[] = [];
  let epochs = 0;
  let trained: LstmForecaster | undefined;
  const retrain = env.FORECAST_RETRAIN === '1';
  if (env.FORECAST_NO_LSTM !== '1') {
    const lstm = lstmRunner(async (history) => {
      const t0 = performance.now();
      const m = new LstmForecaster(
        {
          train: (spec, t, v, o) =>
            trainNetwork(spec, t, v, {
              ...o,
              weightDecay: num(env.FORECAST_WD) ?? o.weightDecay,
              lrSchedule: env.FORECAST_SCHEDULE === 'cosine' || env.FORECAST_SCHEDULE === 'constant' ? env.FORECAST_SCHEDULE : o.lrSchedule,
              inputNoise: num(env.FORECAST_NOISE) ?? o.inputNoise,
            }),
          load: loadNetwork,
        },
        {
          ...DEFAULT_SETTINGS,
          horizon: holdout,
          seed: num(env.FORECAST_SEED) ?? 42,
          epochs: num(env.FORECAST_EPOCHS) ?? DEFAULT_SETTINGS.epochs,
          patience: num(env.FORECAST_PATIENCE) ?? DEFAULT_SETTINGS.patience,
          samplesPerEpoch: num(env.FORECAST_SPE),
          units: num(env.FORECAST_UNITS) ?? DEFAULT_SETTINGS.units,
          window: num(env.FORECAST_WINDOW),
          validation: num(env.FORECAST_VALIDATION),
          learningRate: num(env.FORECAST_LR) ?? DEFAULT_SETTINGS.learningRate,
          batchSize: num(env.FORECAST_BATCH) ?? DEFAULT_SETTINGS.batchSize,
          members: num(env.FORECAST_MEMBERS) ?? DEFAULT_SETTINGS.members,
          refit: env.FORECAST_REFIT === '1',
          point: env.FORECAST_POINT === 'mean' ? 'mean' : undefined,
          combine: (env.FORECAST_COMBINE as CombineChoice | undefined) ?? DEFAULT_SETTINGS.combine,
          onEpoch: (e) => {
            epochs += 1;
            if (env.FORECAST_VERBOSE) console.log(`  epoch ${e.epoch} loss ${e.loss.toFixed(4)} val ${e.valLoss.toFixed(4)} ${Math.round(e.samplesPerSecond)}/s`);
          },
        },
      );
      await m.fit(history);
      const v = m.trained.validation;
      console.log(
        `lstm: trained ${epochs} epochs over ${m.trained.training.members} member(s) (best of the first: ${v.bestEpoch}) in ${((performance.now() - t0) / 1000).toFixed(1)}s, ` +
          `${Math.round(v.samplesPerSecond)} samples/s; neutralized [${v.neutralized.join(', ')}]; validation WAPE ${v.wape.toFixed(3)}, coverage ${v.coverageRaw.toFixed(2)} -> ${v.coverage.toFixed(2)}`,
      );
      epochs = 0;
      trained = m;
      return m;
    }, retrain);
    runners.push(timed(lstm, seconds, ['lstm', 'shipped']));
  }
  const baselines = (env.FORECAST_MODELS?.split(',') ?? BASELINE_NAMES) as BaselineName[];
  for (const name of baselines) runners.push(timed(baselineRunner([name]), seconds, [name]));
  const results = await rollingOrigin(data, spec, runners);
  trained?.dispose();
  const report = scoreRollingOrigin(results, seasonPeriods(data.freq), [80, 95]);
  const shipped = trained === undefined ? undefined : defaultRunName(shippedName(trained.trained), retrain);
  const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  console.log(`LSTM ${retrain ? 'retrained at every cutoff' : 'trained once at the first cutoff'}; seconds: all cutoffs, training included`);
  console.log('| model | WAPE | MASE | bias | cov80 | cov95 | MSIS80 | MSIS95 | pinball80 | pinball95 | WAPE per cutoff | seconds |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const m of report.models) {
    const s = report.pooled.get(m)!;
    const [l80, l95] = s.levels;
    const per = report.perCutoff.get(m)!.map((c) => f(c.wape)).join(' / ');
    console.log(`| ${m} | ${f(s.wape)} | ${f(s.mase)} | ${f(s.bias)} | ${f(l80!.coverage, 2)} | ${f(l95!.coverage, 2)} | ${f(l80!.winkler, 2)} | ${f(l95!.winkler, 2)} | ${f(l80!.pinball)} | ${f(l95!.pinball)} | ${per} | ${(seconds.get(m === shipped ? 'shipped' : m) ?? 0).toFixed(1)} |`);
  }
  if (trained !== undefined) {
    const c = trained.trained.combine;
    const w = shippedMembers(trained.trained);
    console.log(`shipped: ${shipped} (${c.chosenBy}; ${candidateLabel({ members: w.map((m) => m.model), weights: w.map((m) => m.weight) })}); candidates on the validation origins: ${(c.candidates ?? []).map((x) => `${candidateLabel({ members: x.members, weights: x.weights ?? equalWeights(x.members.length) })} ${x.wape.toFixed(4)}`).join(', ')}`);
  }
  for (const m of report.models.filter((x) => ['lstm', shipped, 'promo_regression'].includes(x))) {
    const steps = report.perStep.get(m)!;
    console.log(`${m} coverage by step, 80%: ${steps.map((s) => f(s.levels[0]!.coverage, 2)).join(' ')}; 95%: ${steps.map((s) => f(s.levels[1]!.coverage, 2)).join(' ')}`);
    const t = tailsBySide(results, m, [80, 95]);
    console.log(`${m} tails by side (targets 10% / 2.5% each): above hi-80 ${pct(t[0]!.above)}, below lo-80 ${pct(t[0]!.below)}, above hi-95 ${pct(t[1]!.above)}, below lo-95 ${pct(t[1]!.below)}`);
    const sums = errorSums(results, m, data.freq === 'D' ? [1, 7, 14, holdout] : [1, 2, 4, holdout]);
    const model = trained === undefined ? undefined : m === 'lstm' ? trained.trained.conformal?.lstm : m === shipped ? trained.trained.conformal?.shipped : undefined;
    const rho = model?.errorCorrelation;
    console.log(
      `${m} error correlation within a cutoff: ${f(sums.rho)}${rho === undefined ? '' : ` (the model's, from its validation origins: ${f(rho)})`}; ` +
        `spread of k-period error sums over independent periods: ${sums.ratios.map((r) => `k=${r.k} ${f(r.ratio, 2)}${rho === undefined ? '' : ` (model ${f(sumSpreadFactor(r.k, rho), 2)})`}`).join(', ')}`,
    );
  }
  // Sensitivity of the combination to its weight (pooled over cutoffs, diagnostic: the weight is fixed).
  const lstmAt = results.map((r) => r.models.find((m) => m.name === 'lstm')?.forecasts);
  const prAt = results.map((r) => r.models.find((m) => m.name === 'promo_regression')?.forecasts);
  if (lstmAt.every((x) => x !== undefined) && prAt.every((x) => x !== undefined)) {
    const curve = [0, 0.25, 0.4, 0.5, 0.6, 0.75, 1].map((w) => {
      const mixed = results.map((r, k) => ({
        ...r,
        models: [{ name: 'mix', forecasts: new Map([...lstmAt[k]!].map(([sku, fc]) => [sku, fc.model === 'lstm' ? combineForecasts(fc, prAt[k]!.get(sku)!, w, 'mix') : fc])) }],
      }));
      return `w=${w}: ${scoreRollingOrigin(mixed, seasonPeriods(data.freq), [80]).pooled.get('mix')!.wape.toFixed(4)}`;
    });
    console.log(`combination WAPE by LSTM weight: ${curve.join(', ')}`);
    const run = (r: (typeof results)[number]) => r.models.find((m) => m.name === shipped);
    const models = new Set(results.flatMap((r) => [...(run(r)?.forecasts.values() ?? [])].map((x) => x.model)));
    console.log(`${shipped} rows produced by: ${[...models].sort().join(', ')}`);
  }
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-');

/** Each (cutoff, SKU) of `model`'s forecasts with the holdout's actuals. */
function eachHoldout(results: Awaited<ReturnType<typeof rollingOrigin>>, model: string, fn: (actual: ArrayLike<number>, fc: SeriesForecast) => void): void {
  for (const r of results) {
    const run = r.models.find((x) => x.name === model);
    if (run === undefined) continue;
    for (const [sku, actual] of r.split.actual) {
      const fc = run.forecasts.get(sku);
      if (fc !== undefined) fn(actual, fc);
    }
  }
}

/**
 * How correlated a model's errors are over each (SKU, cutoff) window of the holdout, standardised
 * as stock simulate reads the forecast (models/error-correlation.ts): the equicorrelation, and for
 * each k the root mean square of (sum of k consecutive z) / sqrt(k) over the windows' first k
 * periods (1 when the periods are independent and calibrated; what stock simulate's widening
 * sqrt(1 + (k - 1) rho) should match).
 */
function errorSums(results: Awaited<ReturnType<typeof rollingOrigin>>, model: string, ks: number[]): { rho: number; ratios: { k: number; ratio: number }[] } {
  const windows: number[][] = [];
  eachHoldout(results, model, (actual, fc) => {
    const z: number[] = [];
    for (let h = 0; h < Math.min(actual.length, fc.mean.length); h++) {
      const e = Number.isFinite(actual[h]!) ? standardizedError(actual[h]!, fc.mean[h]!, fc.p10[h]!, fc.p90[h]!) : undefined;
      if (e === undefined) break;
      z.push(e);
    }
    windows.push(z);
  });
  const ratios = ks.map((k) => {
    let s2 = 0;
    let n = 0;
    for (const z of windows) {
      if (z.length < k) continue;
      let sum = 0;
      for (let i = 0; i < k; i++) sum += z[i]!;
      s2 += (sum * sum) / k;
      n++;
    }
    return { k, ratio: n > 0 ? Math.sqrt(s2 / n) : Number.NaN };
  });
  return { rho: equicorrelation(windows)?.rho ?? Number.NaN, ratios };
}

/** Share of the holdout actuals above each level's upper bound and below its lower bound, pooled over cutoffs. */
function tailsBySide(results: Awaited<ReturnType<typeof rollingOrigin>>, model: string, levels: number[]): { above: number; below: number }[] {
  const above = levels.map(() => 0);
  const below = levels.map(() => 0);
  let n = 0;
  eachHoldout(results, model, (actual, fc) => {
    const iv = levels.map((L) => intervalAt(fc, L));
    for (let h = 0; h < Math.min(actual.length, fc.mean.length); h++) {
      const y = actual[h]!;
      if (!Number.isFinite(y)) continue;
      n++;
      iv.forEach((b, k) => {
        if (y > b.hi[h]!) above[k]!++;
        if (y < b.lo[h]!) below[k]!++;
      });
    }
  });
  return levels.map((_, k) => ({ above: above[k]! / n, below: below[k]! / n }));
}

export async function bench(): Promise<void> {
  const backend = (env.FORECAST_BACKEND ?? 'wasm') as BackendChoice;
  const info = await initBackend(backend);
  console.log(`backend: ${info.detail}`);
  const which = new Set((env.FORECAST_BENCH ?? env.STOCKCAST_BENCH_ONLY ?? 'walmart,samples,grocery,grocery-hard,retail-daily').split(','));
  if (which.has('walmart')) {
    const w = prepareWalmart();
    if (w.path === undefined) console.log(`walmart: skipped (${w.reason})`);
    else {
      const { data } = await readSales(w.path, { ...ingest(env.FORECAST_COVARIATES === undefined ? WALMART_COVARIATES : env.FORECAST_COVARIATES.split(',').filter(Boolean)), freq: 'W' });
      await run('Walmart', data, 13);
    }
  }
  if (which.has('samples')) {
    const { data } = await readSales(join(REPO_ROOT, 'data/samples/sales.csv'), ingest(undefined));
    await run('samples', data, 28);
  }
  for (const [name, cfg] of [['grocery', GROCERY_CONFIG], ['grocery-hard', GROCERY_HARD]] as const) {
    if (!which.has(name)) continue;
    const seed = num(env.FORECAST_GROCERY_SEED) ?? cfg.seed;
    const { data } = await readSales(prepareGrocery({ ...cfg, seed }), { ...ingest(GROCERY_COVARIATES), freq: 'W' });
    await run(`${name} (synthetic, seed ${seed})`, data, 12);
  }
  if (which.has('retail-daily')) {
    const seed = num(env.FORECAST_GROCERY_SEED) ?? RETAIL_DAILY.seed;
    const days = num(env.FORECAST_RETAIL_DAYS) ?? RETAIL_DAILY.days;
    const { data } = await readSales(prepareRetailDaily(retailDailyOver(days, { ...RETAIL_DAILY, seed })), { ...ingest(RETAIL_DAILY_COVARIATES), freq: 'D' });
    await run(`retail-daily (synthetic, seed ${seed}, ${days} days)`, data, 28);
  }
}
