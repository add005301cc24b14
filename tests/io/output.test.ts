/** --out semantics: stdout for undefined/'-', otherwise an atomic write that never leaves a partial file. */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/errors.js';
import { emit, writeDirAtomic, writeFileAtomic } from '../../src/io/output.js';

describe('atomic output', () => {
  it('emit writes to stdout for undefined and "-"', async () => {
    let text = '';
    const sink = { write: (s: string) => (text += s) };
    await emit(undefined, 'a\n', sink);
    await emit('-', 'b\n', sink);
    expect(text).toBe('a\nb\n');
  });

  it('writes files through a temporary sibling, leaving no temp file; never creates a missing folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockcast-out-'));
    const path = join(dir, 'sub', 'x.csv');
    await expect(emit(path, 'one\n', { write: () => true })).rejects.toThrow(/the folder .*sub does not exist/);
    expect(readdirSync(dir)).toEqual([]);
    mkdirSync(join(dir, 'sub'));
    await emit(path, 'one\n', { write: () => true });
    await writeFileAtomic(path, 'two\n');
    expect(readFileSync(path, 'utf8')).toBe('two\n');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['x.csv']);
  });

  it('a failed write is a RuntimeError and keeps the previous file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockcast-out-'));
    writeFileSync(join(dir, 'target'), 'old');
    // Renaming a file onto a non-empty directory fails.
    const blocker = join(dir, 'blocker');
    await writeDirAtomic(blocker, { 'f.txt': 'x' });
    await expect(writeFileAtomic(blocker, 'new')).rejects.toBeInstanceOf(RuntimeError);
    expect(readdirSync(dir).sort()).toEqual(['blocker', 'target']);
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('old');
  });

  it('writeDirAtomic replaces a whole folder', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'stockcast-out-')), 'model');
    await writeDirAtomic(dir, { 'a.json': '1', 'b.bin': new Uint8Array([1, 2]) });
    await writeDirAtomic(dir, { 'c.json': '3' });
    expect(readdirSync(dir)).toEqual(['c.json']);
  });
});
