/** io/log.ts: talk on stderr; colour and redrawn progress only on an interactive terminal. */
import { describe, expect, it } from 'vitest';
import { createLogger, formatDuration, progressLine, sanitizeMessage } from '../../src/io/log.js';

function stream(isTTY: boolean, columns = 80) {
  const s = { text: '', isTTY, columns, write: (c: string) => ((s.text += c), true) };
  return s;
}

describe('createLogger', () => {
  it('not a terminal: plain words, no colour, no progress redraws; finish and line still print', () => {
    const out = stream(false);
    const log = createLogger({ stream: out });
    log.info('read 3 SKU(s)');
    log.warn('careful');
    log.error('broken');
    const p = log.progress('simulating', 10);
    p.update(5);
    p.line('epoch 1/2');
    p.finish('done');
    expect(out.text).toBe('read 3 SKU(s)\nwarning: careful\nerror: broken\nepoch 1/2\ndone\n');
    expect(log).toMatchObject({ color: false, interactive: false });
    expect(log.width?.()).toBeUndefined();
  });

  it('a terminal: colour unless NO_COLOR or TERM=dumb; progress redrawn with \\r and cleared on finish', () => {
    const out = stream(true, 60);
    const log = createLogger({ stream: out, env: {}, now: () => 0 });
    expect(log).toMatchObject({ color: true, interactive: true });
    expect(log.width?.()).toBe(60);
    const p = log.progress('simulating', 4);
    p.update(2);
    expect(out.text).toMatch(/^\r\x1b\[2Ksimulating .*2\/4/);
    p.finish('simulated 4');
    expect(out.text.endsWith('\r\x1b[2Ksimulated 4\n')).toBe(true);
    expect(createLogger({ stream: stream(true), env: { NO_COLOR: '1' } }).color).toBe(false);
    const dumb = createLogger({ stream: stream(true), env: { TERM: 'dumb' } });
    expect(dumb).toMatchObject({ color: false, interactive: false });
  });

  it('quiet: info and progress are silent, warnings and errors are not', () => {
    const out = stream(true);
    const log = createLogger({ stream: out, quiet: true, env: { NO_COLOR: '1' } });
    log.info('hidden');
    log.progress('x', 2).update(1);
    log.warn('shown');
    expect(out.text).toBe('warning: shown\n');
  });

  it('messages are sanitised: control characters escaped, each line cut', () => {
    expect(sanitizeMessage('SKU \x1b[31mred')).not.toContain('\x1b');
    expect(sanitizeMessage('a\nb')).toBe('a\nb');
    expect(sanitizeMessage('x'.repeat(5000)).length).toBeLessThan(5000);
  });
});

describe('progressLine and formatDuration', () => {
  it('fits in columns - 1: the bar shrinks, then the text is cut with an ellipsis', () => {
    const wide = progressLine('training', 0.5, '5/10 loss 0.1', 80);
    expect(wide.bar).toHaveLength(30);
    expect(wide.bar.indexOf('░')).toBe(15);
    const narrow = progressLine('training', 0.5, 'x'.repeat(60), 40);
    expect(narrow.bar).toBe('');
    expect(narrow.before).toHaveLength(39);
    expect(narrow.before.endsWith('…')).toBe(true);
  });

  it('durations: seconds, minutes, hours; ? when unknown', () => {
    expect(formatDuration(4.25)).toBe('4.3s');
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(3 * 3600 + 7 * 60)).toBe('3h07m');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
  });

  it('durations round before they split, so no field reads 60', () => {
    expect(formatDuration(9.97)).toBe('10s');
    expect(formatDuration(59.7)).toBe('1m00s');
    expect(formatDuration(299.6)).toBe('5m00s');
    expect(formatDuration(3599.7)).toBe('1h00m');
    expect(formatDuration(3 * 3600 + 59 * 60 + 45)).toBe('4h00m');
  });
});
