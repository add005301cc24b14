// The noise floor of the sample data, and where each model's error comes from against it.
// The samples are simulated (scripts/samples/sales.ts): every day's mean mu is known (meanUnits:
// level, trend, weekday, yearly cosine, price elasticity, post-promotion dip, holiday lift; the
// units are negative binomial around it). The true conditional median of each day is the best point forecast any model can make
// for WAPE; its WAPE is the floor. Reads the forecasts of `forecast evaluate --forecasts FILE` on
// data/samples/sales.csv (built with `npm run build` first):
//   node bench/experiments/samples-oracle.mjs cv.csv
// Prints, per model and group (kind of day, horizon steps, SKU kind, cutoff): WAPE next to the
// oracle's, and the bias against the oracle; then, for the regular SKUs, the log error against mu
// split into the window's level (its mean over the horizon) and the shape around it, and the drift
// over the horizon (slope of the log error over the steps, times horizon - 1).
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG, POST_PROMO_DIP, generateTimelines, meanUnits } from '../../dist/scripts/samples/sales.js';
import { dayFromYmd } from '../../dist/src/core/calendar.js';

function lgamma(x) {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
/** Median of the negative binomial with mean mu and size r (scripts/samples/random.ts negBinomial). */
function nbMedian(mu, r) {
  if (mu <= 0) return 0;
  const p = r / (r + mu);
  let cdf = 0;
  for (let k = 0; ; k++) {
    cdf += Math.exp(lgamma(k + r) - lgamma(r) - lgamma(k + 1) + r * Math.log(p) + k * Math.log(1 - p));
    if (cdf >= 0.5) return k;
  }
}

/** Per SKU: the timeline, and the days in the week after a promotion (where sales.ts lowers the lift). */
const skus = new Map();
for (const tl of generateTimelines(DEFAULT_CONFIG)) {
  const post = new Uint8Array(tl.lift.length);
  for (let k = 0; k < post.length; k++) if (!tl.promo[k] && tl.lift[k] === POST_PROMO_DIP) post[k] = 1;
  skus.set(tl.profile.sku, { tl, post });
}
const meanOf = (sku, day) => { const { tl } = skus.get(sku); return meanUnits(tl, day - tl.start); };

const [head, ...lines] = readFileSync(process.argv[2], 'utf8').trim().split('\n');
const cols = head.split(',');
const at = (name) => cols.indexOf(name);
const groups = new Map();
const add = (group, model, abs, absOracle, diff, actual) => {
  const key = `${group}|${model}`;
  const s = groups.get(key) ?? { abs: 0, absOracle: 0, diff: 0, actual: 0, n: 0 };
  s.abs += abs; s.absOracle += absOracle; s.diff += diff; s.actual += actual; s.n++;
  groups.set(key, s);
};
const records = [];
for (const line of lines) {
  const c = line.split(',');
  const sku = c[at('sku')];
  const model = c[at('model')];
  const [y, m, d] = c[at('date')].split('-').map(Number);
  const day = dayFromYmd(y, m, d);
  const { tl, post } = skus.get(sku);
  const i = day - tl.profile.start;
  const mu = meanOf(sku, day);
  const median = nbMedian(mu, tl.profile.size);
  const actual = Number(c[at('actual')]);
  const forecast = Number(c[at('forecast')]);
  const step = Number(c[at('step')]);
  const kind = tl.promo[i] ? 'promotion' : post[i] ? 'post-promotion' : tl.holiday[i] ? 'holiday' : 'regular';
  const steps = `${String(7 * Math.floor((step - 1) / 7) + 1).padStart(2, '0')}-${String(7 * Math.floor((step - 1) / 7) + 7).padStart(2, '0')}`;
  for (const g of ['all', `day=${kind}`, `steps=${steps}`, `sku=${tl.profile.kind}`, `cutoff=${c[at('cutoff')]}`]) {
    add(g, model, Math.abs(actual - forecast), Math.abs(actual - median), forecast - median, actual);
  }
  if (tl.profile.kind === 'regular') records.push({ model, window: `${model}|${sku}|${c[at('cutoff')]}`, step, err: Math.log((forecast + 0.5) / (mu + 0.5)), mu });
}
const models = [...new Set(lines.map((l) => l.split(',')[at('model')]))];
const names = [...new Set([...groups.keys()].map((k) => k.split('|')[0]))].sort();
console.log(`| group | points | oracle WAPE | ${models.map((m) => `${m} WAPE (bias vs oracle)`).join(' | ')} |`);
console.log(`|---|---|---|${models.map(() => '---|').join('')}`);
for (const g of names) {
  const o = groups.get(`${g}|${models[0]}`);
  const cells = models.map((m) => {
    const s = groups.get(`${g}|${m}`);
    return `${(s.abs / s.actual).toFixed(4)} (${(s.diff / s.actual >= 0 ? '+' : '') + (s.diff / s.actual).toFixed(3)})`;
  });
  console.log(`| ${g} | ${o.n} | ${(o.absOracle / o.actual).toFixed(4)} | ${cells.join(' | ')} |`);
}

// Level, shape and drift of the log error against mu, weighted by mu (regular SKUs).
const windows = new Map();
for (const r of records) {
  const w = windows.get(r.window) ?? { n: 0, sx: 0, sy: 0, sxx: 0, sxy: 0, mu: 0 };
  w.n++; w.sx += r.step; w.sy += r.err; w.sxx += r.step ** 2; w.sxy += r.step * r.err; w.mu += r.mu;
  windows.set(r.window, w);
}
console.log('\n| model | mean abs log error vs mu | level | shape | drift over the horizon |');
console.log('|---|---|---|---|---|');
for (const m of models) {
  let abs = 0, level = 0, shape = 0, weight = 0, drift = 0, driftWeight = 0;
  for (const r of records.filter((x) => x.model === m)) {
    const w = windows.get(r.window);
    const lev = w.sy / w.n;
    abs += Math.abs(r.err) * r.mu; level += Math.abs(lev) * r.mu; shape += Math.abs(r.err - lev) * r.mu; weight += r.mu;
  }
  for (const [key, w] of windows) {
    if (!key.startsWith(`${m}|`) || w.n < 2) continue;
    const slope = (w.n * w.sxy - w.sx * w.sy) / (w.n * w.sxx - w.sx ** 2);
    drift += Math.abs(slope * (w.n - 1)) * w.mu; driftWeight += w.mu;
  }
  console.log(`| ${m} | ${(abs / weight).toFixed(3)} | ${(level / weight).toFixed(3)} | ${(shape / weight).toFixed(3)} | ${(drift / driftWeight).toFixed(3)} |`);
}
