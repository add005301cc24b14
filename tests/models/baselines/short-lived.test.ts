/**
 * Numeric covariates that only started to vary less than a yearly cycle before the fit's end
 * (covariate-kind.ts shortLivedCovariates) are fed as neutral by promo_regression and arimax: a
 * column recorded from the last holiday season on rises with the season, and a regression that
 * used it would carry the holiday peak into the weeks after it.
 */
import { describe, expect, it } from 'vitest';
import { parseDay } from '../../../src/core/calendar.js';
import { mulberry32 } from '../../../src/core/random.js';
import type { SalesData } from '../../../src/core/types.js';
import { ArimaxForecaster, PromoRegressionForecaster } from '../../../src/models/baselines/index.js';
import type { Forecaster } from '../../../src/models/forecaster.js';
import { splitHoldout } from '../../../src/models/holdout.js';
import { scoreForecasts } from '../../../src/models/metrics.js';
import { makeSalesData } from '../../../src/sales-data.js';

const START = '2021-05-03'; // Mondays; 156 weeks to 2024-04-22: the 13 held out run from late January to April
const WEEKS = 156;
const SEASON = (day: number) => {
  const m = new Date(day * 86_400_000).getUTCMonth();
  return m === 10 || m === 11 ? 0.8 : 0; // November and December sell exp(0.8) = 2.2 times more
};

/**
 * 20 SKUs: log units = level + season + effect x markdown + noise. `markdown(t)` gives the raw column,
 * `effect` its true effect per unit of log1p(markdown).
 */
function panel(markdown: (t: number, day: number) => number, effect: number): SalesData {
  const rng = mulberry32(11);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const start = parseDay(START);
  return makeSalesData(
    'W',
    ['markdown'],
    Array.from({ length: 20 }, (_, s) => {
      const level = 3 + rng();
      const md = Array.from({ length: WEEKS }, (_, t) => markdown(t, start + 7 * t));
      const units = md.map((m, t) => Math.round(Math.exp(level + SEASON(start + 7 * t) + effect * Math.log1p(m) + 0.1 * gauss())));
      return { sku: `S${s}`, start: START, units, covariates: [md] };
    }),
  );
}

const withoutColumn = (d: SalesData): SalesData => ({ ...d, covariates: [], series: d.series.map((s) => ({ ...s, covariates: [] })) });

async function holdout(m: Forecaster, data: SalesData) {
  const split = splitHoldout(data, 13);
  await m.fit(split.history);
  const f = await m.predict(split.history, split.origin, 13, split.plan);
  const insample = new Map(split.history.series.map((s) => [s.sku, s.units]));
  return { f, wape: scoreForecasts(split.actual, f, insample, 52).overall.wape };
}

const MODELS = [
  ['promo_regression', () => new PromoRegressionForecaster()],
  ['arimax', () => new ArimaxForecaster()],
] as const;

describe('short-lived numeric covariates in the regressions', () => {
  // Recorded from November 2023 on (0 before), high in the holiday weeks and still on after them; no effect.
  const holidayOn = parseDay('2023-11-01');
  const late = panel((_, day) => (day < holidayOn ? 0 : SEASON(day) > 0 ? 5000 : 800), 0);

  for (const [name, make] of MODELS) {
    it(`${name}: a column recorded from the last holiday season on changes nothing`, async () => {
      const used = await holdout(make(), late);
      const dropped = await holdout(make(), withoutColumn(late));
      for (const [sku, f] of dropped.f) {
        const g = used.f.get(sku)!;
        for (let h = 0; h < 13; h++) expect(Math.abs(g.mean[h]! / f.mean[h]! - 1)).toBeLessThan(1e-3);
      }
      expect(used.wape).toBeLessThan(0.15);
    });
  }

  it('promo_regression: a column that varies over the whole history is used where it has an effect', async () => {
    // Markdowns on and off all along, the units rising by markdown^0.15; the model that reads the column does better.
    const rng = mulberry32(3);
    const md = Array.from({ length: WEEKS }, () => (rng() < 0.3 ? 200 + 2000 * rng() : 0));
    const always = panel((t) => md[t]!, 0.15);
    const used = await holdout(new PromoRegressionForecaster(), always);
    const dropped = await holdout(new PromoRegressionForecaster(), withoutColumn(always));
    expect(used.wape).toBeLessThan(dropped.wape * 0.8);
  });
});
