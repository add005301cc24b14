/**
 * Classical baselines fitted and forecast on worker threads. `forecast train` refits promo_regression,
 * arimax and ets at each of its rolling origins (combination-cv.ts), `forecast evaluate` every
 * baseline at every cutoff, `forecast predict` the shipped combination's classical members: each
 * of those is one job (a model, a history, an origin, a horizon and a plan) that depends on no
 * other, and they are pure JavaScript on one thread. Run on a pool they use every core.
 *
 * A job computes exactly what `fit(history)` then `predict(history, origin, horizon, plan)` computes
 * in this thread (same code, same inputs: results are identical whatever the number of threads,
 * and come back in job order). When the compiled worker script cannot run (TypeScript sources,
 * under vitest) or one thread is asked for, the jobs run here. A job that fails on a worker is run
 * again here, so the error the caller sees is the one this thread would have raised.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FuturePlan, SalesData } from '../core/types.js';
import { BASELINES, type BaselineName } from './baselines/index.js';
import type { PredictCall, SeriesForecast } from './forecaster.js';

export interface RefitJob {
  model: BaselineName;
  history: SalesData;
  origin: number;
  horizon: number;
  plan: FuturePlan;
}

export type RefitResult = Map<string, SeriesForecast>;

const WORKER_URL = new URL('./refit-worker.js', import.meta.url);

/** Whether worker threads can run here (compiled JavaScript, not TypeScript sources). */
export function refitWorkersAvailable(): boolean {
  return import.meta.url.endsWith('.js');
}

/** One job in this thread: a fresh model fitted on the job's history, then its forecast. */
export async function runRefitJob(job: RefitJob): Promise<RefitResult> {
  const model = BASELINES[job.model]();
  await model.fit(job.history);
  return model.predict(job.history, job.origin, job.horizon, job.plan);
}

/**
 * The history with every array copied into its own buffer: posting a typed array that views a
 * larger buffer would copy the whole buffer once per array.
 */
function own(history: SalesData): SalesData {
  return {
    ...history,
    covariates: [...history.covariates],
    series: history.series.map((s) => ({ sku: s.sku, start: s.start, units: s.units.slice(), covariates: s.covariates.map((c) => c.slice()), observed: s.observed.slice() })),
  };
}

function ownPlan(plan: FuturePlan): FuturePlan {
  return new Map([...plan].map(([sku, cov]) => [sku, cov.map((c) => c.slice())]));
}

/** A job's forecasts with every typed array in its own buffer (what a worker posts back). */
export function ownResult(result: RefitResult): RefitResult {
  const copy = (v: unknown): unknown => (v instanceof Float64Array ? v.slice() : v instanceof Map ? new Map([...v].map(([k, x]) => [k, copy(x)])) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) : v);
  return new Map([...result].map(([sku, f]) => [sku, copy(f) as SeriesForecast]));
}

/** Threads for `jobs` jobs: `requested` (default one per core), at most one per job. */
export function refitThreads(jobs: number, requested?: number): number {
  return Math.max(1, Math.min(jobs, requested ?? availableParallelism()));
}

interface Reply {
  id: number;
  result?: RefitResult;
  error?: string;
}

export interface RefitRun {
  /** One per job, in job order. */
  results: RefitResult[];
  /** Worker threads that ran at least one job (0: everything ran in this thread). */
  threads: number;
}

/**
 * Every job's forecasts, in job order, on up to `threads` worker threads (default one per core).
 * Jobs are handed out in the order given, each to the first free thread: put the slow ones first.
 */
export async function runRefitJobs(jobs: readonly RefitJob[], threads?: number): Promise<RefitRun> {
  const n = refitThreads(jobs.length, threads);
  if (n <= 1 || !refitWorkersAvailable()) {
    const results: RefitResult[] = [];
    for (const job of jobs) results.push(await runRefitJob(job));
    return { results, threads: 0 };
  }
  let used = 0;
  const results: (RefitResult | undefined)[] = new Array(jobs.length);
  let next = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: n }, async () => {
        let worker: Worker | undefined;
        try {
          worker = new Worker(WORKER_URL);
        } catch {
          worker = undefined;
        }
        if (worker !== undefined) {
          workers.push(worker);
          // An error between two jobs must not go unhandled; during a job `ask` sees it.
          worker.on('error', () => {});
        }
        let ran = false;
        while (next < jobs.length) {
          const id = next++;
          const reply = worker === undefined ? undefined : await ask(worker, id, jobs[id]!);
          if (reply?.result !== undefined) {
            results[id] = reply.result;
            if (!ran) used++;
            ran = true;
          } else {
            // The thread is of no more use once it failed: its remaining share goes to the others or here.
            if (worker !== undefined) await worker.terminate();
            worker = undefined;
            break;
          }
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // Jobs a worker could not run (or jobs left when every worker failed), in this thread and in order.
  for (let id = 0; id < jobs.length; id++) if (results[id] === undefined) results[id] = await runRefitJob(jobs[id]!);
  return { results: results as RefitResult[], threads: used };
}

/** Posts one job and waits for its reply; undefined when the worker errs or exits first. */
function ask(worker: Worker, id: number, job: RefitJob): Promise<Reply | undefined> {
  return new Promise((resolve) => {
    const done = (r: Reply | undefined) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve(r);
    };
    const onMessage = (m: Reply) => {
      if (m.id === id) done(m);
    };
    const onError = () => done(undefined);
    const onExit = () => done(undefined);
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    try {
      worker.postMessage({ id, job: { ...job, history: own(job.history), plan: ownPlan(job.plan) } });
    } catch {
      done(undefined);
    }
  });
}

/** Slowest first, so that two threads finish close together (arimax and promo_regression dominate). */
const COST_RANK: Partial<Record<BaselineName, number>> = { arimax: 0, promo_regression: 1, ets: 2 };

/**
 * Forecasts of every classical model in `models` for every call, computed on the pool:
 * `out[c].get(model)` is what a fresh `model` fitted on call c's history forecasts there. Models
 * named `undefined` (not a registry baseline) are skipped.
 */
export async function refitAll(models: readonly (BaselineName | undefined)[], calls: readonly PredictCall[], threads?: number): Promise<Map<BaselineName, RefitResult>[]> {
  const jobs: { call: number; model: BaselineName }[] = [];
  for (let c = 0; c < calls.length; c++) for (const model of models) if (model !== undefined) jobs.push({ call: c, model });
  jobs.sort((a, b) => (COST_RANK[a.model] ?? 9) - (COST_RANK[b.model] ?? 9) || a.call - b.call);
  const { results } = await runRefitJobs(
    jobs.map((j) => ({ model: j.model, ...calls[j.call]! })),
    threads,
  );
  const out = calls.map(() => new Map<BaselineName, RefitResult>());
  jobs.forEach((j, i) => out[j.call]!.set(j.model, results[i]!));
  return out;
}
