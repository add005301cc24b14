/**
 * The nightly loop, replayed: `stock backtest --replan EVERY`. Pure (no I/O); the forecaster and the
 * simulator are passed in, so the same loop runs a baseline or a trained model, in this thread or
 * on a worker pool.
 *
 * At every replan date t = from, from + every, ... (day numbers) up to `to`:
 *   1. history = the sales periods that end strictly before t (a period dated D covers D .. D +
 *      step - 1); nothing on or after t reaches the plans made at t;
 *   2. forecast from that history: origin = its last period, horizon >= the protection interval;
 *      the covariates of the forecast periods (the promotion plan) are the actual ones, as a
 *      planner's plan would be (they are known in advance; sales are not);
 *   3. simulate the Monte Carlo policy of every SKU at every service level from one set of paths
 *      per SKU (same engine and options as `stock simulate`; seed hashed from the master seed and
 *      t, so a replan's numbers do not depend on the others, on the workers or on the SKUs);
 *   4. the classic policy (classic.ts) from the same history, with the Monte Carlo policy's Q at
 *      the same target (or --order-days);
 *   5. replay the days t .. next replan - 1 under each policy and target, carrying every SKU's
 *      inventory across replans (on-hand, orders in the pipeline with their arrival days,
 *      backlog). Each (policy, target) has its own replay of each SKU, with the lead-time draws of
 *      the static backtest (k-th order of a SKU = k-th draw), so every policy and target sees the
 *      same lead times (common random numbers).
 * A SKU the forecaster cannot forecast at a replan (or the classic rule, with < 2 periods) keeps
 * its previous policy, as an ERP keeps the last imported one; counted in `kept`. SKUs replayed:
 * those with a lead time and a policy of every kind at the first replan date.
 */
import type { ReplanPlanRecord } from '../../core/contracts/replan-plans.js';
import { keyedSeed, mulberry32 } from '../../core/random.js';
import type { LeadTime, SalesData, Series } from '../../core/types.js';
import { dailyDemand } from './demand.js';
import { skuLeadTimeSampler } from './lead-time-draws.js';
import { type SkuOutcome, type Totals, totals } from './run.js';
import { classicPolicies } from './classic.js';
import type { SimConfig, SkuInput } from '../montecarlo/engine.js';
import type { OrderConstraints, SkuPolicy } from '../ordering.js';
import { type LevelSimulator, simulateLevelsInThread } from '../montecarlo/pool.js';
import { type Policy, requiredDays } from '../montecarlo/policy.js';
import { protectionSpreadFactor } from '../montecarlo/inputs.js';
import { type OpeningStock, SkuReplayState, type UnmetRule } from './replay.js';
import { SpreadCalibration } from '../montecarlo/spread-calibration.js';
import { type PeriodForecast, type ReplanFuture, actualFuture, dailyCovariate, dailyFrom, finiteOver, historyBefore } from './replan-data.js';
import { UNDERSHOOT_HISTORY_DAYS, replayExposure, undershootDays } from './exposure.js';

export type { PeriodForecast, ReplanFuture };

export interface ReplanForecaster {
  /** Policy names are `mc-<name>`. */
  name: string;
  /** Learn from the history (baselines); absent for a trained model. */
  fit?(history: SalesData): Promise<void>;
  predict(history: SalesData, origin: number, horizon: number, plan: ReplanFuture): Promise<Map<string, PeriodForecast>>;
  /** Most periods it can forecast (a trained model's horizon). */
  maxHorizon?: number;
  /**
   * The correlation of its errors between periods (a trained model's `error_corr`, which its
   * forecast files carry to `stock simulate`): without spread calibration the simulation widens
   * the lead-time demand by it, as `stock simulate` does (montecarlo/inputs.ts sumSpreadFactor).
   */
  errorCorr?: number;
}

export interface ReplanInput {
  data: SalesData;
  from: number;
  to: number;
  /** Days between replan dates. */
  every: number;
  forecaster: ReplanForecaster;
  /** Refit the forecaster every K replans (1 = at every replan); undefined = never (a trained model). */
  refitEvery?: number;
  /** Forecast periods asked at each replan (raised to cover the protection interval). */
  horizon: number;
  leadTimes: Map<string, LeadTime & { orderQty?: number }>;
  serviceLevels: readonly number[];
  /** The simulate options, without the service level (one per target) and the seed (one per replan). */
  sim: Omit<SimConfig, 'serviceLevel' | 'seed'>;
  seed: number;
  unmet: UnmetRule;
  /** Replay with periodic review every R days; undefined = continuous review. Same R as sim.policy. */
  reviewPeriod?: number;
  opening?: Map<string, OpeningStock>;
  constraints?: Map<string, OrderConstraints>;
  /** Also replay the classic policy, replanned the same way. */
  classic?: { orderDays?: number; historyDays?: number };
  /** Index of a price covariate: values the on-hand (avgValue). */
  priceCovariate?: number;
  simulate?: LevelSimulator;
  /**
   * Calibrate the forecast spread on the protection interval from the forecaster's own past errors
   * (SpreadCalibration): `warmup` extra forecast origins before `from` (every `every` days), and
   * the errors of the last `window` origins; undefined = the forecaster's sd as it is.
   */
  calibration?: { warmup: number; window: number };
  /**
   * The lead time the simulation protects. `replay` (default): the exposure of the day-by-day
   * replay (replayExposure); `simulate`: the lead time as given, as `stock simulate` models it.
   */
  exposure?: 'replay' | 'simulate';
  /** Keep every plan made (for audits and the no-look-ahead test). */
  recordPlans?: boolean;
  /** Called after each replan's forecast and simulation (progress). */
  onReplan?: (info: { index: number; total: number; day: number }) => void;
}

export interface ReplanSkuOutcome extends SkuOutcome {
  /** Mean end-of-day inventory value (on-hand x price); NaN without a price. */
  avgValue: number;
}

export interface ReplanOutcome {
  name: string;
  serviceLevel: number;
  perSku: ReplanSkuOutcome[];
  totals: Totals & { avgValue: number };
}

export interface ReplanResult {
  days: number;
  /** Replan dates (day numbers). */
  replans: number[];
  skus: string[];
  /** One per policy and target: policy-major (every target of the Monte Carlo policy, then classic). */
  outcomes: ReplanOutcome[];
  excluded: { sku: string; reason: string }[];
  missing: { sku: string; days: number }[];
  /** SKU-replans that kept the previous policy, per policy kind. */
  kept: { policy: string; count: number; skus: string[] }[];
  /** SKU-replans whose forecast was shorter than the protection interval (last day repeated). */
  extended: number;
  /** Per replan date: the factor applied to the forecast sd, and the past errors it came from. */
  calibration: { day: number; factor: number; errors: number }[];
  plans?: ReplanPlanRecord[];
}

interface Track {
  name: string;
  level: number;
  k: number;
  states: Map<string, SkuReplayState>;
}

export async function runReplan(input: ReplanInput): Promise<ReplanResult> {
  const { data, from, to, every } = input;
  if (to < from) throw new RangeError(`empty replay window: ${from} > ${to}`);
  if (!(every >= 1)) throw new RangeError(`replan interval must be >= 1 day, got ${every}`);
  const levels = input.serviceLevels;
  const simulate = input.simulate ?? ((i, c, l) => Promise.resolve(simulateLevelsInThread(i, c, l)));
  const step = data.step;
  const policy: Policy = input.sim.policy;
  const mcName = `mc-${input.forecaster.name}`;
  const replans: number[] = [];
  for (let t = from; t <= to; t += every) replans.push(t);

  const withLead = data.series.filter((s) => input.leadTimes.has(s.sku));
  const excluded: { sku: string; reason: string }[] = data.series.filter((s) => !input.leadTimes.has(s.sku)).map((s) => ({ sku: s.sku, reason: 'no lead time' }));
  const exposure = input.exposure ?? 'replay';
  const given = (lt: LeadTime): LeadTime => ({ mean: lt.mean, sd: lt.sd, samples: lt.samples === undefined ? undefined : Float64Array.from(lt.samples) });
  /** The lead time the simulation protects at day t, from the history before t. */
  const leadAt = (sku: string, series: Series | undefined, t: number): LeadTime => {
    const lt = input.leadTimes.get(sku)!;
    if (exposure === 'simulate') return given(lt);
    const rand = mulberry32(keyedSeed(input.seed, `exposure\u0000${sku}\u0000${t}`));
    let recent: ArrayLike<number> = [];
    if (series !== undefined && policy.kind === 'sQ') {
      const w = dailyDemand(series, step, t - UNDERSHOOT_HISTORY_DAYS, t - 1);
      recent = w.demand;
    }
    return replayExposure(lt, policy, rand, undershootDays(recent, rand));
  };
  // Each SKU's protection interval from the replan day (the exposure's mean is at most the lead
  // time): the spread calibration scores the forecast over it.
  const needed = new Map(withLead.map((s) => [s.sku, requiredDays(given(input.leadTimes.get(s.sku)!), policy)]));
  // Days of forecast each SKU's plan needs: intervals start on any of the days it is in force.
  const cover = new Map(withLead.map((s) => [s.sku, requiredDays(given(input.leadTimes.get(s.sku)!), policy, input.sim.validDays)]));
  const maxNeeded = Math.max(1, ...cover.values());

  // Current policies per kind and target, updated at every replan.
  const mc: Map<string, SkuPolicy>[] = levels.map(() => new Map());
  const cl: Map<string, SkuPolicy>[] = levels.map(() => new Map());
  const keptMc = new Set<string>();
  const keptCl = new Set<string>();
  let keptMcCount = 0;
  let keptClCount = 0;
  let extended = 0;
  const plans: ReplanPlanRecord[] | undefined = input.recordPlans ? [] : undefined;

  let skus: string[] = [];
  const tracks: Track[] = [];
  const demand = new Map<string, Float64Array>();
  const price = new Map<string, Float64Array>();
  const missing: { sku: string; days: number }[] = [];
  const bySku = new Map(data.series.map((s) => [s.sku, s]));

  /** Forecast at day t from the history before it: the inputs of the simulation, before calibration. */
  const forecastAt = async (t: number, fitNow: boolean): Promise<{ hist: SalesData; sims: SkuInput[] } | undefined> => {
    const history = historyBefore(data, t);
    let origin = Number.NEGATIVE_INFINITY;
    for (const s of history.series) origin = Math.max(origin, s.start + (s.units.length - 1) * step);
    if (!Number.isFinite(origin)) return undefined;
    const offset = t - (origin + step);
    let horizon = Math.max(input.horizon, Math.ceil((offset + maxNeeded) / step));
    if (input.forecaster.maxHorizon !== undefined) horizon = Math.min(horizon, input.forecaster.maxHorizon);
    const wanted = history.series.filter((s) => needed.has(s.sku));
    const hist = { ...history, series: wanted };
    if (fitNow && input.forecaster.fit !== undefined) await input.forecaster.fit(hist);
    const forecasts = await input.forecaster.predict(hist, origin, horizon, actualFuture(data, wanted.map((s) => s.sku), origin, horizon));
    const sims: SkuInput[] = [];
    for (const s of wanted) {
      const f = forecasts.get(s.sku);
      if (f === undefined || f.mean.length < horizon || f.sd.length < horizon || !finiteOver(f.mean, horizon) || !finiteOver(f.sd, horizon)) continue;
      const lt = input.leadTimes.get(s.sku)!;
      const daily = dailyFrom(f, horizon, step, offset, cover.get(s.sku)!);
      if (daily.extended && t >= from) extended++;
      // Calibrated on past errors, the spread already holds their correlation; otherwise the forecaster's own.
      const widen = calibration === undefined ? protectionSpreadFactor(lt, policy, step, input.forecaster.errorCorr ?? 0) : 1;
      const sd = widen === 1 ? daily.sd : daily.sd.map((v) => v * widen);
      sims.push({ sku: s.sku, demand: { mean: daily.mean, sd }, lead: leadAt(s.sku, s, t), orderQty: lt.orderQty });
    }
    if (calibration !== undefined) calibration.record(t, sims, needed);
    return { hist, sims };
  };

  const cal = input.calibration;
  const calibration = cal === undefined ? undefined : new SpreadCalibration(cal.window);
  const factors: { day: number; factor: number; errors: number }[] = [];
  let fits = 0;
  const fitDue = () => input.refitEvery !== undefined && fits++ % input.refitEvery === 0;
  if (cal !== undefined) for (let k = cal.warmup; k >= 1; k--) await forecastAt(from - k * every, fitDue());

  for (const [index, t] of replans.entries()) {
    const fresh = new Set<string>();
    const freshClassic = new Set<string>();
    const made = await forecastAt(t, fitDue());
    if (made !== undefined) {
      const { hist } = made;
      let sims = made.sims;
      if (calibration !== undefined) {
        const c = calibration.factor(t, historyBefore(data, t));
        factors.push({ day: t, ...c });
        if (c.factor !== 1) sims = sims.map((x) => ({ ...x, demand: { mean: x.demand.mean, sd: x.demand.sd.map((v) => v * c.factor) } }));
      }
      const results = await simulate(sims, { ...input.sim, serviceLevel: levels[0]!, seed: keyedSeed(input.seed, `replan\u0000${t}`) }, levels);
      for (const [i, r] of results.entries()) {
        fresh.add(sims[i]!.sku);
        for (const [k, p] of r.entries()) mc[k]!.set(p.sku, { sku: p.sku, reorderPoint: p.reorderPoint, orderUpTo: p.orderUpTo, leadTimeMean: p.leadTimeMean, leadTimeSd: p.leadTimeSd });
      }
      if (input.classic !== undefined) {
        for (const [k, level] of levels.entries()) {
          const build = classicPolicies(hist, t, input.leadTimes, { serviceLevel: level, orderDays: input.classic.orderDays, matchQ: mc[k], historyDays: input.classic.historyDays });
          for (const p of build.policies) {
            cl[k]!.set(p.sku, p);
            freshClassic.add(p.sku);
          }
        }
      }
    }
    input.onReplan?.({ index, total: replans.length, day: t });

    if (index === 0) {
      for (const s of withLead) {
        if (!mc[0]!.has(s.sku)) excluded.push({ sku: s.sku, reason: `no forecast from ${input.forecaster.name} with the data before the first replan date` });
        else if (input.classic !== undefined && !cl[0]!.has(s.sku)) excluded.push({ sku: s.sku, reason: 'classic baseline needs 2 observed periods before the first replan date' });
        else skus.push(s.sku);
      }
      skus = skus.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const sku of skus) {
        const s = bySku.get(sku)!;
        const w = dailyDemand(s, step, from, to);
        demand.set(sku, w.demand);
        if (w.missingDays > 0) missing.push({ sku, days: w.missingDays });
        if (input.priceCovariate !== undefined) price.set(sku, dailyCovariate(s, input.priceCovariate, step, from, to));
      }
      const kinds = input.classic !== undefined ? [mcName, 'classic'] : [mcName];
      for (const name of kinds) {
        for (const [k, level] of levels.entries()) {
          const current = name === mcName ? mc[k]! : cl[k]!;
          const states = new Map<string, SkuReplayState>();
          for (const sku of skus) {
            const opening = input.opening?.get(sku) ?? { onHand: current.get(sku)!.orderUpTo };
            states.set(sku, new SkuReplayState(opening, input.unmet, skuLeadTimeSampler(input.seed, sku, input.leadTimes.get(sku)!), input.reviewPeriod));
          }
          tracks.push({ name, level, k, states });
        }
      }
    }
    for (const sku of skus) {
      if (!fresh.has(sku)) {
        keptMcCount++;
        keptMc.add(sku);
      }
      if (input.classic !== undefined && !freshClassic.has(sku)) {
        keptClCount++;
        keptCl.add(sku);
      }
    }
    if (plans !== undefined) {
      for (const tr of tracks) {
        const current = tr.name === mcName ? mc[tr.k]! : cl[tr.k]!;
        const isFresh = tr.name === mcName ? fresh : freshClassic;
        for (const sku of skus) {
          const p = current.get(sku)!;
          plans.push({ day: t, policy: tr.name, serviceLevel: tr.level, sku, reorderPoint: p.reorderPoint, orderUpTo: p.orderUpTo, fresh: isFresh.has(sku) });
        }
      }
    }

    // Replay until the next replan date.
    const end = Math.min(to, t + every - 1);
    for (const tr of tracks) {
      const current = tr.name === mcName ? mc[tr.k]! : cl[tr.k]!;
      for (const sku of skus) {
        const p = current.get(sku)!;
        const state = tr.states.get(sku)!;
        const d = demand.get(sku)!;
        const pr = price.get(sku);
        const c = input.constraints?.get(sku);
        for (let day = t; day <= end; day++) state.step(d[day - from]!, p.reorderPoint, p.orderUpTo, c, pr?.[day - from]);
      }
    }
  }

  const outcomes: ReplanOutcome[] = tracks.map((tr) => {
    const perSku: ReplanSkuOutcome[] = skus.map((sku) => {
      const st = tr.states.get(sku)!;
      return { sku, ...st.metrics(), avgValue: input.priceCovariate === undefined ? Number.NaN : st.avgValue() };
    });
    let value = 0;
    for (const m of perSku) value += m.avgValue;
    return { name: tr.name, serviceLevel: tr.level, perSku, totals: { ...totals(perSku), avgValue: input.priceCovariate === undefined ? Number.NaN : value } };
  });
  excluded.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const kept = [{ policy: mcName, count: keptMcCount, skus: [...keptMc].sort() }];
  if (input.classic !== undefined) kept.push({ policy: 'classic', count: keptClCount, skus: [...keptCl].sort() });
  return { days: to - from + 1, replans, skus, outcomes, excluded, missing, kept, extended, calibration: factors, ...(plans === undefined ? {} : { plans }) };
}
