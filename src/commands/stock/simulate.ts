/** `stock simulate`: read forecasts and lead times, simulate every SKU's policy (pure, in workers), write it. */
import { availableParallelism } from 'node:os';
import { InputError } from '../../errors.js';
import { POLICY_CONTRACT } from '../../core/contracts/policy.js';
import type { Cell } from '../../core/contracts/table.js';
import type { SkuLeadTime } from '../../core/types.js';
import { describeSource, isDefaultSource, readForecastFile } from '../../io/forecast-file.js';
import { readLeadTimes } from '../../io/lead-times.js';
import { emit } from '../../io/output.js';
import { defaultFormat, render } from '../../io/table.js';
import { buildInputs } from '../../simulation/montecarlo/inputs.js';
import type { SimConfig, SkuResult } from '../../simulation/montecarlo/engine.js';
import type { Policy } from '../../simulation/montecarlo/policy.js';
import { simulateAll } from '../../simulation/montecarlo/workers.js';
import { absPath, checkPaths, stdinOnce, terminalWidth } from '../_paths.js';
import type { Context } from '../command.js';
import { SIMULATE_COLUMNS, type SimulateOptions } from './simulate.options.js';

/** Paths expected beyond the service-level quantile below which simulate warns. */
export const MIN_TAIL_PATHS = 10;

function list(skus: string[], max = 10): string {
  return skus.length <= max ? skus.join(', ') : `${skus.slice(0, max).join(', ')} ... (${skus.length - max} more)`;
}

/** The policy file's row of one simulated SKU (core/contracts/policy.ts). */
export function resultRow(r: SkuResult, policy: Policy): Cell[] {
  return POLICY_CONTRACT.row({ ...r, policy: policy.kind, reviewPeriod: policy.kind === 'RS' ? policy.review : 0 });
}

export async function run(options: SimulateOptions, ctx: Context): Promise<void> {
  const inputs: [string, string | undefined][] = [['--forecast', options.forecast], ['--lead-times', options.leadTimes]];
  stdinOnce(inputs);
  await checkPaths(ctx, [['--out', options.out]], inputs);
  const path = (p: string) => absPath(ctx, p);
  const forecast = await readForecastFile(path(options.forecast), {
    delimiter: options.delimiter,
    decimal: options.decimal,
    dateFormat: options.dateFormat,
    freq: options.freq,
    stdin: ctx.stdin,
    skuCol: options.skuCol,
    dateCol: options.dateCol,
    forecastCol: options.forecastCol,
    intervalCols: options.intervalCols,
    intervalLevel: options.intervalLevel,
    point: options.point,
  });
  if (!isDefaultSource(forecast.source)) ctx.log.info(`${options.forecast}: ${describeSource(forecast.source)}`);
  const leadTimes: Map<string, SkuLeadTime> =
    options.leadTimes !== undefined ? await readLeadTimes(path(options.leadTimes), { delimiter: options.delimiter, decimal: options.decimal, stdin: ctx.stdin }) : new Map();
  const policy: Policy = options.reviewPeriod === undefined ? { kind: 'sQ' } : { kind: 'RS', review: options.reviewPeriod };
  const defaultLead = options.leadTime === undefined ? undefined : { mean: options.leadTime, sd: options.leadTimeSd };

  const built = buildInputs(forecast.bySku, forecast.step, leadTimes, defaultLead, policy, options.shard, options.validDays, options.errorCorr);
  if (built.missingLeadTime.length > 0) {
    throw new InputError(
      `${built.missingLeadTime.length} SKU(s) of ${options.forecast} have no lead time: ${list(built.missingLeadTime)}`,
      [],
      options.leadTimes === undefined ? 'pass --lead-time DAYS' : `add them to ${options.leadTimes}, or pass --lead-time DAYS as a default`,
    );
  }
  if (built.shortHorizon.length > 0 && options.extendHorizon === undefined) {
    throw new InputError(
      `${built.shortHorizon.length} SKU(s) have a forecast shorter than their protection interval`,
      built.shortHorizon.slice(0, 50).map((s) => ({
        file: options.forecast,
        message: `SKU ${s.sku}: the forecast covers ${s.days} day(s), the protection interval needs ${s.needed}`,
      })),
      `forecast at least ${Math.max(...built.shortHorizon.map((x) => x.needed))} days ahead (retrain with a longer \`forecast train --horizon\`, then predict again), ` +
        "or pass --extend-horizon repeat-last to repeat each forecast's last day",
      Math.max(0, built.shortHorizon.length - 50),
    );
  }
  if (built.unusedLeadTimes.length > 0) ctx.log.warn(`${built.unusedLeadTimes.length} SKU(s) in ${options.leadTimes} have no forecast and are skipped: ${list(built.unusedLeadTimes)}`);

  if (built.widened.length > 0) {
    const rhos = built.widened.map((w) => w.rho);
    const factors = built.widened.map((w) => w.factor);
    const range = (xs: number[], digits: number) => {
      const lo = xs.reduce((a, b) => Math.min(a, b)).toFixed(digits);
      const hi = xs.reduce((a, b) => Math.max(a, b)).toFixed(digits);
      return lo === hi ? lo : `${lo} to ${hi}`;
    };
    ctx.log.info(
      `forecast errors correlated between periods (${options.errorCorr === undefined ? 'error_corr column' : '--error-corr'} ${range(rhos, 3)}): ` +
        `the lead-time demand of ${built.widened.length} SKU(s) widened x${range(factors, 3)} (--error-corr 0 treats periods as independent)`,
    );
  }

  if (options.validDays === 'forecast' && built.inputs.length > 0) {
    const vd = built.inputs.map((i) => i.validDays ?? 1);
    const lo = vd.reduce((a, b) => Math.min(a, b));
    const hi = vd.reduce((a, b) => Math.max(a, b));
    ctx.log.info(
      `each policy protects orders leaving on any of the ${lo === hi ? lo : `${lo} to ${hi}`} day(s) its SKU's forecast covers (--valid-days forecast; ` +
        'a policy replaced every night: --valid-days 1)',
    );
  }

  const instant = built.inputs.filter((i) => i.lead.mean === 0 && options.reviewPeriod === undefined).map((i) => i.sku);
  if (instant.length > 0) {
    ctx.log.warn(`${instant.length} SKU(s) have a lead time of 0 days: delivery is taken as instant, so their reorder point is 0 and no safety stock is held: ${list(instant)}`);
  }

  // A quantile needs paths beyond it: with fewer than MIN_TAIL_PATHS expected above the reorder
  // point, the estimate is just the largest few simulated demands.
  const tail = options.paths * (1 - options.serviceLevel);
  if (tail < MIN_TAIL_PATHS) {
    const need = Math.ceil(MIN_TAIL_PATHS / (1 - options.serviceLevel));
    ctx.log.warn(
      `--service-level ${options.serviceLevel} with ${options.paths} paths: only ${tail < 0.01 ? tail.toPrecision(2) : tail.toFixed(2)} paths are expected beyond the reorder point, ` +
        `too few to estimate it (the policy rests on the few largest simulated demands); use --paths ${need <= 10_000_000 ? `>= ${need}` : '10000000 and a lower level'}`,
    );
  }

  const cfg: SimConfig = {
    paths: options.paths,
    seed: options.seed,
    serviceLevel: options.serviceLevel,
    serviceType: options.serviceType,
    policy,
    demandDist: options.demandDist,
    orderQty: options.orderQty,
    orderCost: options.orderCost,
    holdingCost: options.holdingCost,
    validDays: options.validDays === 'forecast' ? undefined : options.validDays,
  };
  const workers = options.workers ?? availableParallelism();
  const started = Date.now();
  const progress = ctx.log.progress('simulating', built.inputs.length);
  const { results, threads } = await simulateAll(built.inputs, cfg, { workers, onProgress: (done) => progress.update(done) });
  const seconds = (Date.now() - started) / 1000;
  const dists = new Map<string, number>();
  for (const r of results) dists.set(r.distribution, (dists.get(r.distribution) ?? 0) + 1);
  const shard = options.shard === undefined ? '' : ` (shard ${options.shard.index}/${options.shard.count})`;
  progress.finish(
    `simulated ${results.length} SKU(s)${shard} x ${options.paths} paths in ${seconds.toFixed(1)}s on ${threads === 0 ? 'the main thread' : `${threads} worker thread(s)`}; ` +
      `demand: ${[...dists].map(([d, n]) => `${d} ${n}`).join(', ') || 'none'}`,
  );
  if (options.shard !== undefined && options.shard.count > 1) {
    ctx.log.info(`merge the ${options.shard.count} shard files with: stockcast stock merge --shards ${options.shard.count} --in FILE...`);
  }

  const beyond = results.filter((r) => r.pathsBeyondHorizon > 0);
  if (beyond.length > 0 && options.extendHorizon === undefined) {
    const worst = beyond.reduce((a, b) => (b.pathsBeyondHorizon > a.pathsBeyondHorizon ? b : a));
    // A few tail draws (under 1% of any SKU's paths) barely move a quantile: said, not warned.
    const say = worst.pathsBeyondHorizon / worst.paths < 0.01 ? ctx.log.info.bind(ctx.log) : ctx.log.warn.bind(ctx.log);
    say(
      `${beyond.length} SKU(s) have lead-time draws longer than their forecast; those paths reuse the last forecast day ` +
        `(worst: ${worst.sku}, ${((100 * worst.pathsBeyondHorizon) / worst.paths).toFixed(1)}% of paths): ${list(beyond.map((r) => r.sku))}; ` +
        'retrain with a longer `forecast train --horizon` to forecast those days, or pass --extend-horizon repeat-last to accept this and silence this message',
    );
  }

  const format = options.format ?? defaultFormat(ctx.stdout.isTTY === true, options.out);
  await emit(absPath(ctx, options.out), render(format, SIMULATE_COLUMNS, results.map((r) => resultRow(r, policy)), { width: terminalWidth(ctx, options.out), priority: ['reorder_point', 'order_up_to', 'safety_stock', 'fill_rate', 'cycle_service_level', 'demand_mean'], escapeFormulas: options.escapeFormulas, decimals: { service_level_target: 10 }, ...options.output }), ctx.stdout);
}
