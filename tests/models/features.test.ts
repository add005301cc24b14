import { describe, expect, test } from 'vitest';
import { easterFlag, weekday } from '../../src/core/calendar.js';
import { fitEffects } from '../../src/models/effects.js';
import { buildFeatureSpec, calendarSize, prepareSeries, type FeatureSpec } from '../../src/models/features.js';
import { fitData, inertCovariates, refreshStats } from '../../src/models/lstm-fit-data.js';
import { DEFAULT_SETTINGS } from '../../src/models/lstm-settings.js';
import { fitCovariateTransforms, fromScaled, seriesScale, skuStats, toScaled, transformCovariate } from '../../src/models/scaling.js';
import { WindowSet, enumerateWindows } from '../../src/models/windows.js';
import { makeSalesData } from '../../src/sales-data.js';
import type { SalesData } from '../../src/core/types.js';

function weekly(units: number[][], cov?: (i: number, t: number) => number[]): SalesData {
  return makeSalesData(
    'W',
    ['price', 'promo', 'markdown'],
    units.map((u, i) => ({
      sku: `S${i}`,
      start: '2022-01-03',
      units: u,
      covariates: [0, 1, 2].map((k) => u.map((_, t) => (cov ? cov(i, t)[k]! : [10, 0, 0][k]!))),
    })),
  );
}

function setup(data: SalesData, window: number, horizon: number) {
  const tr = fitCovariateTransforms(data);
  const stats = data.series.map((s) => skuStats(s, tr, data.step));
  const spec = buildFeatureSpec(data, tr, stats, window, horizon, fitEffects(data, tr, stats));
  const prepared = data.series.map((s, i) => prepareSeries(spec, s, stats[i]!, s.units.length));
  return { spec, stats, prepared };
}

describe('scaling', () => {
  test('scale is the mean of recent non-zero observed units, 1 when there are none', () => {
    expect(seriesScale(Float64Array.from([100, 100, 0, 4, Number.NaN, 8]), 4)).toBe(6);
    expect(seriesScale(Float64Array.from([5, 0, 0]), 2)).toBe(5);
    expect(seriesScale(Float64Array.from([0, Number.NaN]), 2)).toBe(1);
  });

  test('toScaled and fromScaled are inverse and monotone', () => {
    for (const u of [0, 0.5, 3, 17, 1234, -4]) expect(fromScaled(toScaled(u, 7), 7)).toBeCloseTo(u, 9);
    expect(toScaled(10, 5)).toBeLessThan(toScaled(11, 5));
  });

  test('covariate kinds: 0/1 flags, price as log ratio to the usual price, other numbers standardized asinh', () => {
    const data = weekly([[1, 2, 3, 4]], (_, t) => [t === 1 ? 5 : 10, t % 2, [0, 1000, 50000, 0][t]!]);
    const tr = fitCovariateTransforms(data);
    expect(tr.map((t) => t.kind)).toEqual(['price', 'flag', 'numeric']);
    const stats = skuStats(data.series[0]!, tr, 7);
    expect(stats.usual[0]).toBe(10);
    expect(transformCovariate(tr[0]!, 5, 10)).toBeCloseTo(Math.log(0.5), 12);
    expect(transformCovariate(tr[1]!, 1, null)).toBe(1);
    expect(transformCovariate(tr[0]!, Number.NaN, 10)).toBe(0);
    const z = [0, 1000, 50000, 0].map((x) => transformCovariate(tr[2]!, x, null));
    expect(z.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
  });
});

describe('features and windows', () => {
  const units = Array.from({ length: 80 }, (_, t) => 10 + (t % 5));
  units[70] = Number.NaN;
  const data = weekly([units, units.slice(0, 30)]);

  test('calendar: day-of-week one-hot for daily data only', () => {
    expect(calendarSize('D') - calendarSize('W')).toBe(7);
    const d = makeSalesData('D', [], [{ sku: 'a', start: '2024-01-01', units: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }]);
    const { spec, prepared } = setup(d, 4, 2);
    const p = prepared[0]!;
    for (let i = 0; i < 10; i++) {
      const row = Array.from(p.cal.subarray(i * spec.calendar, i * spec.calendar + 7));
      expect(row.indexOf(1)).toBe(weekday(p.start + i));
      expect(row.reduce((a, b) => a + b, 0)).toBe(1);
    }
  });

  test('version 3: the calendar ends with the Easter flag, under the version the spec was saved with', () => {
    const { spec, prepared } = setup(data, 8, 4);
    expect(spec.version).toBe(3);
    expect(spec.calendar).toBe(calendarSize('W', 2) + 1);
    const p = prepared[0]!;
    const flags = Array.from({ length: p.length }, (_, i) => p.cal[(i + 1) * spec.calendar - 1]!);
    expect(flags).toEqual(Array.from({ length: p.length }, (_, i) => easterFlag(p.start + 7 * i, 7)));
    // weeks from 2022-01-03 (Mondays): Holy Saturday 16 April 2022 in the week of 11 April (index 14), 8 April 2023 in that of 3 April (65)
    expect(flags.flatMap((f, i) => (f === 1 ? [i] : []))).toEqual([14, 65]);
    // A version-2 model (saved before) keeps its calendar: no flag, the other features unchanged.
    const v2: FeatureSpec = { ...spec, version: 2, calendar: calendarSize('W', 2) };
    const old = prepareSeries(v2, data.series[0]!, setup(data, 8, 4).stats[0]!, p.length);
    for (let i = 0; i < p.length; i++) expect(Array.from(old.cal.subarray(i * v2.calendar, (i + 1) * v2.calendar))).toEqual(Array.from(p.cal.subarray(i * spec.calendar, i * spec.calendar + v2.calendar)));
  });

  test('a window holds scaled history, the observed flag, the seasonal lag and a mask for missing targets', () => {
    const { spec, prepared, stats } = setup(data, 8, 4);
    const ws = new WindowSet(spec, prepared, Int32Array.of(0, 66));
    const b = ws.batch([0]);
    // The window's scale: mean units of the season up to its origin (weeks 15-66), not the SKU's.
    const sc = units.slice(15, 67).reduce((x, u) => x + u, 0) / 52;
    expect(ws.scaleOf(0)).toBeCloseTo(sc, 12);
    expect(sc).not.toBeCloseTo(stats[0]!.scale, 3);
    const a = units.slice(59, 67).reduce((x, u) => x + toScaled(u, sc), 0) / 8;
    expect(ws.anchor(0)).toBeCloseTo(a, 6);
    expect(b.statics[3]).toBeCloseTo(a, 6);
    expect(b.statics[0]).toBeCloseTo((Math.log(sc) - spec.logScaleMean) / spec.logScaleSd, 6);
    expect(b.statics[1]).toBeCloseTo(Math.log1p(67) / 8, 6);
    expect(b.statics[2]).toBe(0);
    expect(b.past.length).toBe(8 * spec.pastFeatures);
    expect(b.future.length).toBe(4 * spec.futureFeatures);
    expect(b.past[7 * spec.pastFeatures]).toBeCloseTo(toScaled(units[66]!, sc) - a, 6);
    expect(b.past[7 * spec.pastFeatures + 1]).toBe(1);
    // targets 67..70; 70 is missing -> masked, zero
    const w = ws.weight(sc, a);
    expect(w).toBeCloseTo(spec.weightPower === 0 ? 1 : Math.min(5, Math.max(0.05, ((sc * Math.expm1(a)) / spec.weightReference) ** spec.weightPower)), 6);
    expect(Array.from(b.mask)).toEqual([w, w, w, 0].map(Math.fround));
    expect(b.target[3]).toBe(0);
    expect(b.target[0]).toBeCloseTo(toScaled(units[67]!, sc) - a, 6);
    // seasonal lag of target 67 is period 15
    const lagAt = spec.covariates.length + spec.calendar;
    expect(b.future[lagAt]).toBeCloseTo(toScaled(units[67 - 52]!, sc) - a, 6);
    expect(b.future[lagAt + 1]).toBe(1);
    expect(b.future[3 * spec.futureFeatures + lagAt + 3]).toBe(1);
  });

  test('windows longer than the history are left-padded with unobserved zeros', () => {
    const { spec, prepared } = setup(data, 8, 4);
    const b = new WindowSet(spec, prepared, Int32Array.of(1, 2)).batch([0]);
    for (let s = 0; s < 5; s++) {
      expect(b.past[s * spec.pastFeatures]).toBe(0);
      expect(b.past[s * spec.pastFeatures + 1]).toBe(0);
    }
    expect(b.past[5 * spec.pastFeatures + 1]).toBe(1);
  });

  test('inputs never see units after the origin, not even through the SKU stats', () => {
    const { spec, prepared } = setup(data, 8, 4);
    // Sales triple after week 60, zeros included; the stats of the changed SKU see that.
    const changed = weekly([units.map((u, t) => (t > 60 ? (t % 4 === 0 ? 0 : u * 3) : u)), units.slice(0, 30)]);
    const tr = fitCovariateTransforms(changed);
    const again = changed.series.map((s) => prepareSeries(spec, s, skuStats(s, tr, 7), s.units.length));
    expect(again[0]!.scale).not.toBeCloseTo(prepared[0]!.scale, 1);
    const ws = [prepared, again].map((p) => new WindowSet(spec, p, Int32Array.of(0, 60)));
    const [a, b] = ws.map((w) => w.inputs([0]));
    expect(Array.from(b!.past)).toEqual(Array.from(a!.past));
    expect(Array.from(b!.future)).toEqual(Array.from(a!.future));
    expect(Array.from(b!.statics)).toEqual(Array.from(a!.statics));
    expect(ws[1]!.scaleOf(0)).toBe(ws[0]!.scaleOf(0));
  });

  test('a version 1 spec (models saved before) keeps the SKU scale and statics of its whole history', () => {
    const { spec, prepared, stats } = setup(data, 8, 4);
    const v1 = new WindowSet({ ...spec, version: 1 }, prepared, Int32Array.of(0, 60));
    const b = v1.inputs([0]);
    expect(v1.scaleOf(0)).toBe(stats[0]!.scale);
    expect(Array.from(b.statics.subarray(0, 3))).toEqual(Array.from(prepared[0]!.statics));
    expect(b.past[7 * spec.pastFeatures]).toBeCloseTo(prepared[0]!.z[60]! - v1.anchor(0), 6);
  });

  test('the time split keeps every training target before the validation periods', () => {
    const { spec, prepared } = setup(data, 8, 4);
    const cut = 75;
    const train = enumerateWindows(spec, prepared, { firstTarget: () => 0, lastTarget: () => cut, minPast: 1 });
    const valid = enumerateWindows(spec, prepared, { firstTarget: () => cut + 1, lastTarget: (p) => p.length - 1, minPast: 1 });
    for (let i = 0; i < train.length; i += 2) expect(train[i + 1]! + spec.horizon).toBeLessThanOrEqual(cut);
    expect(Array.from(valid)).toEqual([0, 75]);
    // the short series (30 periods) still contributes training windows
    expect(Array.from(train).filter((_, i) => i % 2 === 0 && train[i] === 1).length).toBeGreaterThan(20);
  });

  test('feature counts match the spec', () => {
    const { spec } = setup(data, 8, 4) as { spec: FeatureSpec };
    expect(spec.pastFeatures).toBe(5 + 3 + spec.calendar);
    expect(spec.futureFeatures).toBe(3 + spec.calendar + 5);
    expect(spec.staticFeatures).toBe(4);
  });
});

describe('covariate effects', () => {
  test('a promotion that doubles sales gets the effect of a doubling in z; SKUs are shrunk towards the global effect', () => {
    const series = [0, 1, 2].map((s) => {
      const promo = Array.from({ length: 120 }, (_, t) => ((t * 7 + s) % 10 === 0 ? 1 : 0));
      const units = promo.map((p, t) => (100 + 10 * Math.sin(t / 8)) * (p ? 2 : 1));
      return { sku: `S${s}`, start: '2022-01-03', units, covariates: [promo] };
    });
    const data = makeSalesData('W', ['promo'], series);
    const tr = fitCovariateTransforms(data);
    const stats = data.series.map((s) => skuStats(s, tr, 7));
    const global = fitEffects(data, tr, stats);
    const sc = stats[0]!.scale;
    const expected = Math.log1p(200 / sc) - Math.log1p(100 / sc);
    expect(Math.abs(global[0]! - expected)).toBeLessThan(0.05);
    for (const s of stats) expect(s.effects![0]).toBeCloseTo(global[0]!, 1);
  });

  test('with `before`, periods on or after that day do not count', () => {
    // Promotions double sales in the first 80 weeks and halve them after: the effect flips sign.
    const series = [0, 1].map((s) => {
      const promo = Array.from({ length: 120 }, (_, t) => ((t * 7 + s) % 10 === 0 ? 1 : 0));
      const units = promo.map((p, t) => 100 * (p ? (t < 80 ? 2 : 0.5) : 1));
      return { sku: `S${s}`, start: '2022-01-03', units, covariates: [promo] };
    });
    const data = makeSalesData('W', ['promo'], series);
    const tr = fitCovariateTransforms(data);
    const fit = (before?: number) => {
      const stats = data.series.map((s) => skuStats(s, tr, 7));
      return { global: fitEffects(data, tr, stats, before)[0]!, sku: stats[0]!.effects![0]! };
    };
    const early = fit(data.series[0]!.start + 80 * 7); // weeks 0-79 only
    const all = fit();
    expect(early.global).toBeGreaterThan(0.3);
    expect(early.sku).toBeGreaterThan(0.3);
    expect(all.global).toBeLessThan(early.global - 0.1);
    expect(fit(data.series[0]!.start + 79 * 7 + 1)).toEqual(early); // the same periods: day 79 * 7 is the last
    expect(fit(Number.POSITIVE_INFINITY)).toEqual(all);
  });
});

describe('effects in fitData: estimated before the validation span, then on the whole history', () => {
  // Promotions double sales up to week 59 and triple them in the validation span (weeks 60-79);
  // a second flag (the "markdown" column, on every 4th week) adds half.
  const promoAt = (i: number, t: number) => ((t * 3 + i) % 7 === 0 ? 1 : 0);
  const markAt = (i: number, t: number) => ((t + i) % 4 === 1 ? 1 : 0);
  const data = weekly(
    [0, 1].map((i) => Array.from({ length: 80 }, (_, t) => 50 * (promoAt(i, t) ? (t < 60 ? 2 : 3) : 1) * (markAt(i, t) ? 1.5 : 1))),
    (i, t) => [10, promoAt(i, t), markAt(i, t)],
  );
  const settings = { ...DEFAULT_SETTINGS, seed: 1, window: 8, horizon: 4, validation: 20 };

  test('the training and validation inputs carry the effect of the training periods only', () => {
    const d = fitData(data, settings);
    const before = data.series.map((s) => skuStats(s, fitCovariateTransforms(data), 7, 60)); // weeks 0-59
    fitEffects(data, fitCovariateTransforms(data), before, d.cut + 1);
    expect(d.skus[0]!.effects).toEqual(before[0]!.effects);
    // The effect input of a promotion week is that effect, in the validation span as before it.
    const p = d.prepared[0]!;
    const t = Array.from({ length: 80 }, (_, k) => k).find((k) => k >= 60 && promoAt(0, k) === 1)!;
    expect(p.eff[t]).toBeCloseTo(d.skus[0]!.effects![1]! * p.cov[t * 3 + 1]!, 5);
  });

  test('refreshStats re-estimates them on every period and keeps neutral covariates at 0', () => {
    const d = fitData(data, settings);
    const early = d.skus.map((s) => s.effects![1]!);
    expect(d.skus[0]!.effects![2]!).toBeGreaterThan(0.1);
    d.spec.covariates[2]!.neutral = true;
    refreshStats(data, d);
    d.skus.forEach((s, i) => {
      expect(s.effects![1]!).toBeGreaterThan(early[i]! + 0.05); // the tripling weeks now count
      expect(s.effects![2]).toBe(0);
    });
    expect(d.spec.globalEffects[1]!).toBeGreaterThan(0);
    expect(d.spec.globalEffects[2]).toBe(0);
  });
});

describe('SKU stats in fitData: from the training periods, then from the whole history', () => {
  // SKU 0 sells 10 a week up to week 59 and 40 a week in the validation span (weeks 60-79); its
  // price is 2 up to week 59 and 4 after. SKU 1 is launched in the validation span (week 65).
  const units = [Array.from({ length: 80 }, (_, t) => (t < 60 ? 10 : 40)), Array.from({ length: 80 }, (_, t) => (t < 65 ? Number.NaN : 7))];
  const data = weekly(units, (_, t) => [t < 60 ? 2 : 4, 0, 0]);
  const settings = { ...DEFAULT_SETTINGS, seed: 1, window: 8, horizon: 4, validation: 20 };

  test('the scale, usual price and counts of the training and validation inputs come from the training periods', () => {
    const d = fitData(data, settings);
    expect(d.skus[0]!.scale).toBe(10); // the whole history's last season would say (32 x 10 + 20 x 40) / 52
    expect(d.skus[0]!.usual[0]).toBe(2);
    expect(d.skus[0]!.observed).toBe(60);
    expect(d.prepared[0]!.scale).toBe(10);
    // A training week's z is log1p(10 / 10): the scale did not see the validation span's level.
    expect(d.prepared[0]!.z[30]).toBeCloseTo(Math.log(2), 6); // stored as float32
    // No observed week before the validation span: the SKU takes the stats of its whole history.
    expect(d.skus[1]!.scale).toBe(7);
    expect(d.skus[1]!.observed).toBe(15);
  });

  test('refreshStats re-estimates them on every period for the saved model, keeping the spec', () => {
    const d = fitData(data, settings);
    const logScale = [d.spec.logScaleMean, d.spec.logScaleSd];
    refreshStats(data, d);
    expect(d.skus[0]!.scale).toBeCloseTo((32 * 10 + 20 * 40) / 52, 12);
    expect(d.skus[0]!.usual[0]).toBe(2); // median of 60 weeks at 2 and 20 at 4
    expect(d.skus[0]!.observed).toBe(80);
    expect(d.skus[1]!.scale).toBe(7);
    expect([d.spec.logScaleMean, d.spec.logScaleSd]).toEqual(logScale);
  });
});

describe('inert covariates (no variation within any SKU in the training periods)', () => {
  // 60 weeks; promo never on and markdown 0 up to week 39, then both vary; price varies throughout.
  const late = (_: number, t: number) => [t % 3 === 0 ? 9 : 10, t >= 40 && t % 2 === 0 ? 1 : 0, t >= 40 ? 100 * (t % 4) : 0];
  const data = weekly([Array.from({ length: 60 }, (_, t) => 20 + (t % 7)), Array.from({ length: 60 }, (_, t) => 5 + (t % 3))], late);

  test('inertCovariates names the columns that never vary within a SKU up to the last training period', () => {
    const { spec, prepared } = setup(data, 8, 4);
    expect(inertCovariates(spec, prepared, () => 39)).toEqual(['promo', 'markdown']);
    expect(inertCovariates(spec, prepared, () => 40)).toEqual(['markdown']); // promo is on at week 40, markdown still 0
    expect(inertCovariates(spec, prepared, () => 59)).toEqual([]);
  });

  test('a price that differs between SKUs but is constant within each is inert too', () => {
    const fixed = weekly([Array.from({ length: 30 }, () => 10), Array.from({ length: 30 }, () => 4)], (i) => [i === 0 ? 3 : 7, 0, 0]);
    const { spec, prepared } = setup(fixed, 8, 4);
    expect(inertCovariates(spec, prepared, () => 29)).toEqual(['price', 'promo', 'markdown']);
  });

  test('fitData feeds them as neutral when the varying periods are all in the validation span', () => {
    // horizon 4, validation 20: training periods end at week 39.
    const d = fitData(data, { ...DEFAULT_SETTINGS, seed: 1, window: 8, horizon: 4, validation: 20 });
    expect(d.inert).toEqual(['promo', 'markdown']);
    expect(d.spec.covariates.map((c) => c.neutral === true)).toEqual([false, true, true]);
    expect(d.shortLived).toEqual([]);
    const all = fitData(data, { ...DEFAULT_SETTINGS, seed: 1, window: 8, horizon: 4, validation: 4 });
    expect(all.inert).toEqual([]);
    // Training periods to week 55: the markdowns vary over the last 16 of 56 weeks, less than a
    // year and less than half the history, so they are short-lived (fed as neutral); the promo flag is not numeric.
    expect(all.shortLived).toEqual(['markdown']);
    expect(all.spec.covariates.map((c) => c.neutral === true)).toEqual([false, false, true]);
  });

  test('a numeric covariate that varies from the start is fed as it is', () => {
    const early = weekly(data.series.map((s) => Array.from(s.units)), (_, t) => [10, 0, 100 * (t % 4)]);
    const d = fitData(early, { ...DEFAULT_SETTINGS, seed: 1, window: 8, horizon: 4, validation: 4 });
    expect([d.inert, d.shortLived]).toEqual([['price', 'promo'], []]); // a constant price and a flag never on: inert
    expect(d.spec.covariates.map((c) => c.neutral === true)).toEqual([true, true, false]);
  });
});
