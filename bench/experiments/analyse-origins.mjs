// Offline analysis of bench/exp-origins.ts dumps: accuracy, coverage, combinations, calibration schemes.
// node bench/experiments/analyse-origins.mjs /tmp/exp-walmart.json
import { readFileSync } from 'node:fs';
const d = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const H = d.H;
const MODELS = ['lstm_raw', 'lstm', 'promo_regression', 'arimax', 'ets'].filter((m) => d.origins[0][m] !== undefined);
const kinds = ['insample', 'valid', 'test'];
// points: {kind, oi, s, h, y, f: {model: [m, lo, hi]}}
function* points(pred = () => true) {
  for (let oi = 0; oi < d.origins.length; oi++) {
    const o = d.origins[oi];
    if (!pred(o)) continue;
    for (let s = 0; s < o.skus.length; s++) {
      if (MODELS.some((m) => o[m][s] === null)) continue;
      for (let h = 0; h < H; h++) {
        const y = o.actual[s][h];
        if (y === null) continue;
        const f = {};
        for (const m of MODELS) f[m] = [o[m][s].m[h], o[m][s].lo[h], o[m][s].hi[h]];
        yield { kind: o.kind, oi, date: o.date, s, h, y, f, by: o.lstm[s].by };
      }
    }
  }
}
const mix = (fs, ws) => [0, 1, 2].map((k) => fs.reduce((a, f, i) => a + ws[i] * f[k], 0));
function score(pts, get) {
  let ae = 0, vol = 0, cov = 0, n = 0, bias = 0;
  const stepCov = Array.from({ length: H }, () => [0, 0]);
  for (const p of pts) {
    const [m, lo, hi] = get(p);
    ae += Math.abs(p.y - m); vol += Math.abs(p.y); bias += m - p.y;
    const c = p.y >= lo && p.y <= hi ? 1 : 0;
    cov += c; n++; stepCov[p.h][0] += c; stepCov[p.h][1]++;
  }
  return { wape: ae / vol, bias: bias / vol, cov: cov / n, n, steps: stepCov.map(([a, b]) => (b ? a / b : NaN)) };
}
const f3 = (x) => x.toFixed(3);
const all = [...points()];
const byKind = Object.fromEntries(kinds.map((k) => [k, all.filter((p) => p.kind === k)]));
console.log(`${d.which}: H=${H}, points`, Object.fromEntries(kinds.map((k) => [k, byKind[k].length])));
for (const m of MODELS) {
  console.log(m.padEnd(18), kinds.map((k) => { const s = score(byKind[k], (p) => p.f[m]); return `${k}: wape ${f3(s.wape)} bias ${f3(s.bias)} cov ${f3(s.cov)}`; }).join(' | '));
}
const combos = { 'lstm+pr': ['lstm', 'promo_regression'], 'lstm+pr+arimax': ['lstm', 'promo_regression', 'arimax'], 'lstm+pr+arimax+ets': ['lstm', 'promo_regression', 'arimax', 'ets'], 'pr+arimax': ['promo_regression', 'arimax'], 'lstm+arimax': ['lstm', 'arimax'] };
for (const [name, ms] of Object.entries(combos)) {
  if (!ms.every((m) => MODELS.includes(m))) continue;
  const w = ms.map(() => 1 / ms.length);
  console.log(name.padEnd(18), kinds.map((k) => { const s = score(byKind[k], (p) => mix(ms.map((m) => p.f[m]), w)); return `${k}: wape ${f3(s.wape)} cov ${f3(s.cov)}`; }).join(' | '));
}
// Test WAPE per test origin, for the main candidates.
for (const name of ['lstm', 'promo_regression', 'arimax', 'lstm+pr', 'lstm+pr+arimax']) {
  const ms = combos[name] ?? [name];
  if (!ms.every((m) => MODELS.includes(m))) continue;
  const w = ms.map(() => 1 / ms.length);
  const per = [...new Set(byKind.test.map((p) => p.oi))].map((oi) => f3(score(byKind.test.filter((p) => p.oi === oi), (p) => mix(ms.map((m) => p.f[m]), w)).wape));
  console.log(`test WAPE per origin ${name}: ${per.join(' / ')}`);
}
// Conformal calibration in log1p space: score r = signed distance / 80% half width on that side.
function rscore(p, f) {
  const [m, lo, hi] = f;
  const u = Math.log1p(Math.max(0, m)), y = Math.log1p(Math.max(0, p.y));
  if (y >= u) return (y - u) / Math.max(Math.log1p(Math.max(0, hi)) - u, 1e-6);
  return (u - y) / Math.max(u - Math.log1p(Math.max(0, lo)), 1e-6);
}
function quant(xs, q) { const v = [...xs].sort((a, b) => a - b); return v[Math.min(v.length - 1, Math.ceil(q * (v.length + 1)) - 1)]; }
function calFactors(pts, get, q, shrink = 30) {
  const per = Array.from({ length: H }, () => []);
  const pooledAll = [];
  for (const p of pts) { const r = rscore(p, get(p)); per[p.h].push(r); pooledAll.push(r); }
  const pooled = quant(pooledAll, q);
  return per.map((rs) => (rs.length ? (rs.length * quant(rs, q) + shrink * pooled) / (rs.length + shrink) : pooled));
}
function applyCal(f, c) {
  const [m, lo, hi] = f;
  const u = Math.log1p(Math.max(0, m));
  const l = Math.log1p(Math.max(0, lo)), h = Math.log1p(Math.max(0, hi));
  return [m, Math.max(0, Math.expm1(u - c * (u - l))), Math.expm1(u + c * (h - u))];
}
function covAt(pts, get, fac, q) {
  let c = 0, n = 0; const st = Array.from({ length: H }, () => [0, 0]);
  for (const p of pts) { const r = rscore(p, get(p)); const ok = r <= fac[p.h] ? 1 : 0; c += ok; n++; st[p.h][0] += ok; st[p.h][1]++; }
  return { cov: c / n, steps: st.map(([a, b]) => a / b) };
}
const cands = { lstm_raw: (p) => p.f.lstm_raw, 'lstm+pr': (p) => mix([p.f.lstm_raw, p.f.promo_regression], [0.5, 0.5]), 'lstm+pr+arimax': (p) => mix([p.f.lstm_raw, p.f.promo_regression, p.f.arimax], [1 / 3, 1 / 3, 1 / 3]), promo_regression: (p) => p.f.promo_regression, arimax: (p) => p.f.arimax };
for (const [name, get] of Object.entries(cands)) {
  if (name.includes('arimax') && !MODELS.includes('arimax')) continue;
  for (const [calName, calPts] of [['valid', byKind.valid], ['insample', byKind.insample], ['insample+valid', [...byKind.insample, ...byKind.valid]], ['none', null]]) {
    const out = [];
    for (const q of [0.8, 0.95]) {
      const fac = calPts === null ? null : calFactors(calPts, get, q);
      if (fac === null) { const s = q === 0.8 ? score(byKind.test, get) : null; out.push(q === 0.8 ? `raw cov80 test ${f3(s.cov)} steps ${s.steps.map((x) => x.toFixed(2)).join(' ')}` : ''); continue; }
      const r = covAt(byKind.test, get, fac, q);
      out.push(`q${q}: fac ${fac[0].toFixed(2)}..${fac[H - 1].toFixed(2)} test cov ${f3(r.cov)} (steps ${Math.min(...r.steps).toFixed(2)}-${Math.max(...r.steps).toFixed(2)})`);
    }
    console.log(`cal ${name} on ${calName}: ${out.join(' ; ')}`);
  }
}
// Per test origin: coverage of raw LSTM, valid-calibrated LSTM and valid-calibrated combination.
if (process.env.PER_ORIGIN) {
  const testOis = [...new Set(byKind.test.map((p) => p.oi))];
  for (const [name, get] of Object.entries(cands)) {
    if (name.includes('arimax') && !MODELS.includes('arimax')) continue;
    const fac = calFactors(byKind.valid, get, 0.8);
    const fac95 = calFactors(byKind.valid, get, 0.95);
    const row = testOis.map((oi) => { const pts = byKind.test.filter((p) => p.oi === oi); return `raw ${f3(score(pts, get).cov)} cal ${f3(covAt(pts, get, fac, 0.8).cov)} cal95 ${f3(covAt(pts, get, fac95, 0.95).cov)}`; });
    console.log(`per test origin ${name}: ${row.join(' | ')}`);
  }
}
