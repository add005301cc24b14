// Coverage of the 80% and 95% intervals on regular and event periods (src/models/period-kind.ts:
// a 0/1 column on, or a price column 5% or more under the SKU's median price), and the range of
// the 80% coverage over horizon steps, for every model of `forecast evaluate --forecasts FILE`.
// node bench/experiments/analyse-kinds.mjs cv.csv sales.csv
import { readFileSync } from 'node:fs';

const csv = (path) => {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  return { cols: head.split(','), rows: lines.map((l) => l.split(',')) };
};
const sales = csv(process.argv[3]);
const covs = sales.cols.filter((c) => !['date', 'sku', 'units'].includes(c));
const idx = (c) => sales.cols.indexOf(c);
const flags = covs.filter((c) => sales.rows.every((r) => r[idx(c)] === '' || r[idx(c)] === '0' || r[idx(c)] === '1'));
const prices = covs.filter((c) => /price/i.test(c) && !flags.includes(c));
const median = new Map();
for (const c of prices) {
  const by = new Map();
  for (const r of sales.rows) { const v = Number(r[idx(c)]); if (v > 0) (by.get(r[idx('sku')]) ?? by.set(r[idx('sku')], []).get(r[idx('sku')])).push(v); }
  for (const [sku, v] of by) { v.sort((a, b) => a - b); const m = v.length >> 1; median.set(`${c}|${sku}`, v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2); }
}
const kind = new Map();
for (const r of sales.rows) {
  const sku = r[idx('sku')];
  const ev = flags.some((c) => r[idx(c)] === '1') || prices.some((c) => Number(r[idx(c)]) > 0 && Number(r[idx(c)]) < 0.95 * median.get(`${c}|${sku}`));
  kind.set(`${sku}|${r[idx('date')]}`, ev ? 'event' : 'regular');
}
const cv = csv(process.argv[2]);
const at = (c) => cv.cols.indexOf(c);
const acc = new Map();
for (const r of cv.rows) {
  const k = kind.get(`${r[at('sku')]}|${r[at('date')]}`);
  if (k === undefined) continue;
  const y = Number(r[at('actual')]);
  const m = r[at('model')];
  const a = acc.get(m) ?? acc.set(m, { regular: [0, 0, 0, 0, 0], event: [0, 0, 0, 0, 0], steps: new Map() }).get(m);
  const in80 = y >= Number(r[at('lo-80')]) && y <= Number(r[at('hi-80')]);
  const in95 = y >= Number(r[at('lo-95')]) && y <= Number(r[at('hi-95')]);
  const g = a[k];
  g[0]++; g[1] += in80; g[2] += in95; g[3] += Math.abs(y - Number(r[at('forecast')])); g[4] += y;
  const s = a.steps.get(r[at('step')]) ?? [0, 0];
  s[0]++; s[1] += in80;
  a.steps.set(r[at('step')], s);
}
console.log(`flags: ${flags.join(' ') || '-'}; prices: ${prices.join(' ') || '-'}`);
console.log('| model | regular points | event points | regular WAPE / cov80 / cov95 | event WAPE / cov80 / cov95 | cov80 over steps |');
console.log('|---|---|---|---|---|---|');
for (const [m, a] of acc) {
  const f = (g) => (g[0] === 0 ? '-' : `${(g[3] / g[4]).toFixed(3)} / ${(g[1] / g[0]).toFixed(3)} / ${(g[2] / g[0]).toFixed(3)}`);
  const cs = [...a.steps.values()].map((s) => s[1] / s[0]);
  console.log(`| ${m} | ${a.regular[0]} | ${a.event[0]} | ${f(a.regular)} | ${f(a.event)} | ${Math.min(...cs).toFixed(2)} to ${Math.max(...cs).toFixed(2)} |`);
}
