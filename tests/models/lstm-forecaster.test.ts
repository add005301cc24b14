/**
 * The LSTM forecaster on seeded synthetic weekly data with promotions and seasonality (training
 * tests: small configuration, a few seconds each).
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { readModelDir, writeModelDir } from '../../src/io/model-dir.js';
import { initBackend } from '../../src/models/backend.js';
import { BASELINES } from '../../src/models/baselines/index.js';
import type { SeriesForecast } from '../../src/models/forecaster.js';
import { splitHoldout, type Holdout } from '../../src/models/holdout.js';
import { COMBINE_WEIGHT, DEFAULT_SETTINGS, LstmForecaster, type LstmSettings, Z90 } from '../../src/models/lstm-forecaster.js';
import { loadNetwork, trainNetwork } from '../../src/models/lstm/index.js';
import { scoreForecasts } from '../../src/models/metrics.js';
import { parseModelMeta } from '../../src/models/model-meta.js';
import type { SalesData } from '../../src/core/types.js';
import { syntheticSales } from '../fixtures/forecast/synthetic.js';

const engine = { train: trainNetwork, load: loadNetwork };
const H = 8;
const small: LstmSettings = { ...DEFAULT_SETTINGS, horizon: H, window: 16, units: 32, epochs: 8, samplesPerEpoch: 1024, batchSize: 128, learningRate: 0.01, seed: 7, members: 1 };

function withShortSku(data: SalesData): SalesData {
  const n = data.series[0]!.units.length;
  const units = new Float64Array(n).fill(Number.NaN);
  units.set([5, 6, 7, 5, 6, 4, 5, 6, 5, 7, 6], n - 11);
  const cov = data.covariates.map((_, k) => Float64Array.from(data.series[0]!.covariates[k]!));
  const observed = Uint8Array.from(units, (u) => (Number.isNaN(u) ? 0 : 1));
  // An intermittent slow mover: 4 observed periods, 2 with demand, 3 of them in the last window before the holdout.
  const slow = new Float64Array(n).fill(Number.NaN);
  slow[n - H - 30] = 0;
  slow[n - H - 15] = 3;
  slow[n - H - 7] = 0;
  slow[n - H - 1] = 2;
  const slowObserved = Uint8Array.from(slow, (u) => (Number.isNaN(u) ? 0 : 1));
  return {
    ...data,
    series: [
      ...data.series,
      { sku: 'ZZ-new', start: data.series[0]!.start, units, covariates: cov, observed },
      { sku: 'ZZ-slow', start: data.series[0]!.start, units: slow, covariates: cov.map((c) => Float64Array.from(c)), observed: slowObserved },
    ],
  };
}

let split: Holdout;
let model: LstmForecaster;
let forecasts: Map<string, SeriesForecast>;
let lstmOnly: Map<string, SeriesForecast>;

beforeAll(async () => {
  await initBackend('wasm');
  split = splitHoldout(withShortSku(syntheticSales({ freq: 'W', skus: 30, periods: 156, seed: 3 })), H);
  model = new LstmForecaster(engine, small);
  await model.fit(split.history);
  forecasts = await model.predict(split.history, split.origin, H, split.plan);
  lstmOnly = await model.predict(split.history, split.origin, H, split.plan, 'none');
});

describe('LstmForecaster', () => {
  test('beats seasonal naive on holdout WAPE by at least 15%', async () => {
    const sn = BASELINES.seasonal_naive();
    await sn.fit(split.history);
    const snf = await sn.predict(split.history, split.origin, H, split.plan);
    const insample = new Map(split.history.series.map((s) => [s.sku, s.units]));
    const lstm = scoreForecasts(split.actual, lstmOnly, insample, 52).overall.wape;
    const naive = scoreForecasts(split.actual, snf, insample, 52).overall.wape;
    expect(lstm).toBeLessThan(0.85 * naive);
  });

  test('quantiles are ordered, non-negative, and sd is the normal sd of the p10..p90 interval', () => {
    for (const f of [...forecasts.values(), ...lstmOnly.values()]) {
      for (let h = 0; h < H; h++) {
        expect(f.p10[h]).toBeGreaterThanOrEqual(0);
        expect(f.p10[h]).toBeLessThanOrEqual(f.mean[h]!);
        expect(f.mean[h]).toBeLessThanOrEqual(f.p90[h]!);
        if (f.model.startsWith('lstm')) expect(f.sd[h]).toBeCloseTo((f.p90[h]! - f.p10[h]!) / (2 * Z90), 9);
      }
    }
  });

  test('a SKU with too little history gets the documented fallback model', () => {
    expect(model.trained.minObserved).toBe(4);
    // 3 observed periods left after the holdout: fewer than minObserved -> moving_average (C3's rule)
    expect(forecasts.get('ZZ-new')!.model).toBe('moving_average');
    expect(forecasts.get('SKU000')!.model).toBe('lstm+promo_regression');
    expect(lstmOnly.get('ZZ-new')!.model).toBe('moving_average');
    // Intermittent (2 demands in 4 observed periods, too few in the window for the LSTM): Croston/SBA/TSB.
    expect(forecasts.get('ZZ-slow')!.model).toBe('croston');
    expect(lstmOnly.get('ZZ-slow')!.model).toBe('croston');
    expect(lstmOnly.get('SKU000')!.model).toBe('lstm');
  });

  test('the default forecast is the documented average of the LSTM and promo_regression', async () => {
    expect(model.trained.combine).toEqual({ model: 'promo_regression', weight: 0.5 });
    const pr = BASELINES.promo_regression();
    await pr.fit(split.history);
    const reg = await pr.predict(split.history, split.origin, H, split.plan);
    let differs = 0;
    for (const [sku, f] of forecasts) {
      if (f.model !== 'lstm+promo_regression') continue;
      const a = lstmOnly.get(sku)!;
      const b = reg.get(sku)!;
      for (let h = 0; h < H; h++) {
        expect(f.mean[h]).toBeCloseTo(COMBINE_WEIGHT * a.mean[h]! + (1 - COMBINE_WEIGHT) * b.mean[h]!, 9);
        expect(f.p10[h]).toBeCloseTo(Math.min(f.mean[h]!, COMBINE_WEIGHT * a.p10[h]! + (1 - COMBINE_WEIGHT) * b.p10[h]!), 9);
        expect(f.p90[h]).toBeCloseTo(Math.max(f.mean[h]!, COMBINE_WEIGHT * a.p90[h]! + (1 - COMBINE_WEIGHT) * b.p90[h]!), 9);
        if (Math.abs(f.mean[h]! - a.mean[h]!) > 1e-6) differs++;
      }
    }
    expect(differs).toBeGreaterThan(0);
  });

  test('a model trained with combine none ships the LSTM alone', async () => {
    const m = new LstmForecaster(engine, { ...small, epochs: 1, samplesPerEpoch: 256, combine: 'none' });
    await m.fit(split.history);
    expect(m.trained.combine.model).toBe('none');
    const f = await m.predict(split.history, split.origin, H, split.plan);
    m.dispose();
    expect(f.get('SKU000')!.model).toBe('lstm');
  });

  test('calibration and validation results are recorded in the metadata', () => {
    const meta = model.trained;
    expect(meta.calibration).toHaveLength(H);
    // one validation window per SKU with history before the validation periods (not ZZ-new; ZZ-slow has one)
    expect(meta.validation.windows).toBe(31);
    expect(meta.validation.coverage).toBeGreaterThan(0.6);
    expect(meta.validationSd.SKU000).toHaveLength(H);
    expect(meta.skus.map((s) => s.sku)).toContain('ZZ-new');
  });

  test('save -> load predicts identically', async () => {
    const { files, meta } = await model.save({ dataHash: 'x', backend: 'wasm' });
    const parsed = parseModelMeta(JSON.stringify(meta));
    expect(parsed.problems).toEqual([]);
    const loaded = await LstmForecaster.load(engine, parsed.meta!, files);
    const again = await loaded.predict(split.history, split.origin, H, split.plan);
    for (const [sku, f] of forecasts) {
      const g = again.get(sku)!;
      expect(g.model).toBe(f.model);
      expect(Array.from(g.mean)).toEqual(Array.from(f.mean));
      expect(Array.from(g.p90)).toEqual(Array.from(f.p90));
    }
    loaded.dispose();
  });

  test('the same seed gives identical forecasts, another seed different ones', async () => {
    const tiny = { ...small, epochs: 2, samplesPerEpoch: 256 };
    const run = async (seed: number) => {
      const m = new LstmForecaster(engine, { ...tiny, seed });
      await m.fit(split.history);
      const f = await m.predict(split.history, split.origin, H, split.plan);
      m.dispose();
      return Array.from(f.get('SKU001')!.mean);
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  test('an ensemble of two networks saves, loads and predicts identically through the model directory', async () => {
    const m = new LstmForecaster(engine, { ...small, epochs: 1, samplesPerEpoch: 256, members: 2 });
    await m.fit(split.history);
    const before = await m.predict(split.history, split.origin, H, split.plan);
    const { files, meta } = await m.save({ dataHash: 'x', backend: 'wasm' });
    m.dispose();
    expect(files).toHaveLength(2);
    const dir = join(mkdtempSync(join(tmpdir(), 'ens-')), 'model');
    await writeModelDir(dir, files, meta);
    expect(readdirSync(dir).sort()).toEqual(['metadata.json', 'model-1.json', 'model.json', 'weights-1.bin', 'weights.bin']);
    expect(JSON.parse(readFileSync(join(dir, 'model-1.json'), 'utf8')).weightsManifest[0].paths).toEqual(['weights-1.bin']);
    const read = await readModelDir(dir);
    const loaded = await LstmForecaster.load(engine, read.meta, read.files);
    const after = await loaded.predict(split.history, split.origin, H, split.plan);
    loaded.dispose();
    expect(Array.from(after.get('SKU002')!.mean)).toEqual(Array.from(before.get('SKU002')!.mean));
    expect(read.meta.training.members).toBe(2);
  });
});
