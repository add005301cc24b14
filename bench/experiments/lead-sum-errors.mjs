// How much wider the errors of a forecast summed over k consecutive periods are than the
// simulation assumes. `stock simulate` turns each period of a `forecast predict` file into the mean
// and sd its median and p10/p90 imply (momentsFromMedian) and draws the periods of a lead time
// independently, so it takes the variance of a k-period sum as the sum of the periods' variances.
// This script scores that assumption against the actuals (built with `npm run build` first):
//   node bench/experiments/lead-sum-errors.mjs forecast.csv sales.csv [k,k,...]
// forecast.csv: `forecast predict` output (sku,date,forecast,sd,p10,p90,...); sales.csv: the sales
// with the actuals of those dates (date,sku,units,...). For every SKU and every block of k
// consecutive forecast periods with all actuals known (blocks do not overlap), z = (sum of actuals
// - sum of implied means) / sqrt(sum of implied variances). Prints, per k: the blocks, the sd and
// mean of z (sd 1 = the simulation's spread is right; above 1 = errors correlated across periods),
// and the share of z above 1.645.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { momentsFromMedian } from '../../dist/src/core/stats.js';

const [fcFile, salesFile, ks = '1,7,14,28'] = process.argv.slice(2);
if (fcFile === undefined || salesFile === undefined) {
  console.error('usage: node bench/experiments/lead-sum-errors.mjs forecast.csv sales.csv [k,k,...]');
  process.exit(2);
}

/** The records of a CSV file as objects keyed by its header (quoted SKU ids included). */
const rows = (file) => parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true });

const actual = new Map(rows(salesFile).map((r) => [`${r.sku}|${r.date}`, Number(r.units)]));
const bySku = new Map();
for (const r of rows(fcFile)) {
  if (!bySku.has(r.sku)) bySku.set(r.sku, []);
  bySku.get(r.sku).push(r);
}
for (const k of ks.split(',').map(Number)) {
  const zs = [];
  for (const list of bySku.values()) {
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    for (let s = 0; s + k <= list.length; s += k) {
      const block = list.slice(s, s + k);
      if (block.some((r) => !actual.has(`${r.sku}|${r.date}`))) continue;
      let err = 0;
      let variance = 0;
      for (const r of block) {
        const m = momentsFromMedian(Number(r.forecast), Number(r.p10), Number(r.p90));
        err += actual.get(`${r.sku}|${r.date}`) - m.mean;
        variance += m.sd * m.sd;
      }
      if (variance > 0) zs.push(err / Math.sqrt(variance));
    }
  }
  const n = zs.length;
  const sd = Math.sqrt(zs.reduce((a, z) => a + z * z, 0) / n);
  const mean = zs.reduce((a, z) => a + z, 0) / n;
  const above = zs.filter((z) => z > 1.645).length / n;
  console.log(`k=${k}: ${n} blocks, sd(z) ${sd.toFixed(2)}, mean(z) ${mean.toFixed(2)}, z > 1.645: ${(100 * above).toFixed(1)}%`);
}
