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
import { candidateLabel, subsets, weightings } from '../../src/models/combination-cv.js';
import type { SeriesForecast } from '../../src/models/forecaster.js';
import { splitHoldout, type Holdout } from '../../src/models/holdout.js';
import { DEFAULT_SETTINGS, LstmForecaster, type LstmSettings, Z90, shippedMembers, shippedName } from '../../src/models/lstm-forecaster.js';
import { COMBINE_CANDIDATES } from '../../src/models/lstm-settings.js';
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
  lstmOnly = await model.predict(split.history, split.origin, H, split.plan, 'lstm');
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
    expect(forecasts.get('SKU000')!.model).toBe(shippedName(model.trained));
    expect(lstmOnly.get('ZZ-new')!.model).toBe('moving_average');
    // Intermittent (2 demands in 4 observed periods, too few in the window for the LSTM): Croston/SBA/TSB.
    expect(forecasts.get('ZZ-slow')!.model).toBe('croston');
    expect(lstmOnly.get('ZZ-slow')!.model).toBe('croston');
    expect(lstmOnly.get('SKU000')!.model).toBe('lstm');
  });

  test('the shipped forecast is the weighted average of the members and weights chosen on the validation origins', async () => {
    const c = model.trained.combine;
    expect(c.model).toBe('auto');
    // every weighting of every subset of the candidates was scored, and the shipped one is among them
    expect(c.candidates).toHaveLength(subsets(COMBINE_CANDIDATES).reduce((a, s) => a + weightings(s).length, 0));
    expect(c.candidates!.every((x) => Number.isFinite(x.wape))).toBe(true);
    const members = shippedMembers(model.trained);
    const label = candidateLabel({ members: members.map((m) => m.model), weights: members.map((m) => m.weight) });
    const shipped = c.candidates!.find((x) => candidateLabel({ members: x.members, weights: x.weights! }) === label);
    expect(shipped).toBeDefined();
    if (c.chosenBy === 'default') {
      expect(members.map((m) => m.model)).toEqual(['lstm', 'promo_regression', 'arimax']);
      for (const m of members) expect(m.weight).toBeCloseTo(1 / 3, 12);
    } else expect(shipped!.wape).toBeLessThan(c.candidates!.find((x) => x.members.join('+') === 'lstm+promo_regression+arimax' && x.weights!.every((w) => Math.abs(w - 1 / 3) < 1e-6))!.wape);
    expect(members.reduce((a, m) => a + m.weight, 0)).toBeCloseTo(1, 9);
    expect(c.weight).toBe(members.find((m) => m.model === 'lstm')?.weight ?? 0);
    // The point forecast is the weighted mean of the members' points (calibration keeps points).
    const own = new Map<string, Map<string, SeriesForecast>>();
    for (const m of members) {
      if (m.model === 'lstm') own.set('lstm', lstmOnly);
      else {
        const b = BASELINES[m.model as 'promo_regression']();
        await b.fit(split.history);
        own.set(m.model, await b.predict(split.history, split.origin, H, split.plan));
      }
    }
    let checked = 0;
    for (const [sku, f] of forecasts) {
      if (f.model !== shippedName(model.trained)) continue;
      for (let h = 0; h < H; h++) {
        expect(f.mean[h]).toBeCloseTo(members.reduce((a, m) => a + m.weight * own.get(m.model)!.get(sku)!.mean[h]!, 0), 9);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
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
    expect(meta.calibration).toEqual(new Array(H).fill(1));
    // one validation window per SKU with history before the validation periods (not ZZ-new; ZZ-slow has one)
    expect(meta.validation.windows).toBe(31);
    expect(meta.validation.coverage).toBeGreaterThan(0.6);
    // conformal factors per level and step, for the shipped forecast and the LSTM alone
    for (const cal of [meta.conformal!.shipped!, meta.conformal!.lstm!]) {
      expect(cal.levels).toEqual([50, 80, 90, 95, 98]);
      for (const f of cal.factors) expect(f).toHaveLength(H);
      for (let h = 0; h < H; h++) for (let l = 1; l < cal.levels.length; l++) expect(cal.factors[l]![h]).toBeGreaterThanOrEqual(cal.factors[l - 1]![h]!);
    }
    expect(meta.combine.origins).toHaveLength(4);
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

  test('a metadata.json whose covariate list was edited is refused, not fed to the network as other columns', async () => {
    const { meta } = await model.save({ dataHash: 'x', backend: 'wasm' });
    expect(meta.covariates.length).toBeGreaterThan(1);
    const edited = parseModelMeta(JSON.stringify({ ...meta, covariates: meta.covariates.slice(1) }));
    expect(edited.meta).toBeUndefined();
    expect(edited.problems.join('\n')).toMatch(/covariates .* disagree with the feature spec's/);
    const reordered = parseModelMeta(JSON.stringify({ ...meta, covariates: [...meta.covariates].reverse() }));
    expect(reordered.problems).not.toEqual([]);
  });

  test('the calibration has a width per kind of period (promotions are events), and malformed kinds are refused', async () => {
    const { meta } = await model.save({ dataHash: 'x', backend: 'wasm' });
    const cal = meta.conformal!.shipped!;
    expect(cal.kinds!.ratios).toHaveLength(2);
    expect(cal.kinds!.scores.every((n) => n > 0)).toBe(true);
    const withCal = (c: object) => JSON.stringify({ ...meta, conformal: { shipped: c } });
    expect(parseModelMeta(withCal(cal)).problems).toEqual([]);
    expect(parseModelMeta(withCal({ ...cal, kinds: { ...cal.kinds, ratios: [[1], [1]] } })).problems).not.toEqual([]);
    expect(parseModelMeta(withCal({ ...cal, kinds: { ratios: cal.kinds!.ratios } })).problems).not.toEqual([]);
  });

  test('the calibrations carry the correlation of their errors within a window, between 0 and 1; out of range is refused', async () => {
    const { meta } = await model.save({ dataHash: 'x', backend: 'wasm' });
    for (const cal of [meta.conformal!.shipped!, meta.conformal!.lstm!]) {
      expect(cal.errorCorrelation).toBeGreaterThanOrEqual(0);
      expect(cal.errorCorrelation).toBeLessThanOrEqual(1);
    }
    const withCal = (c: object) => JSON.stringify({ ...meta, conformal: { ...meta.conformal, shipped: c } });
    const cal = meta.conformal!.shipped!;
    expect(parseModelMeta(withCal({ ...cal, errorCorrelation: 1.2 })).problems).not.toEqual([]);
    expect(parseModelMeta(withCal({ ...cal, errorCorrelation: -0.1 })).problems).not.toEqual([]);
    expect(parseModelMeta(withCal({ ...cal, errorCorrelation: '0.1' })).problems).not.toEqual([]);
    const { errorCorrelation: _c, ...without } = cal;
    expect(parseModelMeta(withCal(without)).problems).toEqual([]);
  });

  test('each side of the interval has its own factors; a model without them (symmetric) still loads, a malformed upper side is refused', async () => {
    const { files, meta } = await model.save({ dataHash: 'x', backend: 'wasm' });
    const cal = meta.conformal!.shipped!;
    expect(cal.upper).toHaveLength(cal.levels.length);
    expect(cal.upper!.every((f) => f.length === H)).toBe(true);
    const withCal = (c: object) => JSON.stringify({ ...meta, conformal: { ...meta.conformal, shipped: c } });
    expect(parseModelMeta(withCal({ ...cal, upper: cal.upper!.slice(1) })).problems).not.toEqual([]);
    expect(parseModelMeta(withCal({ ...cal, upper: cal.upper!.map((f) => f.slice(1)) })).problems).not.toEqual([]);
    expect(parseModelMeta(withCal({ ...cal, upper: cal.upper!.map((f) => f.map(() => -1)) })).problems).not.toEqual([]);
    // Symmetric (as stored before per-side factors): the lower factors serve both sides.
    const { upper: _upper, ...symmetric } = cal;
    const parsed = parseModelMeta(withCal({ ...symmetric, factors: cal.upper }));
    expect(parsed.problems).toEqual([]);
    const loaded = await LstmForecaster.load(engine, parsed.meta!, files);
    const sym = await loaded.predict(split.history, split.origin, H, split.plan);
    const parsedSides = parseModelMeta(withCal({ ...cal, factors: cal.upper }));
    const loadedSides = await LstmForecaster.load(engine, parsedSides.meta!, files);
    const sides = await loadedSides.predict(split.history, split.origin, H, split.plan);
    for (const [sku, f] of sides) expect(Array.from(sym.get(sku)!.p10)).toEqual(Array.from(f.p10));
    for (const [sku, f] of sides) expect(Array.from(sym.get(sku)!.p90)).toEqual(Array.from(f.p90));
    loaded.dispose();
    loadedSides.dispose();
  });

  test('a format 2 model still loads and ships its fixed 50/50 LSTM + promo_regression combination', async () => {
    const { files, meta } = await model.save({ dataHash: 'x', backend: 'wasm' });
    const v2 = { ...meta, formatVersion: 2, combine: { model: 'promo_regression', weight: 0.5 }, calibration: new Array(H).fill(1.5) } as Record<string, unknown>;
    delete v2.conformal;
    const parsed = parseModelMeta(JSON.stringify(v2));
    expect(parsed.problems).toEqual([]);
    const old = await LstmForecaster.load(engine, parsed.meta!, files);
    const shipped = await old.predict(split.history, split.origin, H, split.plan);
    const alone = await old.predict(split.history, split.origin, H, split.plan, 'lstm');
    const pr = BASELINES.promo_regression();
    await pr.fit(split.history);
    const reg = await pr.predict(split.history, split.origin, H, split.plan);
    const f = shipped.get('SKU000')!;
    expect(f.model).toBe('lstm+promo_regression');
    expect(f.intervals).toBeUndefined();
    for (let h = 0; h < H; h++) expect(f.mean[h]).toBeCloseTo(0.5 * alone.get('SKU000')!.mean[h]! + 0.5 * reg.get('SKU000')!.mean[h]!, 9);
    // the saved spread factors widen the LSTM's own interval (no conformal calibration in format 2)
    const a = alone.get('SKU000')!;
    const b = lstmOnly.get('SKU000')!;
    expect(a.p90[0]! - a.p10[0]!).not.toBeCloseTo(b.p90[0]! - b.p10[0]!, 6);
    expect(parseModelMeta(JSON.stringify({ ...v2, formatVersion: 1 })).problems[0]).toMatch(/versions 2 and 3/);
    old.dispose();
  });

  test('a model saved with feature version 1 (one scale per SKU) still loads and forecasts with it; an unknown version is refused', async () => {
    const { files, meta } = await model.save({ dataHash: 'x', backend: 'wasm' });
    const withVersion = (version: number) => parseModelMeta(JSON.stringify({ ...meta, features: { ...meta.features, version } }));
    const parsed = withVersion(1);
    expect(parsed.problems).toEqual([]);
    const old = await LstmForecaster.load(engine, parsed.meta!, files);
    // From an origin 8 weeks before the end of the training history: version 1 scales the window
    // with the SKU's scale of the whole history, version 2 with the season up to that origin.
    const early = split.origin - 8 * 7;
    const v1 = await old.predict(split.history, early, H, new Map(), 'lstm');
    const again = await old.predict(split.history, early, H, new Map(), 'lstm');
    const v2 = await model.predict(split.history, early, H, new Map(), 'lstm');
    let differ = 0;
    for (const [sku, f] of v1) {
      expect(Array.from(again.get(sku)!.mean)).toEqual(Array.from(f.mean));
      if (f.mean.some((v, h) => Math.abs(v - v2.get(sku)!.mean[h]!) > 1e-6 * (1 + v))) differ++;
    }
    expect(differ).toBeGreaterThan(v1.size / 2);
    old.dispose();
    expect(withVersion(3).problems).toEqual([]);
    expect(withVersion(4).problems[0]).toMatch(/feature version 4 is not supported .*versions 1, 2 and 3\); retrain the model/);
  });

  test('the same seed gives identical forecasts, another seed different ones', async () => {
    const tiny = { ...small, epochs: 2, samplesPerEpoch: 256 };
    const run = async (seed: number) => {
      const m = new LstmForecaster(engine, { ...tiny, seed });
      await m.fit(split.history);
      const f = await m.predict(split.history, split.origin, H, split.plan, 'lstm');
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
    const read = await readModelDir(dir, parseModelMeta);
    const loaded = await LstmForecaster.load(engine, read.meta, read.files);
    const after = await loaded.predict(split.history, split.origin, H, split.plan);
    loaded.dispose();
    expect(Array.from(after.get('SKU002')!.mean)).toEqual(Array.from(before.get('SKU002')!.mean));
    expect(read.meta.training.members).toBe(2);
  });
});
