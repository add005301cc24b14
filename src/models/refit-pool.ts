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

/** Nice value of background workers (Linux: the lowest priority, for those threads only). */
export const BACKGROUND_NICE = 19;

/** Set by a background run's `finish`: hand out no more jobs. */
interface Halt {
  stopped: boolean;
  workers: Set<Worker>;
}

/**
 * Runs the jobs on `n` worker threads at `nice`, each job to the first free thread, filling
 * `results`; returns how many threads ran a job. A thread that fails (or is terminated) stops taking
 * jobs; what it did not finish stays undefined for the caller to run elsewhere.
 */
async function workOn(jobs: readonly RefitJob[], n: number, nice: number, results: (RefitResult | undefined)[], halt?: Halt): Promise<number> {
  let used = 0;
  let next = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: n }, async () => {
        let worker: Worker;
        try {
          worker = new Worker(WORKER_URL, { workerData: { nice } });
        } catch {
          return;
        }
        workers.push(worker);
        if (halt !== undefined) {
          halt.workers.add(worker);
          // A background thread must not keep the process alive (finish terminates it anyway).
          worker.unref();
        }
        // An error between two jobs must not go unhandled; during a job `ask` sees it.
        worker.on('error', () => {});
        let ran = false;
        while (next < jobs.length && halt?.stopped !== true) {
          const id = next++;
          const reply = await ask(worker, id, jobs[id]!);
          // The thread is of no more use once it failed: its remaining share goes to the others or the caller.
          if (reply?.result === undefined) break;
          results[id] = reply.result;
          if (!ran) used++;
          ran = true;
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return used;
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
  const results: (RefitResult | undefined)[] = new Array(jobs.length);
  const used = await workOn(jobs, n, 0, results);
  // Jobs a worker could not run (or jobs left when every worker failed), in this thread and in order.
  for (let id = 0; id < jobs.length; id++) if (results[id] === undefined) results[id] = await runRefitJob(jobs[id]!);
  return { results: results as RefitResult[], threads: used };
}

/** A run started in the background; `finish` returns what runRefitJobs would have. */
export interface BackgroundRun<T> {
  finish(): Promise<T>;
}

/**
 * The jobs started now on up to `threads` worker threads at the lowest priority (BACKGROUND_NICE),
 * so that they use only what the rest of the process leaves of the cores: `train` starts its
 * rolling-origin refits this way while the networks train. `finish` stops handing out jobs, stops
 * the jobs still running there (on a busy machine a thread at the lowest priority could take very
 * long) and runs every job not done at normal priority (runRefitJobs). The results are the same
 * bits whichever thread computed them. Where worker threads cannot run, everything runs at `finish`.
 */
export function runRefitJobsInBackground(jobs: readonly RefitJob[], threads?: number): BackgroundRun<RefitRun> {
  const n = refitThreads(jobs.length, threads);
  const results: (RefitResult | undefined)[] = new Array(jobs.length);
  const halt: Halt = { stopped: false, workers: new Set() };
  const running = n > 1 && refitWorkersAvailable() ? workOn(jobs, n, BACKGROUND_NICE, results, halt).catch(() => 0) : Promise.resolve(0);
  return {
    async finish() {
      halt.stopped = true;
      await Promise.all([...halt.workers].map((w) => w.terminate()));
      const early = await running;
      const left = jobs.map((_, i) => i).filter((i) => results[i] === undefined);
      const rest = await runRefitJobs(left.map((i) => jobs[i]!), threads);
      left.forEach((i, k) => (results[i] = rest.results[k]));
      return { results: results as RefitResult[], threads: Math.max(early, rest.threads) };
    },
  };
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

/** The jobs of refitAll (slowest models first) and how their results map back to calls and models. */
function refitPlan(models: readonly (BaselineName | undefined)[], calls: readonly PredictCall[]) {
  const order: { call: number; model: BaselineName }[] = [];
  for (let c = 0; c < calls.length; c++) for (const model of models) if (model !== undefined) order.push({ call: c, model });
  order.sort((a, b) => (COST_RANK[a.model] ?? 9) - (COST_RANK[b.model] ?? 9) || a.call - b.call);
  return {
    jobs: order.map((j): RefitJob => ({ model: j.model, ...calls[j.call]! })),
    collect(results: readonly RefitResult[]): Map<BaselineName, RefitResult>[] {
      const out = calls.map(() => new Map<BaselineName, RefitResult>());
      order.forEach((j, i) => out[j.call]!.set(j.model, results[i]!));
      return out;
    },
  };
}

/**
 * Forecasts of every classical model in `models` for every call, computed on the pool:
 * `out[c].get(model)` is what a fresh `model` fitted on call c's history forecasts there. Models
 * named `undefined` (not a registry baseline) are skipped.
 */
export async function refitAll(models: readonly (BaselineName | undefined)[], calls: readonly PredictCall[], threads?: number): Promise<Map<BaselineName, RefitResult>[]> {
  const plan = refitPlan(models, calls);
  return plan.collect((await runRefitJobs(plan.jobs, threads)).results);
}

/** refitAll started now in the background (runRefitJobsInBackground); `finish` gives its result. */
export function refitAllInBackground(models: readonly (BaselineName | undefined)[], calls: readonly PredictCall[], threads?: number): BackgroundRun<Map<BaselineName, RefitResult>[]> {
  const plan = refitPlan(models, calls);
  const run = runRefitJobsInBackground(plan.jobs, threads);
  return { finish: async () => plan.collect((await run.finish()).results) };
}
