// Where the shipped forecast loses on the synthetic grocery panel: WAPE and 80% coverage of every
// model per cutoff, per horizon step, on deal / featured / regular weeks, from the holdout
// forecasts of `forecast evaluate --forecasts FILE` and the panel's sales file (its deal and
// feature flags). node bench/experiments/analyse-grocery.mjs cv.csv .bench-cache/grocery-sales-20261202.csv
import { readFileSync } from 'node:fs';

const csv = (path) => {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
};
const flags = new Map(csv(process.argv[3]).map((r) => [`${r.sku}|${r.date}`, { deal: r.deal === '1', feature: r.feature === '1' }]));
const rows = csv(process.argv[2]);
const models = [...new Set(rows.map((r) => r.model))];
const keep = process.env.MODELS?.split(',') ?? models.filter((m) => m.startsWith('default') || ['lstm', 'promo_regression', 'arimax'].includes(m));

function table(title, groupOf) {
  const acc = new Map(); // group -> model -> [ae, vol, covered, n, err]
  for (const r of rows) {
    if (!keep.includes(r.model)) continue;
    const g = groupOf(r);
    if (g === undefined) continue;
    const y = Number(r.actual), f = Number(r.forecast);
    const m = acc.get(g) ?? new Map();
    const a = m.get(r.model) ?? [0, 0, 0, 0, 0];
    a[0] += Math.abs(y - f); a[1] += y; a[2] += y >= Number(r.p10) && y <= Number(r.p90) ? 1 : 0; a[3] += 1; a[4] += f - y;
    m.set(r.model, a);
    acc.set(g, m);
  }
  console.log(`\n${title}\n| group | points | share of volume | ${keep.map((m) => `${m} WAPE (bias, cov80)`).join(' | ')} |`);
  console.log(`|---|---|---|${keep.map(() => '---').join('|')}|`);
  const total = [...acc.values()].reduce((s, m) => s + m.get(keep[0])[1], 0);
  for (const [g, m] of [...acc].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const cells = keep.map((k) => { const a = m.get(k); return `${(a[0] / a[1]).toFixed(3)} (${(a[4] / a[1] >= 0 ? '+' : '') + (a[4] / a[1]).toFixed(3)}, ${(a[2] / a[3]).toFixed(2)})`; });
    const a0 = m.get(keep[0]);
    console.log(`| ${g} | ${a0[3]} | ${(a0[1] / total).toFixed(2)} | ${cells.join(' | ')} |`);
  }
}

const kind = (r) => { const f = flags.get(`${r.sku}|${r.date}`); return f === undefined ? undefined : f.deal ? (f.feature ? 'deal+feature' : 'deal only') : f.feature ? 'feature only' : 'regular'; };
table('all', () => 'all');
table('per cutoff', (r) => r.cutoff);
table('per horizon step', (r) => String(r.step).padStart(2, '0'));
table('by week type', kind);
table('by week type and cutoff', (r) => `${kind(r)} @ ${r.cutoff}`);
