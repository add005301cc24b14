/**
 * Everything the report page shows, computed from the parsed inputs: per-SKU series, the accuracy
 * table by model, the service-inventory points of the backtest summaries and the ranking figures
 * behind "worst N". Pure; the page only draws what this returns.
 */
import { AccuracyAcc } from './accuracy.js';
import type { AccuracyRow, BandColumns, HistoryInput, PageData, PageSku, ReportInputs } from './types.js';

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const cell = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? null : r3(x));

/** The band to score coverage with and draw for a model: the one nearest to 80%. */
function mainBand(bands: readonly BandColumns[]): BandColumns | undefined {
  return [...bands].sort((a, b) => Math.abs(a.coverage - 80) - Math.abs(b.coverage - 80) || b.coverage - a.coverage)[0];
}

/** The non-zero days of a daily series as [index, value] pairs (most days have no order). */
function sparse(values: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  values.forEach((v, i) => {
    if (v !== 0) out.push([i, r3(v)]);
  });
  return out;
}

function actualOn(h: HistoryInput | undefined, day: number): number | undefined {
  if (h === undefined) return undefined;
  const i = (day - h.start) / h.step;
  if (!Number.isInteger(i) || i < 0 || i >= h.units.length) return undefined;
  const v = h.units[i]!;
  return Number.isFinite(v) ? v : undefined;
}

function sortedUnion(...lists: Iterable<string>[]): string[] {
  const all = new Set<string>();
  for (const l of lists) for (const s of l) all.add(s);
  return [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function buildPage(inputs: ReportInputs): PageData {
  const history = new Map(inputs.history.map((h) => [h.sku, h]));
  const { forecast, evaluation, policy, backtest, replays } = inputs;
  const skus = sortedUnion(
    history.keys(),
    forecast?.bySku.keys() ?? [],
    (evaluation?.rows ?? []).map((r) => r.sku),
    policy?.bySku.keys() ?? [],
    backtest?.bySku.keys() ?? [],
    replays.keys(),
  );
  const hasPrice = inputs.history.some((h) => h.price !== undefined);

  // Accuracy pooled over SKUs, and per SKU for the ranking.
  const pooled = new Map<string, AccuracyAcc>();
  const perSku = new Map<string, Map<string, AccuracyAcc>>();
  const accFor = (model: string, sku: string) => {
    if (!pooled.has(model)) pooled.set(model, new AccuracyAcc());
    let m = perSku.get(sku);
    if (m === undefined) perSku.set(sku, (m = new Map()));
    if (!m.has(model)) m.set(model, new AccuracyAcc());
    return [pooled.get(model)!, m.get(model)!];
  };
  const targets = new Map<string, number | null>();
  let source = '';
  if (evaluation !== undefined) {
    source = `holdout forecasts in ${evaluation.file}`;
    for (const m of evaluation.models) {
      const band = mainBand(m.bands);
      targets.set(m.name, band ? band.coverage / 100 : null);
      for (const row of evaluation.rows) {
        const f = m.point === undefined ? undefined : row.values[m.point];
        if (row.actual === undefined || f === undefined) continue;
        const lo = band ? row.values[band.lo] : undefined;
        const hi = band ? row.values[band.hi] : undefined;
        for (const acc of accFor(m.name, row.sku)) acc.add({ sku: row.sku, actual: row.actual, forecast: f, lo, hi });
      }
    }
  } else if (forecast !== undefined) {
    // A forecast made for dates the sales data already covers (the README's holdout loop).
    const band = mainBand(forecast.bands);
    for (const [sku, s] of forecast.bySku) {
      const model = s.models.length === 1 ? s.models[0]! : s.models.length === 0 ? 'forecast' : s.models.join('+');
      s.days.forEach((day, i) => {
        const a = actualOn(history.get(sku), day);
        if (a === undefined) return;
        const lo = band ? (s.levels[band.lo]![i] ?? undefined) : undefined;
        const hi = band ? (s.levels[band.hi]![i] ?? undefined) : undefined;
        targets.set(model, band ? band.coverage / 100 : null);
        for (const acc of accFor(model, sku)) acc.add({ sku, actual: a, forecast: s.mean[i]!, lo, hi });
      });
    }
    if (pooled.size > 0) source = `${forecast.file} against the actual sales on the dates they share`;
  }
  const accuracy: AccuracyRow[] = [...pooled]
    .map(([model, acc]) => acc.row(model, targets.get(model) ?? null))
    .sort((a, b) => (a.wape ?? Infinity) - (b.wape ?? Infinity) || (a.model < b.model ? -1 : 1));

  const evalBySku = new Map<string, NonNullable<typeof evaluation>['rows']>();
  for (const row of evaluation?.rows ?? []) {
    let l = evalBySku.get(row.sku);
    if (l === undefined) evalBySku.set(row.sku, (l = []));
    l.push(row);
  }

  const pages: PageSku[] = skus.map((sku) => {
    const page: PageSku = { sku, k: { wape: {} } };
    const h = history.get(sku);
    if (h !== undefined) {
      page.h = { s: h.start, p: h.step, y: Array.from(h.units, (v) => cell(v)) };
      let value = 0;
      for (let i = 0; i < h.units.length; i++) {
        const u = h.units[i]!;
        if (!Number.isFinite(u)) continue;
        const p = h.price?.[i];
        value += hasPrice ? (p !== undefined && Number.isFinite(p) ? u * p : 0) : u;
      }
      page.k.value = r3(value);
    }
    const f = forecast?.bySku.get(sku);
    if (f !== undefined) {
      page.f = {
        d: f.days,
        m: f.mean.map((v) => r3(v)),
        b: forecast!.bands.map((b) => ({ label: b.label, lo: f.levels[b.lo]!.map(cell), hi: f.levels[b.hi]!.map(cell) })),
        models: f.models,
      };
    }
    const rows = evalBySku.get(sku);
    if (rows !== undefined && evaluation !== undefined) {
      const cutoffs = [...new Set(rows.map((r) => r.cutoff ?? null))];
      page.e = cutoffs.map((cutoff) => {
        const rs = rows.filter((r) => (r.cutoff ?? null) === cutoff);
        return {
          cutoff,
          d: rs.map((r) => r.day),
          a: rs.map((r) => cell(r.actual)),
          m: evaluation.models.map((m) => {
            const band = mainBand(m.bands);
            const out: NonNullable<PageSku['e']>[number]['m'][number] = { name: m.name, y: rs.map((r) => cell(m.point === undefined ? undefined : r.values[m.point])) };
            if (band) {
              out.lo = rs.map((r) => cell(r.values[band.lo]));
              out.hi = rs.map((r) => cell(r.values[band.hi]));
              out.band = band.label;
            }
            return out;
          }),
        };
      });
    }
    const pol = policy?.bySku.get(sku);
    if (pol !== undefined) page.pol = { ...Object.fromEntries(Object.entries(pol.numbers).map(([k, v]) => [k, r3(v)])), ...pol.texts };
    const bt = backtest?.bySku.get(sku);
    if (bt !== undefined) {
      page.bt = Object.fromEntries(Object.entries(bt.numbers).map(([k, v]) => [k, r3(v)]));
      if (bt.numbers.stockout_days !== undefined) page.k.stockouts = bt.numbers.stockout_days;
    }
    const rep = replays.get(sku);
    if (rep !== undefined) {
      page.r = { from: rep.from, onHand: rep.onHand.map((v) => Math.round(v * 100) / 100), ordered: sparse(rep.ordered), arrived: sparse(rep.arrived), unmet: sparse(rep.unmet) };
      page.k.stockouts ??= rep.unmet.filter((u) => u > 0).length;
    }
    for (const [model, acc] of perSku.get(sku) ?? []) {
      const w = acc.wape();
      if (w !== null) page.k.wape[model] = r3(w);
    }
    return page;
  });

  const frontier = inputs.summaries.flatMap((s) =>
    s.rows
      // backtest's difference rows (`other - base`) have no SKU count and are not points of the plane.
      .filter((r) => r.values.skus !== undefined || !s.rows.some((x) => x.values.skus !== undefined))
      .map((r) => ({
        policy: r.policy,
        file: s.file,
        fill_rate: cell(r.values.fill_rate),
        cycle_service_level: cell(r.values.cycle_service_level),
        avg_on_hand: cell(r.values.avg_on_hand),
        stockout_rate: r.values.stockout_rate === undefined ? null : Math.round(r.values.stockout_rate * 1e5) / 1e5,
      })),
  );

  return {
    title: inputs.title,
    sources: inputs.sources,
    step: inputs.step ?? forecastStep(inputs) ?? 1,
    valueLabel: hasPrice ? 'sales value (units x price)' : 'units sold',
    accuracy: { source, rows: accuracy },
    frontier,
    errorModels: accuracy.filter((a) => a.wape !== null).map((a) => a.model),
    skus: pages,
    window: inputs.window ?? 120,
  };
}

/** Days between a forecast's periods, for a report built without sales data. */
function forecastStep(inputs: ReportInputs): number | undefined {
  for (const s of inputs.forecast?.bySku.values() ?? []) if (s.days.length > 1) return s.days[1]! - s.days[0]!;
  return undefined;
}
