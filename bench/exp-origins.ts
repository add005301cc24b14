/**
 * Experiment (not part of `npm run bench`): forecasts of the LSTM and the promotion-aware baselines
 * at many origins around one training cut, dumped for offline analysis of combination weights and
 * interval calibration. The LSTM is trained once on the history up to c1 = end - 3H (the first
 * rolling-origin cutoff of the bench); origins before c1 - V are in-sample for its weights, those
 * in [c1 - V, c1) are its validation span, and c1, c1 + H, c1 + 2H are the bench's test cutoffs.
 * `lstm_raw` is the networks' own quantiles, `lstm` the LSTM alone as shipped (calibrated). The
 * figures in docs/forecasting.md were made before the conformal calibration, when `lstm` was the
 * per-step factors of format 2.
 *
 *   node dist/bench/exp-origins.js walmart|samples OUT.json
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSales } from '../src/io/sales.js';
import { initBackend } from '../src/models/backend.js';
import { BASELINES, type BaselineName } from '../src/models/baselines/index.js';
import { DEFAULT_SETTINGS, LstmForecaster } from '../src/models/lstm-forecaster.js';
import { loadNetwork, trainNetwork } from '../src/models/lstm/index.js';
import { splitAt } from '../src/models/holdout.js';
import { forecastOrigins } from '../src/models/origins.js';
import type { SalesData } from '../src/core/types.js';
import { REPO_ROOT, WALMART_COVARIATES, prepareWalmart } from './walmart.js';
import { formatDay } from '../src/core/calendar.js';

const env = process.env;
const [which = 'samples', out = '/tmp/exp.json'] = process.argv.slice(2);

async function main(): Promise<void> {
  await initBackend('wasm');
  let data: SalesData;
  let H: number;
  const ingest = (covariates?: string[]) => ({ dateCol: 'date', skuCol: 'sku', targetCol: 'units', covariates, delimiter: ',', dateFormat: 'YYYY-MM-DD' as const, fill: 'missing' as const, negative: 'zero' as const });
  if (which === 'walmart') {
    const p = prepareWalmart();
    if (p.path === undefined) throw new Error(p.reason);
    data = (await readSales(p.path, ingest(WALMART_COVARIATES))).data;
    H = 13;
  } else {
    data = (await readSales(join(REPO_ROOT, 'data/samples/sales.csv'), ingest())).data;
    H = 28;
  }
  const step = data.step;
  const end = forecastOrigins(data).common;
  const c1 = end - 3 * H * step;
  const V = H;
  const t0 = performance.now();
  const cut = splitAt(data, c1, 0).history;
  const model = new LstmForecaster({ train: trainNetwork, load: loadNetwork }, { ...DEFAULT_SETTINGS, horizon: H, seed: Number(env.SEED ?? 42), members: Number(env.MEMBERS ?? DEFAULT_SETTINGS.members) });
  await model.fit(cut);
  const v = model.trained.validation;
  console.log(`trained in ${((performance.now() - t0) / 1000).toFixed(0)}s: ${v.epochsRun} epochs (best ${v.bestEpoch}); validation WAPE ${v.wape.toFixed(3)} coverage ${v.coverageRaw.toFixed(2)} -> ${v.coverage.toFixed(2)}`);
  // The same networks with no calibration at all: the raw quantiles.
  const saved = await model.save({ dataHash: '', backend: 'wasm' });
  const raw = await LstmForecaster.load({ train: trainNetwork, load: loadNetwork }, { ...saved.meta, conformal: undefined }, saved.files);
  // Origins: in-sample every H/2 periods over the year before the validation span, the validation
  // span at thirds, and the test cutoffs.
  const yearPeriods = Math.round(364 / step);
  const origins: { day: number; kind: string }[] = [];
  const half = Math.max(1, Math.floor(H / 2));
  for (let o = c1 - V * step - yearPeriods * step; o < c1 - V * step; o += half * step) origins.push({ day: o, kind: 'insample' });
  for (let j = 0; j < 3; j++) origins.push({ day: c1 - V * step + Math.floor((j * V) / 3) * step, kind: 'valid' });
  for (let j = 0; j < 3; j++) origins.push({ day: c1 + j * H * step, kind: 'test' });
  const names = (env.MODELS?.split(',') ?? ['promo_regression', 'arimax', 'ets']) as BaselineName[];
  const dump: unknown[] = [];
  for (const o of origins) {
    const split = splitAt(data, o.day, H);
    const rec: Record<string, unknown> = { day: o.day, date: formatDay(o.day), kind: o.kind, skus: [...split.actual.keys()] };
    rec.actual = [...split.actual.values()].map((a) => Array.from(a, (x) => (Number.isFinite(x) ? +x.toFixed(3) : null)));
    const pack = (m: Map<string, { mean: Float64Array; p10: Float64Array; p90: Float64Array; model: string }>) =>
      (rec.skus as string[]).map((sku) => {
        const f = m.get(sku);
        if (f === undefined) return null;
        const r = (a: Float64Array) => Array.from(a, (x) => +x.toFixed(3));
        return { m: r(f.mean), lo: r(f.p10), hi: r(f.p90), by: f.model };
      });
    const t = performance.now();
    rec.lstm_raw = pack(await raw.predict(split.history, o.day, H, split.plan, 'lstm'));
    rec.lstm = pack(await model.predict(split.history, o.day, H, split.plan, 'lstm'));
    const times: string[] = [`lstm ${((performance.now() - t) / 1000).toFixed(1)}s`];
    for (const n of names) {
      const t1 = performance.now();
      const b = BASELINES[n]();
      await b.fit(split.history);
      rec[n] = pack(await b.predict(split.history, o.day, H, split.plan));
      times.push(`${n} ${((performance.now() - t1) / 1000).toFixed(1)}s`);
    }
    console.log(`${o.kind} ${formatDay(o.day)}: ${times.join(', ')}`);
    dump.push(rec);
  }
  writeFileSync(out, JSON.stringify({ which, H, step, c1, origins: dump }));
  model.dispose();
  raw.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
