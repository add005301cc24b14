/**
 * What stockcast echoes back of its inputs (SKU ids, cell values, column names) goes to a terminal
 * or a log: control characters, escape sequences and binary bytes are shown as escapes, and long
 * values are cut, so a hostile or broken file cannot drive the terminal or flood the log. Pure.
 */

/** C0 and C1 control characters, DEL, and lone surrogates (bytes that were not valid UTF-8 show as U+FFFD already). */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/g;

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Control characters and escape sequences made visible (`\x1b`, `\n`, ...); nothing cut. */
export function escapeControls(s: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(s) ? s.replace(UNSAFE, (ch, offset: number) => (isPairedSurrogate(s, offset) ? ch : escapeChar(ch))) : s;
}

function isPairedSurrogate(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = s.charCodeAt(i + 1);
    return d >= 0xdc00 && d <= 0xdfff;
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const b = s.charCodeAt(i - 1);
    return b >= 0xd800 && b <= 0xdbff;
  }
  return false;
}

/** Safe to print: controls escaped, then cut to `max` characters with a note of how much was cut. */
export function safeText(s: string, max = 80): string {
  const cut = s.length > max * 4 ? s.slice(0, max * 4) : s;
  const e = escapeControls(cut);
  if (e.length <= max && cut.length === s.length) return e;
  const kept = e.slice(0, Math.max(1, max - 1));
  return `${kept}…(${s.length} chars)`;
}

/** A SKU id or other value for a message: sanitised, cut, and quoted. */
export function showValue(s: string, max = 60): string {
  return `"${safeText(s, max).replace(/"/g, '\\"')}"`;
}

/** Cap on one message line written to stderr. */
export const MAX_MESSAGE = 2000;
