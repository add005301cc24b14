/** Per-SKU seasonal profiles (src/models/season-profile.ts) and their input to the network (feature version 4). */
import { describe, expect, test } from 'vitest';
import { dayFromYmd, dayOfYear, weekday } from '../../src/core/calendar.js';
import type { SalesData } from '../../src/core/types.js';
import { buildFeatureSpec, prepareSeries } from '../../src/models/features.js';
import { fitData } from '../../src/models/lstm-fit-data.js';
import { DEFAULT_SETTINGS } from '../../src/models/lstm-settings.js';
import { fitEffects } from '../../src/models/effects.js';
import { fitCovariateTransforms, periodsBefore, skuStats, toScaled } from '../../src/models/scaling.js';
import { PROFILE_REFIT_DAYS, fitSeasonProfiles, forwardProfiles, seasonProfileFor, seasonTerms, seasonValue, spansYears } from '../../src/models/season-profile.js';
import { WindowSet, enumerateWindows, profileAt } from '../../src/models/windows.js';
import { mulberry32 } from '../../src/core/random.js';
import { makeSalesData } from '../../src/sales-data.js';

const START = dayFromYmd(2023, 1, 2);
const WEEKDAY = [0.8, 1.0, 1.0, 1.05, 1.2, 1.5, 0.7];
const MEAN_WEEKDAY = WEEKDAY.reduce((a, b) => a + b, 0) / 7;

/** Daily sales with a yearly cosine of amplitude amp[i] peaking at day of year peak[i], a weekday pattern and a promotion flag. */
function daily(days: number, amp: number[], peak: number[], seed = 3, starts?: number[]): SalesData {
  const rng = mulberry32(seed);
  return makeSalesData(
    'D',
    ['promo'],
    amp.map((a, i) => {
      const first = starts?.[i] ?? 0;
      const promo = Array.from({ length: days - first }, (_, t) => ((t + first) % 40 < 5 ? 1 : 0));
      const units = promo.map((p, t) => {
        const day = START + first + t;
        const mu = 40 * Math.exp(a * Math.cos((2 * Math.PI * (dayOfYear(day).doy - peak[i]!)) / 365.25)) * WEEKDAY[weekday(day)]! * (p ? 1.6 : 1);
        return Math.round(mu * (0.9 + 0.2 * rng()));
      });
      return { sku: `S${i}`, start: new Date((START + first) * 86_400_000).toISOString().slice(0, 10), units, covariates: [promo] };
    }),
  );
}

function fit(data: SalesData, before = Infinity) {
  const transforms = fitCovariateTransforms(data);
  const stats = data.series.map((s) => skuStats(s, transforms, data.step, periodsBefore(s, before, data.step)));
  const terms = seasonTerms(data.freq, spansYears(data, 2, before));
  const pooled = fitSeasonProfiles(data, transforms, stats, terms, before);
  return { transforms, stats, terms, pooled };
}

/**
 * Correlation and rms difference (both centred) between the fitted profile of SKU i over one year
 * and the true curve on its scale, z = log1p(mean units of an average weekday without promotion /
 * the SKU's scale).
 */
function recovered(data: SalesData, f: ReturnType<typeof fit>, i: number, amp: number, peak: number): { corr: number; rms: number } {
  const truth: number[] = [];
  const got: number[] = [];
  for (let d = 0; d < 364; d++) {
    const day = START + 800 + d;
    truth.push(toScaled(40 * Math.exp(amp * Math.cos((2 * Math.PI * (dayOfYear(day).doy - peak)) / 365.25)) * MEAN_WEEKDAY, f.stats[i]!.scale));
    got.push(seasonValue(f.terms, f.stats[i]!.season!, day));
  }
  const m = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  const [mt, mg] = [m(truth), m(got)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  let sq = 0;
  truth.forEach((t, k) => {
    sxy += (t - mt) * (got[k]! - mg);
    sxx += (t - mt) ** 2;
    syy += (got[k]! - mg) ** 2;
    sq += (t - mt - (got[k]! - mg)) ** 2;
  });
  return { corr: sxy / Math.sqrt(sxx * syy), rms: Math.sqrt(sq / truth.length) };
}

describe('seasonal profiles', () => {
  test('recover each SKU\'s own yearly curve, promotions and the weekday pattern left out', () => {
    const amp = [0.4, 0.1, 0.3];
    const peak = [350, 180, 60];
    const data = daily(1000, amp, peak);
    const f = fit(data);
    expect(f.terms).toEqual({ fourier: 4 });
    for (let i = 0; i < amp.length; i++) {
      const r = recovered(data, f, i, amp[i]!, peak[i]!);
      expect(r.corr).toBeGreaterThan(0.97);
      expect(r.rms).toBeLessThan(0.05);
    }
    // Opposite peaks stay apart: shrinkage towards the pooled curve does not erase a SKU's own season.
    const jan = dayFromYmd(2025, 1, 10);
    expect(seasonValue(f.terms, f.stats[0]!.season!, jan)).toBeGreaterThan(seasonValue(f.terms, f.stats[1]!.season!, jan) + 0.1);
  });

  test('a short SKU borrows the pooled curve; an unseen one gets its profile from the history it comes with', () => {
    const amp = [0.4, 0.4, 0.4, 0.4];
    const peak = [350, 350, 350, 350];
    const data = daily(1000, amp, peak, 5, [0, 0, 0, 960]);
    const f = fit(data);
    // 40 days cannot show a yearly curve: the pooled one carries it.
    const r = recovered(data, f, 3, 0.4, 350);
    expect(r.corr).toBeGreaterThan(0.9);
    const s = data.series[3]!;
    const unseen = seasonProfileFor(s, data.step, f.transforms, f.stats[3]!, f.terms, s.units.length, f.pooled);
    expect(unseen).toEqual(f.stats[3]!.season);
  });

  test('daily data needs two years for a profile; weekly data has none, and then there is no input', () => {
    const data = daily(600, [0.4], [350]);
    expect(spansYears(data, 2)).toBe(false);
    expect(spansYears(data, 1)).toBe(true);
    expect(fit(data).terms).toEqual({ fourier: 0 });
    expect(spansYears(daily(1000, [0.4], [350]), 2, START + 700)).toBe(false);
    expect(spansYears(daily(1000, [0.4], [350]), 2, START + 730)).toBe(true);
    const weeklyTerms = seasonTerms('W', true);
    expect(weeklyTerms).toEqual({ fourier: 0 });
    const units = Array.from({ length: 160 }, (_, t) => 50 + 20 * Math.cos((2 * Math.PI * t) / 52));
    const weekly = makeSalesData('W', [], [{ sku: 'A', start: '2022-01-03', units, covariates: [] }]);
    const stats = [skuStats(weekly.series[0]!, [], 7)];
    expect(fitSeasonProfiles(weekly, [], stats, weeklyTerms)).toEqual([]);
    expect(stats[0]!.season).toEqual([]);
    // No terms, no input: the network's shape is that of version 3.
    const withProfile = buildFeatureSpec(weekly, [], stats, 8, 4, [], { terms: weeklyTerms, pooled: [] });
    const v3Shape = { ...withProfile, version: 3 };
    expect([withProfile.pastFeatures, withProfile.futureFeatures]).toEqual([5 + v3Shape.calendar, v3Shape.calendar + 5]);
    const p = prepareSeries(withProfile, weekly.series[0]!, stats[0]!, 160);
    expect(p.sea.every((v) => v === 0)).toBe(true);
  });

  test('periods on or after `before` do not count', () => {
    const data = daily(1000, [0.4, 0.2], [350, 100]);
    const cut = START + 800;
    const a = fit(data, cut);
    const truncated = makeSalesData('D', ['promo'], data.series.map((s) => ({ sku: s.sku, start: '2023-01-02', units: [...s.units.slice(0, 800)], covariates: [[...s.covariates[0]!.slice(0, 800)]] })));
    const b = fit(truncated);
    expect(a.stats.map((s) => s.season)).toEqual(b.stats.map((s) => s.season));
  });
});

describe('the seasonal profile input (feature version 4)', () => {
  test('each past and future step ends with the profile minus its mean over the window\'s observed periods', () => {
    const data = daily(800, [0.4, 0.2], [350, 100]);
    const f = fit(data);
    const spec = buildFeatureSpec(data, f.transforms, f.stats, 28, 7, fitEffects(data, f.transforms, f.stats), { terms: f.terms, pooled: f.pooled });
    expect(spec.version).toBeGreaterThanOrEqual(4);
    const prepared = data.series.map((s, i) => prepareSeries(spec, s, f.stats[i]!, s.units.length));
    const p = prepared[0]!;
    p.obs[700] = 0; // a missing period in the window: not in the mean, still given its profile
    const o = 710;
    const set = new WindowSet(spec, prepared, Int32Array.from([0, o]));
    const x = set.inputs([0]);
    let mean = 0;
    let n = 0;
    for (let i = o - 27; i <= o; i++) if (p.obs[i] === 1) ((mean += p.sea[i]!), n++);
    mean /= n;
    const day = (i: number) => data.series[0]!.start + i;
    for (const s of [0, 27 - 10, 27]) {
      const i = o - 27 + s;
      expect(p.sea[i]).toBeCloseTo(seasonValue(f.terms, f.stats[0]!.season!, day(i)), 5);
      expect(x.past[(s + 1) * spec.pastFeatures - 1]).toBeCloseTo(p.sea[i]! - mean, 5);
    }
    for (let h = 0; h < 7; h++) expect(x.future[(h + 1) * spec.futureFeatures - 1]).toBeCloseTo(p.sea[o + 1 + h]! - mean, 5);
    // SKU 0 peaks around day 350 of the year: its profile is higher in December than in June.
    expect(p.sea[dayFromYmd(2024, 12, 15) - START]! - p.sea[dayFromYmd(2024, 6, 15) - START]!).toBeGreaterThan(0.2);
    // z of the targets is unchanged by the new input.
    expect(enumerateWindows(spec, prepared, { firstTarget: () => 0, lastTarget: (q) => q.length - 1, minPast: 1 }).length).toBeGreaterThan(0);
    expect(toScaled(p.units[o]!, p.scale)).toBeCloseTo(p.z[o]!, 5);
  });

  test('a training window reads the profile fitted on the periods up to its origin, none before a year of data, flagged in the statics', () => {
    const data = daily(900, [0.4, 0.2], [350, 100]);
    const d = fitData(data, { ...DEFAULT_SETTINGS, horizon: 7, window: 28, validation: 7 });
    const spec = d.spec;
    expect(spec.seasonTerms).toEqual({ fourier: 4 });
    const p = d.prepared[0]!;
    const fits = p.seaBy!;
    // One yearly cycle after the first day, then every PROFILE_REFIT_DAYS, and the last before the validation span.
    expect(fits.map((f) => f.before - START)).toEqual([364, 364 + PROFILE_REFIT_DAYS, 364 + 2 * PROFILE_REFIT_DAYS, 364 + 3 * PROFILE_REFIT_DAYS, 364 + 4 * PROFILE_REFIT_DAYS, 364 + 5 * PROFILE_REFIT_DAYS, d.cut + 1 - START]);
    // Each fit equals fitting on the data cut before its day.
    const again = forwardProfiles(data, spec.covariates, d.skus, spec.seasonTerms!, d.cut + 1);
    const cut = fits[2]!.before - START;
    const truncated = makeSalesData('D', ['promo'], data.series.map((s) => ({ sku: s.sku, start: '2023-01-02', units: Array.from(s.units.slice(0, cut)), covariates: [Array.from(s.covariates[0]!.slice(0, cut))] })));
    const own = d.skus.map((s) => ({ ...s }));
    fitSeasonProfiles(truncated, spec.covariates, own, spec.seasonTerms!);
    expect(again[2]!.season[0]).toEqual(own[0]!.season);
    expect(p.seaBy![2]!.sea[500]).toBeCloseTo(seasonValue(spec.seasonTerms!, own[0]!.season!, START + 500), 5);
    // Origins: before the first fit, none (inputs 0, flag 0); on the fit's last period, that fit.
    expect(profileAt(p, 300, 1)).toBeUndefined();
    expect(profileAt(p, 363, 1)).toBe(fits[0]!.sea);
    expect(profileAt(p, 364 + PROFILE_REFIT_DAYS - 2, 1)).toBe(fits[0]!.sea);
    expect(profileAt(p, 364 + PROFILE_REFIT_DAYS - 1, 1)).toBe(fits[1]!.sea);
    const x = new WindowSet(spec, d.prepared, Int32Array.of(0, 300, 0, 600)).inputs([0, 1]);
    const sf = spec.staticFeatures;
    expect([x.statics[sf - 1], x.statics[2 * sf - 1]]).toEqual([0, 1]);
    for (let h = 0; h < 7; h++) expect(x.future[(h + 1) * spec.futureFeatures - 1]).toBe(0);
    expect(x.future[(7 + 1) * spec.futureFeatures - 1]).not.toBe(0);
    // A forecast origin (no fits: prepared from the saved stats) reads the series' own profile.
    expect(profileAt({ ...p, seaBy: undefined }, 300, 1)).toBe(p.sea);
  });
});
