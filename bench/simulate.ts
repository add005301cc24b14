/**
 * `npm run bench simulate`: 10,000 SKUs x 10,000 paths, 14-day lead times, fixed and stochastic
 * (gamma, sd 3 days), normal daily demand, (s,Q) with a 95% cycle service level, on every core.
 *
 * A "draw" is one daily demand value actually generated (a whole day, or the part of a day at the
 * end of a fractional lead time): the engine simulates every day, it takes no shortcut such as
 * "the sum of 14 normal days is one normal". Each SKU's time also includes sampling lead times,
 * the quantile, the fill rate and the moments. Reference: a vectorised NumPy implementation of the
 * same model (NumPy's generator, one process) does about 75 M daily draws/s on the 2-core machine.
 *
 * SIMULATE_BENCH_SKUS / SIMULATE_BENCH_PATHS shrink the run while developing.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { SimConfig, SkuInput } from '../src/simulation/montecarlo/engine.js';
import { simulateAll, simulateInThread } from '../src/simulation/montecarlo/workers.js';

function skus(n: number, leadSd: number): SkuInput[] {
  const out: SkuInput[] = [];
  for (let k = 0; k < n; k++) {
    const mu = 20 + (k % 181);
    const days = 28;
    out.push({
      sku: `SKU-${String(k).padStart(6, '0')}`,
      demand: { mean: new Float64Array(days).fill(mu), sd: new Float64Array(days).fill(mu * 0.25) },
      lead: { mean: 14, sd: leadSd },
    });
  }
  return out;
}

function load(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

/** CPU seconds (user + system, every thread of this process) since `from`. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1e6;
}

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback;
}

export async function bench(): Promise<void> {
  const nSkus = envInt('SIMULATE_BENCH_SKUS', 10_000);
  const paths = envInt('SIMULATE_BENCH_PATHS', 10_000);
  const cores = availableParallelism();
  const cfg: SimConfig = { paths, seed: 42, serviceLevel: 0.95, serviceType: 'cycle', policy: { kind: 'sQ' }, demandDist: 'normal' };
  console.log(`${nSkus} SKUs x ${paths} paths, (s,Q), normal daily demand, 14-day lead time; ${cores} worker threads`);
  console.log('| case | threads | seconds | SKUs/s | daily draws | M draws/s | M draws/CPU-s | load avg before -> after |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [name, leadSd] of [
    ['fixed L = 14', 0],
    ['gamma L, mean 14, sd 3', 3],
  ] as const) {
    const inputs = skus(nSkus, leadSd);
    const before = load();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const { results, threads } = await simulateAll(inputs, cfg, { workers: cores });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(c0);
    const draws = results.reduce((s, r) => s + r.draws, 0);
    console.log(
      `| ${name} | ${threads} | ${seconds.toFixed(2)} | ${Math.round(nSkus / seconds)} | ${(draws / 1e9).toFixed(3)} G | ${(draws / seconds / 1e6).toFixed(1)} | ${(draws / cpu / 1e6).toFixed(1)} | ${before} -> ${load()} |`,
    );
  }
  // One core, to separate the per-core speed from the scaling.
  const small = skus(Math.max(1, Math.floor(nSkus / 10)), 0);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const res = simulateInThread(small, cfg);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(c0);
  const draws = res.reduce((s, r) => s + r.draws, 0);
  console.log(
    `| fixed L = 14, ${small.length} SKUs | main thread only | ${seconds.toFixed(2)} | ${Math.round(small.length / seconds)} | ${(draws / 1e9).toFixed(3)} G | ${(draws / seconds / 1e6).toFixed(1)} | ${(draws / cpu / 1e6).toFixed(1)} | ${load()} |`,
  );
  console.log('draw = one simulated daily demand value (no sum-of-normals shortcut); target: >= 150 M draws/s (2x NumPy at ~75 M/s)');
  console.log('M draws/CPU-s = draws per second of CPU time of all threads: the per-core speed, less sensitive to other load');
}
