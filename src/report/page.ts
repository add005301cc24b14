/**
 * The report page's own style and script (plain browser JavaScript, inlined into the HTML after
 * uPlot). The script reads the JSON data element and draws with the global `uPlot`; it fetches
 * nothing. Tested in a real browser by tests/report/browser.test.ts.
 */

export const PAGE_CSS = `
:root { --fg: #1d2433; --muted: #5c667a; --line: #d9dee8; --bg: #ffffff; --side: #f5f7fa; --accent: #1f6feb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; align-items: baseline; gap: 16px; padding: 10px 18px; border-bottom: 1px solid var(--line); }
header h1 { font-size: 18px; margin: 0; }
#summary { color: var(--muted); }
#layout { display: grid; grid-template-columns: 250px 1fr; min-height: calc(100vh - 48px); }
nav#side { background: var(--side); border-right: 1px solid var(--line); padding: 12px; display: flex; flex-direction: column; gap: 6px; }
nav label { font-weight: 600; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; margin-top: 6px; }
nav input, nav select { width: 100%; font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
nav .row { display: flex; gap: 6px; }
nav .row input { width: 64px; }
#worst-list { margin: 4px 0 0; padding-left: 30px; max-height: 40vh; overflow: auto; }
#worst-list li { margin: 1px 0; }
#worst-list button { font: inherit; border: 0; background: none; color: var(--accent); cursor: pointer; padding: 0; }
#worst-list .v { color: var(--muted); margin-left: 6px; font-variant-numeric: tabular-nums; }
main { padding: 12px 20px 40px; min-width: 0; }
h2 { font-size: 17px; margin: 8px 0 6px; }
h3 { font-size: 14px; margin: 16px 0 4px; color: var(--muted); font-weight: 600; }
h3 select { font: inherit; font-weight: normal; margin-left: 8px; }
.chart { width: 100%; min-height: 40px; }
.note { color: var(--muted); margin: 2px 0 8px; }
#sku-facts { display: flex; flex-wrap: wrap; gap: 6px 18px; }
#sku-facts div { white-space: nowrap; }
#sku-facts b { font-weight: 600; font-variant-numeric: tabular-nums; }
#sku-facts span { color: var(--muted); }
table.num { border-collapse: collapse; margin: 4px 0 12px; }
table.num th, table.num td { padding: 3px 10px; border-bottom: 1px solid var(--line); }
table.num th { text-align: left; color: var(--muted); font-weight: 600; }
table.num td.n, table.num th.n { text-align: right; font-variant-numeric: tabular-nums; }
#overview { margin-top: 28px; border-top: 1px solid var(--line); padding-top: 8px; }
#sources { color: var(--muted); }
.hidden { display: none !important; }
`;

export const PAGE_SCRIPT = String.raw`(function () {
'use strict';
var D = JSON.parse(document.getElementById('report-data').textContent);
var DAY = 86400;
var bySku = new Map();
D.skus.forEach(function (s) { bySku.set(s.sku, s); });
var charts = {};
var current = null;
var COLORS = ['#1f6feb', '#d1495b', '#2a9d8f', '#e9a03b', '#7b4fbf', '#6c757d', '#00798c', '#b5651d'];

function $(id) { return document.getElementById(id); }
function el(tag, text, cls) {
  var e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function fmt(x) {
  if (x === null || x === undefined || !isFinite(x)) return '';
  var a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a === 0) return '0';
  return String(Number(x.toPrecision(4)));
}
function pct(x) { return x === null || x === undefined ? '' : fmt(100 * x) + '%'; }
function isoDay(day) { return new Date(day * DAY * 1000).toISOString().slice(0, 10); }
function hide(id, yes) { $(id).classList.toggle('hidden', !!yes); }

function chart(key, container, opts, data) {
  if (charts[key]) { charts[key].destroy(); delete charts[key]; }
  container.textContent = '';
  opts.width = Math.max(320, container.clientWidth || 800);
  opts.height = opts.height || 300;
  var u = new uPlot(opts, data, container);
  charts[key] = u;
  container.dataset.series = String(data.length - 1);
  return u;
}
function line(label, color, extra) {
  var s = { label: label, stroke: color, width: 1.5, spanGaps: false, value: function (u, v) { return v === null || v === undefined ? '' : fmt(v); } };
  for (var k in extra || {}) s[k] = extra[k];
  return s;
}
function dots(label, color, size) {
  return line(label, color, { width: 0, paths: function () { return null; }, points: { show: true, size: size || 7, fill: color, stroke: color } });
}
/** A y axis as wide as its longest tick label, so large numbers never run into the axis title. */
function yAxis(label) {
  return { label: label, size: function (u, values) { var w = 0; (values || []).forEach(function (v) { w = Math.max(w, String(v).length); }); return 30 + 7.5 * Math.max(3, w); } };
}
function timeAxes(yLabel) {
  return [{}, yAxis(yLabel)];
}

/** Legend name of a band's lower (0) or upper (1) bound: p10-p90 -> p10 / p90, 80% -> lo 80% / hi 80%. */
function bound(label, upper) {
  var parts = label.split('-');
  return parts.length === 2 ? parts[upper] : (upper ? 'hi ' : 'lo ') + label;
}

// ---------- SKU chart: history, forecast and bands, actuals over the forecast dates ----------
function drawForecast(s) {
  var box = $('chart-forecast');
  var days = new Map();
  var add = function (d) { days.set(d, true); };
  var h = s.h, f = s.f;
  if (h) for (var i = 0; i < h.y.length; i++) add(h.s + i * h.p);
  if (f) f.d.forEach(add);
  var xs = Array.from(days.keys()).sort(function (a, b) { return a - b; });
  if (xs.length === 0) { box.textContent = 'no sales history or forecast for this SKU'; return; }
  var at = new Map(xs.map(function (d, i) { return [d, i]; }));
  var col = function () { return new Array(xs.length).fill(null); };
  var series = [{}], data = [xs.map(function (d) { return d * DAY; })], bands = [];
  var f0 = f ? f.d[0] : Infinity;
  if (h) {
    var hist = col(), act = col(), anyAct = false;
    for (var j = 0; j < h.y.length; j++) {
      var d = h.s + j * h.p;
      if (d < f0) hist[at.get(d)] = h.y[j];
      else { act[at.get(d)] = h.y[j]; if (h.y[j] !== null) anyAct = true; }
    }
    series.push(line('history', '#4a5160', { width: 1 })); data.push(hist);
    if (anyAct) { series.push(line('actual', '#111111', { width: 1.5, points: { show: true, size: 4 } })); data.push(act); }
  }
  if (f) {
    var alphas = [0.12, 0.2, 0.28, 0.36];
    f.b.forEach(function (b, k) {
      var lo = col(), hi = col();
      f.d.forEach(function (d, i) { lo[at.get(d)] = b.lo[i]; hi[at.get(d)] = b.hi[i]; });
      series.push(line(bound(b.label, 1), 'rgba(31,111,235,0.35)', { width: 1 })); data.push(hi);
      series.push(line(bound(b.label, 0), 'rgba(31,111,235,0.35)', { width: 1 })); data.push(lo);
      bands.push({ series: [data.length - 2, data.length - 1], fill: 'rgba(31,111,235,' + alphas[Math.min(k, alphas.length - 1)] + ')' });
    });
    var m = col();
    f.d.forEach(function (d, i) { m[at.get(d)] = f.m[i]; });
    series.push(line('forecast' + (f.models.length ? ' (' + f.models.join(', ') + ')' : ''), '#1f6feb', { width: 2 })); data.push(m);
  }
  var u = chart('forecast', box, { series: series, bands: bands, axes: timeAxes('units per ' + (D.step === 7 ? 'week' : 'day')), scales: { x: { time: true } }, cursor: { drag: { x: true, y: false } } }, data);
  if (f && h) {
    var start = Math.max(xs[0], f0 - D.window * D.step);
    u.setScale('x', { min: start * DAY, max: xs[xs.length - 1] * DAY });
  }
}

// ---------- holdout chart: evaluate's saved forecasts ----------
function drawHoldout(s) {
  var sel = $('cutoff-select');
  if (!s.e || s.e.length === 0) { hide('holdout-block', true); return; }
  hide('holdout-block', false);
  var keep = sel.value;
  sel.textContent = '';
  s.e.forEach(function (c, i) { var o = el('option', c.cutoff === null ? 'holdout' : 'cutoff ' + isoDay(c.cutoff)); o.value = String(i); sel.appendChild(o); });
  sel.value = keep && Number(keep) < s.e.length ? keep : String(s.e.length - 1);
  sel.classList.toggle('hidden', s.e.length < 2);
  var e = s.e[Number(sel.value)];
  var series = [{}], data = [e.d.map(function (d) { return d * DAY; })], bands = [];
  var order = D.errorModels.length ? D.errorModels : e.m.map(function (m) { return m.name; });
  var models = e.m.slice().sort(function (a, b) { return order.indexOf(a.name) - order.indexOf(b.name); });
  var banded = models.filter(function (m) { return m.lo; })[0];
  if (banded) {
    series.push(line(banded.name + ' ' + bound(banded.band, 1), 'rgba(31,111,235,0.3)', { width: 1 })); data.push(banded.hi);
    series.push(line(banded.name + ' ' + bound(banded.band, 0), 'rgba(31,111,235,0.3)', { width: 1 })); data.push(banded.lo);
    bands.push({ series: [1, 2], fill: 'rgba(31,111,235,0.15)' });
  }
  series.push(line('actual', '#111111', { width: 2, points: { show: true, size: 5 } })); data.push(e.a);
  models.forEach(function (m, k) { series.push(line(m.name, COLORS[k % COLORS.length], { width: k === 0 ? 2 : 1.2 })); data.push(m.y); });
  chart('holdout', $('chart-holdout'), { series: series, bands: bands, axes: timeAxes('units'), scales: { x: { time: true } } }, data);
}

// ---------- policy chart: on-hand over the replay, reorder point, order-up-to ----------
function drawPolicy(s) {
  var box = $('chart-policy');
  var rop = s.pol ? s.pol.reorder_point : undefined, upto = s.pol ? s.pol.order_up_to : undefined;
  if (!s.r && rop === undefined) { hide('policy-block', true); return; }
  hide('policy-block', false);
  if (!s.r) {
    $('policy-title').textContent = 'Policy';
    box.textContent = 'reorder point ' + fmt(rop) + ', order-up-to ' + fmt(upto) + ' (no replay over past sales: stockcast report --from DATE draws on-hand, orders and stockouts)';
    return;
  }
  var r = s.r, n = r.onHand.length;
  var dense = function (pairs) { var a = new Array(n).fill(0); pairs.forEach(function (p) { a[p[0]] = p[1]; }); return a; };
  var ordered = dense(r.ordered), arrived = dense(r.arrived), unmet = dense(r.unmet);
  $('policy-title').textContent = 'Policy replayed from ' + isoDay(r.from) + ': on hand, orders, arrivals and stockout days';
  var xs = [], oh = [], rp = [], ut = [], ord = [], arr = [], so = [];
  for (var t = 0; t < n; t++) {
    xs.push((r.from + t) * DAY);
    oh.push(r.onHand[t]);
    rp.push(rop === undefined ? null : rop);
    ut.push(upto === undefined ? null : upto);
    ord.push(ordered[t] > 0 ? r.onHand[t] : null);
    arr.push(arrived[t] > 0 ? r.onHand[t] : null);
    so.push(unmet[t] > 0 ? 0 : null);
  }
  var stepped = uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined;
  var series = [{},
    line('on hand (end of day)', '#2a9d8f', { width: 2, paths: stepped, fill: 'rgba(42,157,143,0.08)' }),
    line('reorder point', '#d1495b', { dash: [6, 4] }),
    line('order-up-to', '#7b4fbf', { dash: [2, 3] }),
    dots('order placed', '#e9a03b', 8),
    dots('arrival', '#1f6feb', 6),
    dots('stockout day', '#d1495b', 6)];
  var qty = function (arr, prefix) { return function (u, v, si, i) { return i === null || i === undefined || v === null ? '' : prefix + fmt(arr[i]); }; };
  series[4].value = qty(ordered, 'qty ');
  series[5].value = qty(arrived, 'qty ');
  series[6].value = qty(unmet, 'unmet ');
  chart('policy', box, { series: series, axes: timeAxes('units'), scales: { x: { time: true } } }, [xs, oh, rp, ut, ord, arr, so]);
}

// ---------- facts line ----------
function drawFacts(s) {
  var box = $('sku-facts');
  box.textContent = '';
  var fact = function (label, value) {
    if (value === undefined || value === null || value === '') return;
    var d = el('div'); d.appendChild(el('span', label + ' ')); d.appendChild(el('b', value)); box.appendChild(d);
  };
  if (s.f && s.f.models.length) fact('model', s.f.models.join(', '));
  if (s.f) fact('forecast', isoDay(s.f.d[0]) + ' .. ' + isoDay(s.f.d[s.f.d.length - 1]));
  if (s.pol) {
    fact('reorder point', fmt(s.pol.reorder_point));
    fact('order-up-to', fmt(s.pol.order_up_to));
    fact('safety stock', fmt(s.pol.safety_stock));
    fact('service target', fmt(s.pol.service_level_target));
    fact('simulated fill rate', fmt(s.pol.fill_rate));
  }
  if (s.bt) {
    fact('backtest fill rate', fmt(s.bt.fill_rate));
    fact('cycle service', fmt(s.bt.cycle_service_level));
    fact('stockout days', fmt(s.bt.stockout_days));
    fact('avg on hand', fmt(s.bt.avg_on_hand));
    fact('orders', fmt(s.bt.orders));
  }
  Object.keys(s.k.wape).forEach(function (m) { fact('WAPE ' + m, fmt(s.k.wape[m])); });
}

function show(sku) {
  var s = bySku.get(sku);
  if (!s) return;
  current = sku;
  $('sku-title').textContent = sku;
  if ($('sku-select').value !== sku) $('sku-select').value = sku;
  drawFacts(s);
  drawForecast(s);
  drawHoldout(s);
  drawPolicy(s);
  document.body.dataset.sku = sku;
  if (decodeURIComponent(location.hash.slice(1)) !== sku) history.replaceState(null, '', '#' + encodeURIComponent(sku));
}

// ---------- picker and search ----------
// The picker lists SKUs in natural order (20-8 before 20-10).
var collator = new Intl.Collator('en', { numeric: true });
var pickerOrder = D.skus.slice().sort(function (a, b) { return collator.compare(a.sku, b.sku); });
function fillSelect() {
  var q = $('sku-search').value.trim().toLowerCase();
  var sel = $('sku-select');
  sel.textContent = '';
  var shown = 0;
  var frag = document.createDocumentFragment();
  pickerOrder.forEach(function (s) {
    if (q && s.sku.toLowerCase().indexOf(q) < 0) return;
    var o = el('option', s.sku); o.value = s.sku; frag.appendChild(o); shown++;
  });
  sel.appendChild(frag);
  $('sku-count').textContent = q ? '(' + shown + ' of ' + D.skus.length + ')' : '(' + D.skus.length + ')';
  if (current) sel.value = current;
  return shown;
}
$('sku-search').addEventListener('input', fillSelect);
$('sku-search').addEventListener('keydown', function (ev) {
  if (ev.key === 'Enter') { var o = $('sku-select').options[0]; if (o) show(o.value); }
});
$('sku-select').addEventListener('change', function () { show($('sku-select').value); });
$('cutoff-select').addEventListener('change', function () { if (current) drawHoldout(bySku.get(current)); });

// ---------- worst N ----------
var rankings = [];
D.errorModels.forEach(function (m) { rankings.push({ key: 'wape:' + m, label: 'by error (WAPE, ' + m + ')', get: function (s) { return s.k.wape[m]; }, show: fmt }); });
if (D.skus.some(function (s) { return s.k.stockouts !== undefined; })) rankings.push({ key: 'stockouts', label: 'by stockout days', get: function (s) { return s.k.stockouts; }, show: fmt });
if (D.skus.some(function (s) { return s.k.value !== undefined; })) rankings.push({ key: 'value', label: 'by value (' + D.valueLabel + ')', get: function (s) { return s.k.value; }, show: fmt });
rankings.forEach(function (r) { var o = el('option', r.label); o.value = r.key; $('worst-by').appendChild(o); });
function drawWorst() {
  var list = $('worst-list');
  list.textContent = '';
  var r = rankings.filter(function (x) { return x.key === $('worst-by').value; })[0];
  if (!r) { hide('worst', true); return; }
  var n = Math.max(1, Math.min(1000, Number($('worst-n').value) || 10));
  D.skus.filter(function (s) { var v = r.get(s); return v !== undefined && v !== null; })
    .sort(function (a, b) { return r.get(b) - r.get(a) || (a.sku < b.sku ? -1 : 1); })
    .slice(0, n)
    .forEach(function (s) {
      var li = el('li'), b = el('button', s.sku);
      b.type = 'button';
      b.addEventListener('click', function () { show(s.sku); });
      li.appendChild(b); li.appendChild(el('span', r.show(r.get(s)), 'v')); list.appendChild(li);
    });
}
$('worst-by').addEventListener('change', drawWorst);
$('worst-n').addEventListener('input', drawWorst);

// ---------- overview: accuracy table, frontier, inputs ----------
function table(box, head, rows, numeric) {
  var t = el('table', null, 'num'), tr = el('tr');
  head.forEach(function (h, i) { tr.appendChild(el('th', h, numeric[i] ? 'n' : '')); });
  t.appendChild(tr);
  rows.forEach(function (r) {
    var row = el('tr');
    r.forEach(function (c, i) { row.appendChild(el('td', c, numeric[i] ? 'n' : '')); });
    t.appendChild(row);
  });
  box.textContent = '';
  box.appendChild(t);
}
function drawOverview() {
  var acc = D.accuracy.rows;
  hide('accuracy-block', acc.length === 0);
  if (acc.length) {
    $('accuracy-source').textContent = 'Scored on ' + D.accuracy.source + '. WAPE = sum |forecast - actual| / sum actual (lower is better); bias = sum (forecast - actual) / sum actual; coverage = share of actuals inside the model\'s interval, against its nominal level.';
    table($('accuracy-table'), ['model', 'SKUs', 'points', 'WAPE', 'MAE', 'RMSE', 'bias', 'coverage', 'target'],
      acc.map(function (a) { return [a.model, fmt(a.skus), fmt(a.n), fmt(a.wape), fmt(a.mae), fmt(a.rmse), fmt(a.bias), pct(a.coverage), pct(a.coverageTarget)]; }),
      [false, true, true, true, true, true, true, true, true]);
  }
  var fr = D.frontier.filter(function (p) { return p.avg_on_hand !== null; }).sort(function (a, b) { return a.avg_on_hand - b.avg_on_hand; });
  hide('frontier-block', fr.length === 0);
  if (fr.length) {
    var xs = fr.map(function (p) { return p.avg_on_hand; });
    chart('frontier', $('chart-frontier'), {
      height: 260,
      series: [{ label: 'avg on hand', value: function (u, v) { return fmt(v); } },
        line('fill rate', '#1f6feb', { points: { show: true, size: 9 } }),
        line('cycle service level', '#2a9d8f', { points: { show: true, size: 9 } })],
      scales: { x: { time: false } },
      axes: [{ label: 'average units on hand (all SKUs)' }, yAxis('service')],
      // Each fill-rate point named after its policy.
      hooks: { draw: [function (u) {
        var g = u.ctx, px = window.devicePixelRatio || 1;
        g.save();
        g.font = (12 * px) + 'px system-ui, sans-serif';
        g.fillStyle = '#1d2433';
        g.textAlign = 'left';
        g.textBaseline = 'bottom';
        fr.forEach(function (p, i) {
          if (p.fill_rate === null) return;
          var x = u.valToPos(xs[i], 'x', true), y = u.valToPos(p.fill_rate, 'y', true);
          var w = g.measureText(p.policy).width;
          g.fillText(p.policy, Math.min(x + 8 * px, u.bbox.left + u.bbox.width - w), y - 8 * px);
        });
        g.restore();
      }] },
    }, [xs, fr.map(function (p) { return p.fill_rate; }), fr.map(function (p) { return p.cycle_service_level; })]);
    table($('frontier-table'), ['policy', 'file', 'fill rate', 'cycle service', 'stockout rate', 'avg on hand'],
      fr.map(function (p) { return [p.policy, p.file, fmt(p.fill_rate), fmt(p.cycle_service_level), fmt(p.stockout_rate), fmt(p.avg_on_hand)]; }),
      [false, false, true, true, true, true]);
  }
  var src = $('sources');
  src.textContent = '';
  D.sources.forEach(function (s) { var li = el('li'); li.appendChild(el('span', s[0] + ': ')); li.appendChild(el('code', s[1])); src.appendChild(li); });
  $('summary').textContent = D.skus.length === 0 ? '' : D.skus.length + ' SKU(s)' + (D.step === 7 ? ', weekly' : ', daily');
}

var resizeTimer = null;
window.addEventListener('resize', function () {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(function () { if (current) show(current); drawOverview(); }, 150);
});

if (D.skus.length === 0) { hide('sku-view', true); hide('side', true); $('layout').style.gridTemplateColumns = '1fr'; }
fillSelect();
drawWorst();
drawOverview();
var first = decodeURIComponent(location.hash.slice(1));
show(bySku.has(first) ? first : (pickerOrder[0] || {}).sku);
document.body.dataset.ready = '1';
})();
`;
