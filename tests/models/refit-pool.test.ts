/**
 * The classical refits on worker threads (models/refit-pool.ts). The worker script runs only as
 * compiled JavaScript, so the thread tests load the built copy (dist/, which npm test builds first)
 * and compare it with this thread's results: same forecasts, bit for bit, whatever the thread count.
 */
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BASELINES, type BaselineName } from '../../src/models/baselines/index.js';
import type { SeriesForecast } from '../../src/models/forecaster.js';
import { splitAt } from '../../src/models/holdout.js';
import type * as Pool from '../../src/models/refit-pool.js';
import { refitAll, runRefitJobs, runRefitJobsInBackground } from '../../src/models/refit-pool.js';
import { syntheticSales } from '../fixtures/forecast/synthetic.js';
import { REPO_ROOT } from '../helpers/cli.js';

const data = syntheticSales({ freq: 'W', skus: 12, periods: 120, seed: 11 });
const H = 6;
const calls = [90, 100, 110].map((n) => {
  const split = splitAt(data, data.series[0]!.start + n * data.step, H);
  return { history: split.history, origin: split.origin, horizon: H, plan: split.plan };
});
const MODELS: BaselineName[] = ['ets', 'arimax', 'promo_regression', 'naive'];

async function direct(model: BaselineName, call: (typeof calls)[number]): Promise<Map<string, SeriesForecast>> {
  const m = BASELINES[model]();
  await m.fit(call.history);
  return m.predict(call.history, call.origin, call.horizon, call.plan);
}

/** Every number of every forecast, as bits (NaN and -0 included), SKUs in order. */
function bits(f: Map<string, SeriesForecast>): string {
  const out: string[] = [];
  for (const [sku, s] of f) {
    out.push(sku, s.model);
    for (const a of [s.mean, s.sd, s.p10, s.p90]) out.push(Array.from(new Uint32Array(Float64Array.from(a).buffer)).join(' '));
  }
  return out.join('\n');
}

describe('refit pool', () => {
  test('in this thread (TypeScript sources): each job is a fresh fit + predict, results in job order', async () => {
    const jobs = [
      { model: 'arimax' as const, ...calls[0]! },
      { model: 'ets' as const, ...calls[2]! },
    ];
    const run = await runRefitJobs(jobs, 2);
    expect(run.threads).toBe(0);
    expect(bits(run.results[0]!)).toBe(bits(await direct('arimax', calls[0]!)));
    expect(bits(run.results[1]!)).toBe(bits(await direct('ets', calls[2]!)));
    const all = await refitAll(['ets', undefined, 'promo_regression'], calls);
    expect(all).toHaveLength(3);
    expect([...all[1]!.keys()].sort()).toEqual(['ets', 'promo_regression']);
    expect(bits(all[1]!.get('promo_regression')!)).toBe(bits(await direct('promo_regression', calls[1]!)));
  });

  test('on worker threads (the built copy): the same bits with 1, 2 and 5 threads, and the threads are used', async () => {
    const built = (await import(join(REPO_ROOT, 'dist/src/models/refit-pool.js'))) as typeof Pool;
    expect(built.refitWorkersAvailable()).toBe(true);
    const jobs = calls.flatMap((c) => MODELS.map((model) => ({ model, ...c })));
    const expected = await Promise.all(jobs.map((j) => direct(j.model, j)));
    for (const threads of [1, 2, 5]) {
      const run = await built.runRefitJobs(jobs, threads);
      expect(run.threads).toBe(threads === 1 ? 0 : threads);
      run.results.forEach((r, i) => expect(bits(r), `job ${i} with ${threads} threads`).toBe(bits(expected[i]!)));
    }
  }, 60_000);

  test.runIf(existsSync('/proc/thread-self'))('in the background (Linux): the worker threads at nice 19, this thread as it was, the same bits', async () => {
    const built = (await import(join(REPO_ROOT, 'dist/src/models/refit-pool.js'))) as typeof Pool;
    const jobs = calls.flatMap((c) => MODELS.map((model) => ({ model, ...c })));
    const expected = await Promise.all(jobs.map((j) => direct(j.model, j)));
    const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[16]);
    const main = readlinkSync('/proc/thread-self').split('/').pop()!;
    const before = niceOf(main);
    const run = built.runRefitJobsInBackground(jobs, 2);
    let seen = false;
    for (let i = 0; i < 2000 && !seen; i++) {
      for (const tid of readdirSync('/proc/self/task')) {
        try {
          if (tid !== main && niceOf(tid) === built.BACKGROUND_NICE) seen = true;
        } catch {
          // the thread ended meanwhile
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(seen).toBe(true);
    expect(niceOf(main)).toBe(before);
    const { results } = await run.finish();
    results.forEach((r, i) => expect(bits(r), `job ${i}`).toBe(bits(expected[i]!)));
  }, 60_000);

  test('finish right after the start: jobs stopped on the background threads run again at normal priority, the same bits', async () => {
    const built = (await import(join(REPO_ROOT, 'dist/src/models/refit-pool.js'))) as typeof Pool;
    const jobs = calls.flatMap((c) => MODELS.map((model) => ({ model, ...c })));
    const expected = await Promise.all(jobs.map((j) => direct(j.model, j)));
    const { results, threads } = await built.runRefitJobsInBackground(jobs, 2).finish();
    expect(threads).toBe(2);
    results.forEach((r, i) => expect(bits(r), `job ${i}`).toBe(bits(expected[i]!)));
    // In this thread (TypeScript sources: no workers) everything runs at finish.
    const here = await runRefitJobsInBackground(jobs.slice(0, 2), 2).finish();
    expect(here.threads).toBe(0);
    here.results.forEach((r, i) => expect(bits(r)).toBe(bits(expected[i]!)));
  }, 60_000);

  test('a job that fails on a worker is run again here, so the caller gets this thread\'s error', async () => {
    const built = (await import(join(REPO_ROOT, 'dist/src/models/refit-pool.js'))) as typeof Pool;
    const good = { model: 'naive' as const, ...calls[0]! };
    const bad = { ...good, model: 'no_such_model' as BaselineName };
    let here: unknown;
    try {
      await built.runRefitJob(bad);
    } catch (err) {
      here = err;
    }
    expect(here).toBeInstanceOf(Error);
    const run = built.runRefitJobs([good, bad, good], 2);
    await expect(run).rejects.toThrow((here as Error).message);
    await expect(run).rejects.toBeInstanceOf((here as Error).constructor);
  }, 60_000);
});
