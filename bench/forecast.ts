/**
 * Forecast accuracy and training speed: the LSTM (default settings, wasm backend) against every
 * baseline on a holdout, on the real Walmart data (last 13 weeks; covariates holiday + markdown1..5)
 * and on the bundled samples (last 28 days). Prints training time, samples/s and the scores.
 *
 * Environment (for experiments): FORECAST_BENCH=walmart|samples (default both), FORECAST_BACKEND,
 * FORECAST_EPOCHS, FORECAST_SPE (samples per epoch), FORECAST_UNITS, FORECAST_WINDOW, FORECAST_SEED.
 */
import { uptime, loadavg } from 'node:os';
import { join } from 'node:path';
import { readSales } from '../src/io/sales.js';
import type { BackendChoice } from '../src/models/backend.js';
import { initBackend } from '../src/models/backend.js';
import { BASELINES, BASELINE_NAMES, seasonLength } from '../src/models/baselines/index.js';
import type { SeriesForecast } from '../src/models/forecaster.js';
import { splitHoldout } from '../src/models/holdout.js';
import { DEFAULT_SETTINGS, LstmForecaster, combineForecasts } from '../src/models/lstm-forecaster.js';
import { loadNetwork, trainNetwork } from '../src/models/lstm/index.js';
import { scoreForecasts } from '../src/models/metrics.js';
import type { IngestOptions, SalesData } from '../src/types.js';
import { REPO_ROOT, WALMART_COVARIATES, prepareWalmart } from './walmart.js';

const env = process.env;
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

function ingest(covariates: string[] | undefined): IngestOptions {
  return { dateCol: 'date', skuCol: 'sku', targetCol: 'units', covariates, delimiter: ',', dateFormat: 'YYYY-MM-DD', fill: 'missing', negative: 'zero' };
}

async function run(label: string, data: SalesData, holdout: number): Promise<void> {
  const split = splitHoldout(data, holdout);
  console.log(`\n### ${label}: ${split.history.series.length} series (${data.freq}), holdout ${holdout}, covariates ${data.covariates.join(', ')}`);
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (uptime ${Math.round(uptime())}s)`);
  const results: { name: string; seconds: number; forecasts: Map<string, SeriesForecast> }[] = [];
  const t0 = performance.now();
  let epochs = 0;
  const lstm = new LstmForecaster(
    { train: trainNetwork, load: loadNetwork },
    {
      ...DEFAULT_SETTINGS,
      horizon: holdout,
      seed: num(env.FORECAST_SEED) ?? 42,
      epochs: num(env.FORECAST_EPOCHS) ?? DEFAULT_SETTINGS.epochs,
      samplesPerEpoch: num(env.FORECAST_SPE),
      units: num(env.FORECAST_UNITS) ?? DEFAULT_SETTINGS.units,
      window: num(env.FORECAST_WINDOW),
      learningRate: num(env.FORECAST_LR) ?? DEFAULT_SETTINGS.learningRate,
      batchSize: num(env.FORECAST_BATCH) ?? DEFAULT_SETTINGS.batchSize,
      members: num(env.FORECAST_MEMBERS) ?? DEFAULT_SETTINGS.members,
      refit: env.FORECAST_REFIT === '1',
      point: env.FORECAST_POINT === 'mean' ? 'mean' : undefined,
      onEpoch: (e) => {
        epochs += 1;
        if (env.FORECAST_VERBOSE) console.log(`  epoch ${e.epoch} loss ${e.loss.toFixed(4)} val ${e.valLoss.toFixed(4)} ${Math.round(e.samplesPerSecond)}/s`);
      },
    },
  );
  await lstm.fit(split.history);
  const trainSeconds = (performance.now() - t0) / 1000;
  const v = lstm.trained.validation;
  const t1 = performance.now();
  results.push({ name: 'lstm', seconds: trainSeconds, forecasts: await lstm.predict(split.history, split.origin, holdout, split.plan, 'none') });
  const predictSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  const combined = await lstm.predict(split.history, split.origin, holdout, split.plan, 'promo_regression');
  results.push({ name: 'lstm+promo_regression', seconds: trainSeconds + (performance.now() - t2) / 1000, forecasts: combined });
  lstm.dispose();
  console.log(
    `lstm: trained ${epochs} epochs over ${lstm.trained.training.members} member(s) (best of the first: ${v.bestEpoch}) in ${trainSeconds.toFixed(1)}s, ${Math.round(v.samplesPerSecond)} samples/s, ` +
      `predict ${predictSeconds.toFixed(1)}s; neutralized [${v.neutralized.join(", ")}]; validation WAPE ${v.wape.toFixed(3)}, coverage ${v.coverageRaw.toFixed(2)} -> ${v.coverage.toFixed(2)}`,
  );
  for (const name of BASELINE_NAMES) {
    const t = performance.now();
    const m = BASELINES[name]();
    await m.fit(split.history);
    const forecasts = await m.predict(split.history, split.origin, holdout, split.plan);
    results.push({ name, seconds: (performance.now() - t) / 1000, forecasts });
  }
  const insample = new Map(split.history.series.map((s) => [s.sku, s.units]));
  console.log('| model | WAPE | accuracy | MAE | RMSE | MASE | bias | p10-p90 coverage | seconds |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const s = scoreForecasts(split.actual, r.forecasts, insample, seasonLength(data.freq)).overall;
    const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');
    console.log(`| ${r.name} | ${f(s.wape)} | ${f(s.accuracy)} | ${f(s.mae, 1)} | ${f(s.rmse, 1)} | ${f(s.mase)} | ${f(s.bias)} | ${f(s.coverage80, 2)} | ${r.seconds.toFixed(1)} |`);
  }
  // Sensitivity of the combination to its weight (holdout, diagnostic only: the weight is fixed).
  const pr = results.find((r) => r.name === 'promo_regression')!.forecasts;
  const curve = [0, 0.25, 0.4, 0.5, 0.6, 0.75, 1].map((w) => {
    const mixed = new Map([...results[0]!.forecasts].map(([sku, f]) => [sku, f.model === 'lstm' ? combineForecasts(f, pr.get(sku)!, w, 'mix') : f]));
    return `w=${w}: ${scoreForecasts(split.actual, mixed, insample, seasonLength(data.freq)).overall.wape.toFixed(4)}`;
  });
  console.log(`combination WAPE by LSTM weight: ${curve.join(', ')}`);
  for (const r of results.slice(0, 2)) {
    const models = new Set([...r.forecasts.values()].map((f) => f.model));
    console.log(`${r.name} rows produced by: ${[...models].sort().join(', ')}`);
  }
}

export async function bench(): Promise<void> {
  const backend = (env.FORECAST_BACKEND ?? 'wasm') as BackendChoice;
  const info = await initBackend(backend);
  console.log(`backend: ${info.detail}`);
  const which = env.FORECAST_BENCH;
  if (which === undefined || which === 'walmart') {
    const w = prepareWalmart();
    if (w.path === undefined) console.log(`walmart: skipped (${w.reason})`);
    else {
      const { data } = await readSales(w.path, { ...ingest(env.FORECAST_COVARIATES === undefined ? WALMART_COVARIATES : env.FORECAST_COVARIATES.split(',').filter(Boolean)), freq: 'W' });
      await run('Walmart', data, 13);
    }
  }
  if (which === undefined || which === 'samples') {
    const { data } = await readSales(join(REPO_ROOT, 'data/samples/sales.csv'), ingest(undefined));
    await run('samples', data, 28);
  }
}
