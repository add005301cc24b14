/**
 * io/output.ts under fault injection (issue 8, items 2, 3, 4, 13, 20): every write goes through
 * `fsOps`, so a failing rename, a write that hits ENOSPC or a refused folder can be staged here;
 * the previous output must always survive and no temp file may be left behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, statSync, utimesSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/errors.js';
import { fsError } from '../../src/io/fs-ops.js';
import {
  OutputPathError,
  checkOutputs,
  fsOps,
  injectFs,
  parseTempName,
  recoverDirSwap,
  resolveOutput,
  writeDirAtomic,
  writeFileAtomic,
  writeFilesAtomic,
} from '../../src/io/output.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'stockcast-safety-'));
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 6);
/** A pid that ran and is gone. */
const deadPid = (() => spawnSync(process.execPath, ['-e', '0']).pid!)();
let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

function failRename(when: (from: string, to: string) => boolean, code = 'EIO'): void {
  const real = fsOps.rename;
  restore = injectFs({
    rename: async (from, to) => {
      if (when(String(from), String(to))) throw fsError(code, 'rename', String(from));
      return real(from, to);
    },
  });
}

describe('writeFileAtomic: the previous file survives every failure', () => {
  it('a failing rename (EIO) keeps the old content and leaves no temp file', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'out.csv'), 'old\n');
    failRename(() => true);
    const err = await writeFileAtomic(join(dir, 'out.csv'), 'new\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch(/could not write .*out\.csv: EIO/);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('a write that hits a full disk (ENOSPC) keeps the old content and leaves no temp file', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'out.csv'), 'old\n');
    const realOpen = fsOps.open;
    restore = injectFs({
      open: (async (path: string, flags?: string, mode?: number) => {
        const fh = await realOpen(path, flags, mode);
        if (flags === 'wx') {
          fh.writeFile = async () => {
            throw fsError('ENOSPC', 'write', path, 'no space left on device');
          };
        }
        return fh;
      }) as typeof fsOps.open,
    });
    await expect(writeFileAtomic(join(dir, 'out.csv'), 'new\n')).rejects.toThrow(/could not write .*out\.csv: ENOSPC: no space left on device/);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('fsyncs the temp file before the rename', async () => {
    const dir = tmp();
    const events: string[] = [];
    const realOpen = fsOps.open;
    const realRename = fsOps.rename;
    restore = injectFs({
      open: (async (path: string, flags?: string, mode?: number) => {
        const fh = await realOpen(path, flags, mode);
        const sync = fh.sync.bind(fh);
        fh.sync = async () => {
          events.push(`sync ${flags === 'wx' ? 'file' : 'dir'}`);
          return sync();
        };
        return fh;
      }) as typeof fsOps.open,
      rename: async (a, b) => {
        events.push('rename');
        return realRename(a, b);
      },
    });
    await writeFileAtomic(join(dir, 'out.csv'), 'x\n');
    expect(events).toEqual(['sync file', 'rename', 'sync dir']);
  });

  it('keeps the permission bits of the file it replaces', async () => {
    const dir = tmp();
    const path = join(dir, 'out.csv');
    writeFileSync(path, 'old\n', { mode: 0o640 });
    await writeFileAtomic(path, 'new\n');
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });
});

describe('where an output goes (symlinks, special files, folders)', () => {
  it('a symlink is written through: the target gets the content, the link stays a link', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'erp'));
    writeFileSync(join(dir, 'erp', 'policy.csv'), 'stale\n');
    symlinkSync(join(dir, 'erp', 'policy.csv'), join(dir, 'link.csv'));
    await writeFileAtomic(join(dir, 'link.csv'), 'fresh\n');
    expect(lstatSync(join(dir, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'erp', 'policy.csv'), 'utf8')).toBe('fresh\n');
    expect(readdirSync(join(dir, 'erp'))).toEqual(['policy.csv']); // the temp file went beside the target
    expect(readdirSync(dir).sort()).toEqual(['erp', 'link.csv']);
  });

  it('a relative and a dangling symlink: the file it names is created', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'real'));
    symlinkSync('real/new.csv', join(dir, 'dangling.csv'));
    await writeFileAtomic(join(dir, 'dangling.csv'), 'x\n');
    expect(readFileSync(join(dir, 'real', 'new.csv'), 'utf8')).toBe('x\n');
    expect(lstatSync(join(dir, 'dangling.csv')).isSymbolicLink()).toBe(true);
  });

  it('a FIFO is written in place (not replaced by a regular file)', async () => {
    const dir = tmp();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A reader on the other end, as an ERP loader would be.
    const cat = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let got = '';
    cat.stdout.on('data', (d: Buffer) => (got += d.toString()));
    const done = new Promise((r) => cat.on('close', r));
    await writeFileAtomic(fifo, 'through the pipe\n');
    await done;
    expect(got).toBe('through the pipe\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it('/dev/null is a character device: written in place, nothing else touched', async () => {
    await writeFileAtomic('/dev/null', 'x\n');
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    expect((await resolveOutput('/dev/stdout')).kind).toBe('special');
  });

  it.each([
    ['a folder', (d: string) => (mkdirSync(join(d, 'x')), join(d, 'x')), /--out .*x is a folder/],
    ['a missing parent folder (never created)', (d: string) => join(d, 'share', 'o.csv'), /--out .*o\.csv: the folder .*share does not exist/],
    ['a file used as a folder', (d: string) => (writeFileSync(join(d, 'f'), ''), join(d, 'f', 'o.csv')), /--out .*a part of the path is not a folder|is not a folder/],
  ])('%s is refused up front with exit 2', async (_what, make, message) => {
    const dir = tmp();
    const path = make(dir);
    const before = readdirSync(dir).sort();
    const err = await checkOutputs([{ flag: '--out', path }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputPathError);
    expect((err as OutputPathError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(message);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('an unwritable folder is refused up front with exit 2 (EACCES injected: the tests may run as root)', async () => {
    const dir = tmp();
    const real = fsOps.access;
    restore = injectFs({ access: async (p, m) => (String(p) === dir ? Promise.reject(fsError('EACCES', 'access', dir)) : real(p, m)) });
    await expect(checkOutputs([{ flag: '--out', path: join(dir, 'o.csv') }])).rejects.toThrow(/--out .*o\.csv: cannot create files in .* \(permission denied\)/);
  });

  it('a socket is refused', async () => {
    const dir = tmp();
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((r) => server.listen(join(dir, 'sock'), r));
    try {
      await expect(checkOutputs([{ flag: '--out', path: join(dir, 'sock') }])).rejects.toThrow(/--out .*sock is a socket/);
    } finally {
      server.close();
    }
  });

  it('an output that is an input file, is inside an input folder, or is named twice is refused', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'sales.csv'), 'date,sku,units\n');
    symlinkSync(join(dir, 'sales.csv'), join(dir, 'alias.csv'));
    mkdirSync(join(dir, 'model'));
    const inputs = [
      { flag: '--data', path: join(dir, 'sales.csv') },
      { flag: '--model', path: join(dir, 'model') },
    ];
    await expect(checkOutputs([{ flag: '--out', path: join(dir, 'sales.csv') }], inputs)).rejects.toThrow(/--out .*sales\.csv is the input file of --data/);
    await expect(checkOutputs([{ flag: '--out', path: join(dir, 'alias.csv') }], inputs)).rejects.toThrow(/is the input file of --data/);
    await expect(checkOutputs([{ flag: '--out', path: join(dir, 'model', 'f.csv') }], inputs)).rejects.toThrow(/is inside --model/);
    await expect(
      checkOutputs([
        { flag: '--per-sku', path: join(dir, 'a.csv') },
        { flag: '--out', path: join(dir, 'a.csv') },
      ]),
    ).rejects.toThrow(/--out and --per-sku are the same file/);
    expect(readFileSync(join(dir, 'sales.csv'), 'utf8')).toBe('date,sku,units\n');
  });
});

describe('two outputs appear together or not at all (writeFilesAtomic)', () => {
  it('when the second rename fails, the first file gets its previous content back', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'per-sku.csv'), 'old per-sku\n');
    writeFileSync(join(dir, 'summary.csv'), 'old summary\n');
    failRename((_from, to) => to.endsWith('summary.csv'));
    await expect(
      writeFilesAtomic([
        { path: join(dir, 'per-sku.csv'), content: 'new per-sku\n' },
        { path: join(dir, 'summary.csv'), content: 'new summary\n' },
      ]),
    ).rejects.toThrow(/could not write .*summary\.csv: EIO/);
    expect(readFileSync(join(dir, 'per-sku.csv'), 'utf8')).toBe('old per-sku\n');
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8')).toBe('old summary\n');
    expect(readdirSync(dir).sort()).toEqual(['per-sku.csv', 'summary.csv']);
  });

  it('a first file that did not exist before is removed again', async () => {
    const dir = tmp();
    failRename((_from, to) => to.endsWith('summary.csv'));
    await expect(
      writeFilesAtomic([
        { path: join(dir, 'per-sku.csv'), content: 'new\n' },
        { path: join(dir, 'summary.csv'), content: 'new\n' },
      ]),
    ).rejects.toBeInstanceOf(RuntimeError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failure while writing the second temp file touches neither output', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.csv'), 'old a\n');
    const realOpen = fsOps.open;
    restore = injectFs({
      open: (async (path: string, flags?: string, mode?: number) => {
        if (flags === 'wx' && path.includes('.b.csv.tmp-')) throw fsError('ENOSPC', 'open', path);
        return realOpen(path, flags, mode);
      }) as typeof fsOps.open,
    });
    await expect(
      writeFilesAtomic([
        { path: join(dir, 'a.csv'), content: 'new a\n' },
        { path: join(dir, 'b.csv'), content: 'new b\n' },
      ]),
    ).rejects.toThrow(/b\.csv: ENOSPC/);
    expect(readdirSync(dir)).toEqual(['a.csv']);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('old a\n');
  });

  it('both written: no backup or temp file left', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.csv'), 'old\n');
    await writeFilesAtomic([
      { path: join(dir, 'a.csv'), content: 'A\n' },
      { path: join(dir, 'b.csv'), content: 'B\n' },
    ]);
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'b.csv']);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('A\n');
  });
});

describe('leftovers of killed runs (item 20)', () => {
  it('stale temp files of a dead stockcast process are removed; live, foreign-host and unrelated files are not', async () => {
    const dir = tmp();
    const stale = `.out.csv.tmp-${deadPid}-${HOST}-0badf00d`;
    const staleBackup = `.out.csv.tmp-${deadPid}-${HOST}-0badf00e-prev`;
    const live = `.out.csv.tmp-${process.ppid}-${HOST}-12345678`;
    const otherHost = `.out.csv.tmp-${deadPid}-${HOST === 'abcdef' ? 'fedcba' : 'abcdef'}-12345678`;
    const otherFile = `.other.csv.tmp-${deadPid}-${HOST}-12345678`;
    for (const n of [stale, staleBackup, live, otherHost, otherFile, 'notes.txt', '.out.csv.tmp-bak']) writeFileSync(join(dir, n), 'x');
    await writeFileAtomic(join(dir, 'out.csv'), 'new\n');
    expect(readdirSync(dir).sort()).toEqual([live, otherHost, otherFile, '.out.csv.tmp-bak', 'notes.txt', 'out.csv'].sort());
  });

  it('temp names of older versions (no host tag) are removed only after 10 minutes untouched', async () => {
    const dir = tmp();
    const oldName = `.out.csv.tmp-${deadPid}-0badf00d`;
    const freshName = `.out.csv.tmp-${deadPid}-0badf00e`;
    writeFileSync(join(dir, oldName), 'x');
    writeFileSync(join(dir, freshName), 'x');
    const past = new Date(Date.now() - 11 * 60_000);
    utimesSync(join(dir, oldName), past, past);
    await writeFileAtomic(join(dir, 'out.csv'), 'new\n');
    expect(readdirSync(dir).sort()).toEqual([freshName, 'out.csv'].sort());
  });

  it('parses only its own naming pattern', () => {
    expect(parseTempName('m', `.m.tmp-12-${HOST}-0123abcd-old`)).toMatchObject({ pid: 12, host: HOST, suffix: 'old' });
    expect(parseTempName('m', '.m.tmp-12-0123abcd-old')).toMatchObject({ pid: 12, host: undefined, suffix: 'old' });
    expect(parseTempName('m', '.m.tmp-12-0123abcd-older')).toBeUndefined();
    expect(parseTempName('m', '.mx.tmp-12-0123abcd')).toBeUndefined();
    expect(parseTempName('a.b', '.aXb.tmp-12-0123abcd')).toBeUndefined();
  });
});

describe('the model folder swap never leaves PATH without a complete folder (item 2)', () => {
  const complete = async (p: string) => existsSync(join(p, 'metadata.json'));

  it('fsyncs every file and the new folder before the swap, and the parent after it', async () => {
    const dir = join(tmp(), 'model');
    await writeDirAtomic(dir, { 'metadata.json': 'v1' });
    const events: string[] = [];
    const realOpen = fsOps.open;
    const realRename = fsOps.rename;
    restore = injectFs({
      open: (async (path: string, flags?: string, mode?: number) => {
        const fh = await realOpen(path, flags, mode);
        const sync = fh.sync.bind(fh);
        fh.sync = async () => {
          events.push(`sync ${flags === 'wx' ? path.split('/').pop() : path === join(dir, '..') ? 'parent' : 'new folder'}`);
          return sync();
        };
        return fh;
      }) as typeof fsOps.open,
      rename: async (a, b) => {
        events.push(String(b) === dir ? 'rename new -> PATH' : 'rename PATH -> old');
        return realRename(a, b);
      },
    });
    await writeDirAtomic(dir, { 'a.bin': 'x', 'metadata.json': 'v2' });
    expect(events).toEqual(['sync a.bin', 'sync metadata.json', 'sync new folder', 'rename PATH -> old', 'rename new -> PATH', 'sync parent']);
  });

  it('a full disk while writing the new model: the old one is untouched, no leftovers', async () => {
    const dir = join(tmp(), 'model');
    await writeDirAtomic(dir, { 'metadata.json': 'v1', 'weights.bin': 'w1' });
    const realOpen = fsOps.open;
    restore = injectFs({
      open: (async (path: string, flags?: string, mode?: number) => {
        if (flags === 'wx' && path.endsWith('weights.bin')) throw fsError('ENOSPC', 'open', path, 'no space left on device');
        return realOpen(path, flags, mode);
      }) as typeof fsOps.open,
    });
    await expect(writeDirAtomic(dir, { 'metadata.json': 'v2', 'weights.bin': 'w2' })).rejects.toThrow(/could not write .*model: ENOSPC/);
    expect(readFileSync(join(dir, 'metadata.json'), 'utf8')).toBe('v1');
    expect(readdirSync(join(dir, '..'))).toEqual(['model']);
  });

  it('the second rename fails: the old folder is moved back', async () => {
    const dir = join(tmp(), 'model');
    await writeDirAtomic(dir, { 'metadata.json': 'v1' });
    failRename((from, to) => to === dir && !from.endsWith('-old'));
    await expect(writeDirAtomic(dir, { 'metadata.json': 'v2' })).rejects.toThrow(/could not write .*model: EIO/);
    expect(readFileSync(join(dir, 'metadata.json'), 'utf8')).toBe('v1');
    expect(readdirSync(join(dir, '..'))).toEqual(['model']);
  });

  it('the second rename and the restore both fail: the error names the old folder, the next run puts a complete model back', async () => {
    const parent = tmp();
    const dir = join(parent, 'model');
    await writeDirAtomic(dir, { 'metadata.json': 'v1' });
    failRename((_from, to) => to === dir);
    const err = await writeDirAtomic(dir, { 'metadata.json': 'v2' }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/the previous model is in .*\.model\.tmp-\d+-[0-9a-f]{6}-[0-9a-f]{8}-old/);
    expect(existsSync(dir)).toBe(false);
    restore!();
    restore = undefined;
    // Our own pid is alive, so nothing is touched yet; a leftover of a dead process is recovered.
    expect(await recoverDirSwap(dir, complete)).toEqual([]);
    for (const n of readdirSync(parent)) {
      const renamed = n.replace(/tmp-\d+-/, `tmp-${deadPid}-`);
      renameSync(join(parent, n), join(parent, renamed));
    }
    const notes = await recoverDirSwap(dir, complete);
    expect(notes.join('\n')).toMatch(/restored the new complete model/);
    expect(readFileSync(join(dir, 'metadata.json'), 'utf8')).toBe('v2');
    expect(readdirSync(parent)).toEqual(['model']);
  });

  it('through a symlink: the folder it points to is swapped, the link stays, recovery looks beside the target', async () => {
    const parent = tmp();
    mkdirSync(join(parent, 'store'));
    const real = join(parent, 'store', 'v1');
    await writeDirAtomic(real, { 'metadata.json': 'v1' });
    symlinkSync(real, join(parent, 'model'));
    await writeDirAtomic(join(parent, 'model'), { 'metadata.json': 'v2' });
    expect(lstatSync(join(parent, 'model')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(real, 'metadata.json'), 'utf8')).toBe('v2');
    expect(readdirSync(join(parent, 'store'))).toEqual(['v1']);
    // A killed swap beside the target: the link dangles until recovery.
    const { rmSync } = await import('node:fs');
    rmSync(real, { recursive: true });
    const old = join(parent, 'store', `.v1.tmp-${deadPid}-${HOST}-deadbeef-old`);
    mkdirSync(old);
    const { recoverModelDir } = await import('../../src/io/model-dir.js');
    writeFileSync(join(old, 'metadata.json'), JSON.stringify({ format: 'stockcast-lstm' }));
    expect((await recoverModelDir(join(parent, 'model'))).join()).toMatch(/restored the previous complete model/);
    expect(readdirSync(join(parent, 'store'))).toEqual(['v1']);
    expect(existsSync(join(parent, 'model', 'metadata.json'))).toBe(true);
  });

  it.each([
    ['killed between the two renames', ['new', 'old'], false, 'v2'],
    ['killed after moving the old one aside, new one gone', ['old'], false, 'v1'],
    ['killed while writing the new one', ['new-incomplete'], true, 'v1'],
    ['killed before removing the old one', ['old'], true, 'v1'],
  ])('%s: recovered', async (_what, parts, present, expected) => {
    const parent = tmp();
    const dir = join(parent, 'model');
    const id = `.model.tmp-${deadPid}-${HOST}-deadbeef`;
    if (present) {
      mkdirSync(dir);
      writeFileSync(join(dir, 'metadata.json'), 'v1');
    }
    for (const p of parts) {
      const name = p === 'old' ? `${id}-old` : id;
      mkdirSync(join(parent, name));
      if (p !== 'new-incomplete') writeFileSync(join(parent, name, 'metadata.json'), p === 'old' ? 'v1' : 'v2');
    }
    await recoverDirSwap(dir, complete);
    expect(readdirSync(parent)).toEqual(['model']);
    expect(readFileSync(join(dir, 'metadata.json'), 'utf8')).toBe(expected);
  });
});
