import { describe, expect, it } from 'vitest';
import { createLogger, progressLine } from '../../src/io/log.js';
import { forecastSummaryRows } from '../../src/commands/forecast/_forecast-rows.js';
import { formatTableNumber, toTable } from '../../src/io/table.js';
import { TrainingProgress, epochLine } from '../../src/io/training-progress.js';

class Term {
  text = '';
  constructor(readonly isTTY: boolean, readonly columns = 80) {}
  write(s: string) {
    this.text += s;
    return true;
  }
}
// eslint-disable-next-line no-control-regex
const visible = (s: string) => s.replace(/\r\x1b\[2K/g, '\n').replace(/\x1b\[[0-9;]*m/g, '');

describe('terminal tables', () => {
  it.each([
    [0.99771, '0.9977'],
    [0.0262, '0.0262'],
    [0.02623, '0.02623'],
    [0.99996, '1.0'],
    [1, '1'],
    [392.2174, '392.2'],
    [28.096, '28.1'],
    [37637.5652, '37638'],
    [-0.0133, '-0.0133'],
    [-0.00001, '-0.00001'],
    [Number.NaN, ''],
  ])('%d -> %s', (x, shown) => {
    expect(formatTableNumber(x)).toBe(shown);
  });

  it('right-aligns number columns, left-aligns text, and keeps rates to 4 significant digits', () => {
    const t = toTable(['policy', 'fill_rate', 'stockout_rate'], [['mine', 0.99771, 0.0262], ['classic', 0.9627, 0.0295], ['classic - mine', null, 0.0033]]).split('\n');
    expect(t[1]).toBe('│ policy         │ fill_rate │ stockout_rate │');
    expect(t[3]).toBe('│ mine           │    0.9977 │        0.0262 │');
    expect(t[5]).toBe('│ classic - mine │           │        0.0033 │');
  });
});

describe('tables that fit the terminal', () => {
  it('leaves out the columns that do not fit, from the right, and names them', () => {
    const columns = ['sku', 'lead_time_mean', 'demand_mean', 'safety_stock', 'reorder_point', 'order_up_to', 'fill_rate'];
    const rows = [['SKU-001', 4, 36.2025, 28, 64, 354, 0.9985]];
    const all = toTable(columns, rows, { width: 200 });
    expect(all).not.toContain('not shown');
    const narrow = toTable(columns, rows, { width: 60 }).split('\n');
    for (const line of narrow.slice(0, -2)) expect(line.length).toBeLessThanOrEqual(60);
    expect(narrow[1]).toBe('│ sku     │ lead_time_mean │ demand_mean │ safety_stock │');
    expect(narrow.at(-2)).toBe('(3 columns not shown at this width: reorder_point, order_up_to, fill_rate; --format csv or --out FILE for all)');
    // The key column stays, however narrow.
    expect(toTable(columns, rows, { width: 5 }).split('\n')[1]).toBe('│ sku     │');
    // Columns named in priority stay longest, in their own order on the page.
    const picked = toTable(columns, rows, { width: 60, priority: ['reorder_point', 'order_up_to', 'fill_rate'] }).split('\n');
    expect(picked[1]).toBe('│ sku     │ reorder_point │ order_up_to │ fill_rate │');
    expect(picked.at(-2)).toMatch(/^\(3 columns not shown at this width: lead_time_mean, demand_mean, safety_stock;/);
  });
});

describe('predict on a terminal', () => {
  it('sums a long forecast per SKU', () => {
    const rows = [
      ['A', '2026-01-01', 2, 1, 1, 3, 'lstm'],
      ['A', '2026-01-02', 4, 1, 3, 5, 'lstm'],
      ['B', '2026-01-01', 10, 2, 8, 12, 'naive'],
    ];
    expect(forecastSummaryRows(rows)).toEqual([
      ['A', '2026-01-01', '2026-01-02', 2, 6, 3, 'lstm'],
      ['B', '2026-01-01', '2026-01-01', 1, 10, 10, 'naive'],
    ]);
  });
});

describe('progress on a terminal', () => {
  it('one line that fits the width: the bar shrinks, then the text is cut', () => {
    for (const columns of [40, 80, 120]) {
      for (const rest of ['3/10', `4096/8192 loss 0.0530 val 0.0509 ETA 3m10s ${'x'.repeat(60)}`]) {
        const p = progressLine('net 2/5 epoch 3/40', 0.5, rest, columns);
        expect(`${p.before}${p.bar}${p.after}`.length).toBeLessThanOrEqual(columns - 1);
      }
    }
    expect(progressLine('epoch 1/8', 0.5, '1/2', 80).bar).toHaveLength(30);
    expect(progressLine('epoch 1/8', 0.5, 'x'.repeat(60), 80).bar).toBe('');
  });

  it('a TTY gets a redrawn bar within the width; TERM=dumb gets no colour and no \\r', () => {
    const tty = new Term(true, 60);
    const log = createLogger({ stream: tty, env: {} });
    const bar = log.progress('epoch 1/8', 100);
    bar.update(40, 'loss 0.0530 val 0.0509 and a long tail that does not fit');
    bar.finish();
    log.warn('careful');
    expect(tty.text).toContain('\r');
    expect(tty.text).toContain('\x1b[');
    for (const line of visible(tty.text).split('\n')) expect(line.length).toBeLessThanOrEqual(59);

    const dumb = new Term(true);
    const plain = createLogger({ stream: dumb, env: { TERM: 'dumb' } });
    const b = plain.progress('epoch 1/8', 100);
    b.update(40, 'loss');
    b.line('epoch 1/8 done');
    plain.warn('careful');
    expect(dumb.text).toBe('epoch 1/8 done\nwarning: careful\n');
    expect(plain.color).toBe(false);
  });
});

describe('training progress', () => {
  it('counts epochs per ensemble member, estimates the whole run, explains *', () => {
    const out = new Term(false);
    const log = createLogger({ stream: out, env: {} });
    let t = 0;
    const p = new TrainingProgress(log, { epochs: 3, members: 2, patience: 2 }, () => undefined, () => t);
    const epoch = (e: number, best: boolean) => ({ epoch: e, epochs: 3, loss: 0.1 / e, valLoss: 0.2 / e, samplesPerSecond: 400, seconds: 10, best });
    p.onMember(1, 2);
    t += 10_000;
    p.onEpoch(epoch(1, true));
    t += 10_000;
    p.onEpoch(epoch(2, false));
    t += 10_000;
    p.onEpoch(epoch(3, false));
    p.onMember(2, 2);
    t += 10_000;
    p.onEpoch(epoch(1, true));
    p.finish();
    const lines = out.text.trim().split('\n');
    expect(lines[0]).toMatch(/^training 2 networks \(ensemble\), each at most 3 epochs; \* = best validation loss so far/);
    // 10 s per epoch: after member 1's first epoch, 2 more epochs of it and 3 of member 2 remain.
    expect(lines[1]).toBe('epoch 1/3 net 1/2  loss 0.1000  val 0.2000 *  10.0s  400 samples/s  <= 50s left');
    expect(lines[3]).toMatch(/^epoch 3\/3 net 1\/2 .* <= 30s left$/);
    // Member 2 starts at epoch 1 of its own, not at member 1's count.
    expect(lines[4]).toMatch(/^epoch 1\/3 net 2\/2  loss 0\.1000 .* <= 20s left$/);
  });

  it('on a terminal the progress label restarts with each member and carries no loss over', () => {
    const out = new Term(true, 100);
    const log = createLogger({ stream: out, env: { NO_COLOR: '1' } });
    let t = 0;
    const p = new TrainingProgress(log, { epochs: 2, members: 2, patience: 5 }, () => 100, () => t);
    p.onMember(1, 2);
    p.onProgress(50, 100);
    t += 5000;
    p.onEpoch({ epoch: 1, epochs: 2, loss: 0.5, valLoss: 0.6, samplesPerSecond: 10, seconds: 5, best: true });
    p.onProgress(50, 100);
    t += 5000;
    p.onEpoch({ epoch: 2, epochs: 2, loss: 0.4, valLoss: 0.5, samplesPerSecond: 10, seconds: 5, best: true });
    p.onMember(2, 2);
    p.onProgress(10, 100);
    p.finish();
    const frames = visible(out.text).split('\n').filter((l) => l.startsWith('net '));
    expect(frames[0]).toMatch(/^net 1\/2 epoch 1\/2 /);
    expect(frames[1]).toMatch(/^net 1\/2 epoch 2\/2 .* loss 0\.5000 val 0\.6000 ETA/);
    expect(frames[2]).toMatch(/^net 2\/2 epoch 1\/2 [^l]*10\/100 ETA/);
    expect(frames[2]).not.toContain('loss');
  });

  it('the epoch line drops the throughput when the terminal is too narrow', () => {
    const e = { epoch: 12, epochs: 100, loss: 0.053, valLoss: 0.0509, samplesPerSecond: 414, seconds: 9.9, best: true };
    const wide = epochLine(e, 2, 5, 250);
    expect(wide).toContain('samples/s');
    const narrow = epochLine(e, 2, 5, 250, wide.length);
    expect(narrow).not.toContain('samples/s');
    expect(narrow.length).toBeLessThan(80);
  });
});
