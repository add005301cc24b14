/**
 * Ingest benchmark: readSales on a generated 1,000,000-row daily file (1,000 SKUs x 1,000 days,
 * 3 covariates; seeded, cached in .bench-cache/) and on the real Walmart data when present.
 * Each measurement runs in a fresh child process so its peak RSS is its own.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import seedrandom from 'seedrandom';
import { formatDay } from '../src/core/calendar.js';
import { readSales } from '../src/io/sales.js';
import type { IngestOptions } from '../src/core/types.js';
import { CACHE_DIR, prepareWalmart } from './walmart.js';

const SKUS = 1000;
const DAYS = 1000;

/** Write the 1M-row file once (same seed -> same bytes). */
export async function generateIngestFile(path = join(CACHE_DIR, 'ingest-1m.csv')): Promise<string> {
  if (existsSync(path)) return path;
  mkdirSync(CACHE_DIR, { recursive: true });
  const rng = seedrandom('stockcast-bench-ingest');
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('date,sku,units,price,promo,holiday\n');
  const base = Array.from({ length: SKUS }, () => 1 + rng() * 40);
  const price = Array.from({ length: SKUS }, () => (1 + Math.floor(rng() * 50)) - 0.01);
  const start = 19_000;
  for (let d = 0; d < DAYS; d++) {
    const date = formatDay(start + d);
    const holiday = d % 61 === 0 ? 1 : 0;
    const lines: string[] = [];
    for (let k = 0; k < SKUS; k++) {
      const promo = (d + k) % 45 < 5 ? 1 : 0;
      const units = Math.floor(base[k]! * (promo ? 1.8 : 1) * (0.5 + rng()));
      lines.push(`${date},SKU-${String(k).padStart(4, '0')},${units},${(promo ? price[k]! * 0.8 : price[k]!).toFixed(2)},${promo},${holiday}`);
    }
    await write(`${lines.join('\n')}\n`);
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  renameSync(tmp, path);
  return path;
}

interface Measured {
  ms: number;
  /** CPU time of the process (user + system), less sensitive than wall time to a busy machine. */
  cpuMs: number;
  rows: number;
  skus: number;
  maxRssMiB: number;
}

const OPTS: IngestOptions = { dateCol: 'date', skuCol: 'sku', targetCol: 'units', delimiter: ',', dateFormat: 'YYYY-MM-DD', fill: 'missing', negative: 'zero' };

/** csv-parse alone, records discarded: the floor under readSales. */
async function parseOnly(path: string): Promise<{ rows: number; skus: number }> {
  let rows = -1;
  await new Promise<void>((resolve, reject) => {
    const parser = parse({ bom: true, relax_column_count: true });
    parser.on('data', () => rows++);
    parser.on('end', resolve);
    parser.on('error', reject);
    createReadStream(path).pipe(parser);
  });
  return { rows, skus: 0 };
}

/** Child-process side: read one file and print what it cost. */
async function child(mode: string, path: string): Promise<void> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { rows, skus } = mode === 'parse' ? await parseOnly(path) : (await readSales(path, OPTS)).report;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const m: Measured = { ms, cpuMs: (cpu.user + cpu.system) / 1000, rows, skus, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(m));
}

function measure(path: string, mode = 'read'): Measured {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ingest child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Measured;
}

function line(label: string, path: string, m: Measured): string {
  const mib = statSync(path).size / 2 ** 20;
  const skus = m.skus > 0 ? `, ${m.skus} SKUs` : '';
  return `${label}: ${m.rows.toLocaleString('en-US')} rows${skus}, ${mib.toFixed(0)} MiB in ${(m.ms / 1000).toFixed(2)} s (CPU ${(m.cpuMs / 1000).toFixed(2)} s) = ${Math.round(m.rows / (m.ms / 1000)).toLocaleString('en-US')} rows/s, peak RSS ${m.maxRssMiB.toFixed(0)} MiB`;
}

export async function bench(): Promise<void> {
  const path = await generateIngestFile();
  const runs = [measure(path), measure(path), measure(path)].sort((a, b) => a.ms - b.ms);
  console.log(line('readSales, generated 1M rows (median of 3)', path, runs[1]!));
  console.log(line('csv-parse alone, same file', path, measure(path, 'parse')));
  const walmart = prepareWalmart();
  if (walmart.path === undefined) {
    console.log(`Walmart: skipped (${walmart.reason})`);
    return;
  }
  console.log(line('readSales, Walmart (weekly, 6 covariates)', walmart.path, measure(walmart.path)));
}

if (process.argv[2] === '--child' && process.argv[1] === fileURLToPath(import.meta.url)) {
  child(process.argv[3]!, process.argv[4]!).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
