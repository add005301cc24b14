/**
 * The real Walmart store-department data from ../shared/data/walmart, turned into stockcast's long
 * format once and cached (never committed): date,sku,units,holiday,markdown1..markdown5.
 * sku = "<Store>-<Dept>"; markdowns are store-level promotional markdowns in dollars, NA -> 0.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, strFromU8 } from 'fflate';

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root (this file runs from dist/bench/). */
export const REPO_ROOT = resolve(here, existsSync(resolve(here, '../package.json')) ? '..' : '../..');
/** STOCKCAST_WALMART_DIR, else ../shared next to the checkout (/work/main), or two levels up from a worktree (/work/wt/NAME). */
export const WALMART_DIR =
  process.env.STOCKCAST_WALMART_DIR ??
  [resolve(REPO_ROOT, '../shared/data/walmart'), resolve(REPO_ROOT, '../../shared/data/walmart')].find((d) => existsSync(d)) ??
  resolve(REPO_ROOT, '../shared/data/walmart');
export const CACHE_DIR = join(REPO_ROOT, '.bench-cache');

/** Path of `name` in CACHE_DIR, written from `make()` on first use (to a temporary file, then renamed). */
export function cachedFile(name: string, make: () => string): string {
  const out = join(CACHE_DIR, name);
  if (existsSync(out)) return out;
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(`${out}.tmp`, make());
  renameSync(`${out}.tmp`, out);
  return out;
}

export const WALMART_COVARIATES = ['holiday', 'markdown1', 'markdown2', 'markdown3', 'markdown4', 'markdown5'];

/** Path of the long-format Walmart CSV, or undefined (with the reason) when the data is absent. */
export function prepareWalmart(): { path?: string; reason?: string } {
  const zip = join(WALMART_DIR, 'train.csv.zip');
  const features = join(WALMART_DIR, 'features.csv');
  if (!existsSync(zip) || !existsSync(features)) return { reason: `Walmart data not found in ${WALMART_DIR}` };
  const out = join(CACHE_DIR, 'walmart-sales.csv');
  if (existsSync(out)) return { path: out };

  const feat = new Map<string, string>();
  const flines = readFileSync(features, 'utf8').split(/\r?\n/);
  const fh = flines[0]!.split(',');
  const col = (n: string) => fh.indexOf(n);
  for (const line of flines.slice(1)) {
    if (!line) continue;
    const f = line.split(',');
    const md = [1, 2, 3, 4, 5].map((k) => {
      const v = f[col(`MarkDown${k}`)]!;
      return v === 'NA' || v === '' ? '0' : v;
    });
    const hol = f[col('IsHoliday')] === 'TRUE' ? '1' : '0';
    feat.set(`${f[col('Store')]}|${f[col('Date')]}`, `${hol},${md.join(',')}`);
  }

  const files = unzipSync(readFileSync(zip), { filter: (e) => e.name === 'train.csv' });
  const text = strFromU8(files['train.csv']!);
  const lines = text.split(/\r?\n/);
  const outLines = [`date,sku,units,${WALMART_COVARIATES.join(',')}`];
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const [store, dept, date, sales, isHol] = line.split(',');
    const f = feat.get(`${store}|${date}`) ?? `${isHol === 'TRUE' ? 1 : 0},0,0,0,0,0`;
    outLines.push(`${date},${store}-${dept},${sales},${f}`);
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(`${out}.tmp`, `${outLines.join('\n')}\n`);
  renameSync(`${out}.tmp`, out);
  return { path: out };
}
