/**
 * Atomic output. A file is written to a temporary sibling, fsynced and renamed into place, so a
 * crash or a failed run never leaves a half-written file and never clobbers the previous good one.
 * The rules (symlinks, FIFOs, missing folders, two outputs together, leftovers of killed runs) are
 * in docs/reliability.md; tests/io/safety-*.test.ts check each of them.
 *
 * - A symlink is written through: the temp file goes beside the resolved target, renamed onto it.
 * - A FIFO or character device (/dev/null, /dev/stdout, a named pipe) is written in place: no temp
 *   file, no rename, not atomic. Sockets, block devices and directories are refused (exit 2).
 * - A missing parent folder is an error (exit 2): an unmounted share must fail, not fill a local folder.
 * - Temp names are `.NAME.tmp-PID-HOST-RANDOM[-old|-prev]`; a later run removes those of its own
 *   host whose process is dead (kill -9, power loss), and nothing else.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { constants } from 'node:fs';
import { RuntimeError, UsageError } from '../errors.js';
import { fsOps } from './fs-ops.js';

export { fsOps, injectFs } from './fs-ops.js';

export interface DataSink {
  write(chunk: string): unknown;
}

/** An output path that cannot be written (exit 2 when found before the run, as it should be). */
export class OutputPathError extends UsageError {}

const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 6);

function tempSibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${HOST}-${randomBytes(4).toString('hex')}`);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface TempEntry {
  name: string;
  /** The temp without its -old / -prev suffix: the parts of one write share it. */
  id: string;
  pid: number;
  /** Host tag; undefined for the names of stockcast versions before 0.2 (`.NAME.tmp-PID-RANDOM`). */
  host: string | undefined;
  suffix: '' | 'old' | 'prev';
}

/** Parse a name of stockcast's temp pattern for target `base`; undefined for anything else. */
export function parseTempName(base: string, name: string): TempEntry | undefined {
  const b = escapeRe(base);
  const m = new RegExp(`^(\\.${b}\\.tmp-(\\d+)-([0-9a-f]{6})-[0-9a-f]{8})(?:-(old|prev))?$`).exec(name);
  if (m) return { name, id: m[1]!, pid: Number(m[2]), host: m[3]!, suffix: (m[4] ?? '') as TempEntry['suffix'] };
  const legacy = new RegExp(`^(\\.${b}\\.tmp-(\\d+)-[0-9a-f]{8})(?:-(old))?$`).exec(name);
  if (legacy) return { name, id: legacy[1]!, pid: Number(legacy[2]), host: undefined, suffix: (legacy[3] ?? '') as TempEntry['suffix'] };
  return undefined;
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temp entries for `base` in `dir` left by a dead process: same host tag and a pid that no longer
 * runs. Names of older versions (no host tag) count only when untouched for 10 minutes.
 */
export async function staleTemps(dir: string, base: string): Promise<TempEntry[]> {
  let names: string[];
  try {
    names = await fsOps.readdir(dir);
  } catch {
    return [];
  }
  const out: TempEntry[] = [];
  for (const name of names) {
    const t = parseTempName(base, name);
    if (t === undefined || pidAlive(t.pid)) continue;
    if (t.host !== undefined && t.host !== HOST) continue;
    if (t.host === undefined) {
      const st = await fsOps.lstat(join(dir, name)).catch(() => undefined);
      if (st === undefined || Date.now() - st.mtimeMs < 10 * 60_000) continue;
    }
    out.push(t);
  }
  return out;
}

/** Remove the stale temp files of `base` in `dir`; returns their names. Failures are ignored. */
export async function cleanStaleTemps(dir: string, base: string): Promise<string[]> {
  const removed: string[] = [];
  for (const t of await staleTemps(dir, base)) {
    try {
      await fsOps.rm(join(dir, t.name), { recursive: true, force: true });
      removed.push(t.name);
    } catch {
      // Not ours to fight over: leave it.
    }
  }
  return removed;
}

/** Test hook: STOCKCAST_TEST_PAUSE=<point> stops here for a minute (tests kill -9 the process). */
async function testPause(point: 'before-rename' | 'mid-swap' | 'between-outputs'): Promise<void> {
  if (process.env.STOCKCAST_TEST_PAUSE !== point) return;
  process.stderr.write(`stockcast-test: paused at ${point}\n`);
  await new Promise((r) => setTimeout(r, 60_000));
}

// ---------------------------------------------------------------------------------------------
// Where an output goes

/** `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`: the process's own descriptors, written in place. */
const OWN_FD = /^\/(dev\/(stdout|stderr|fd\/\d+)|proc\/(self|\d+)\/fd\/\d+)$/;

export interface OutputTarget {
  /** The path as given. */
  path: string;
  /** Where the bytes go: the path with symlinks resolved. */
  real: string;
  /** new: no file yet; file: a regular file replaced atomically; special: FIFO or device, written in place. */
  kind: 'new' | 'file' | 'special';
  /** Permission bits of the file replaced (kept on the new one). */
  mode?: number;
  dev?: number;
  ino?: number;
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

async function lstatOrUndefined(p: string) {
  try {
    return await fsOps.lstat(p);
  } catch (err) {
    if (code(err) === 'ENOENT') return undefined;
    if (code(err) === 'ENOTDIR') throw new OutputPathError(`${p}: a part of the path is not a folder`);
    if (code(err) === 'EACCES') throw new OutputPathError(`${p}: permission denied on a folder of the path`);
    throw err;
  }
}

/** Follow a chain of symlinks that may end nowhere (a dangling link: the file it names is created). */
export async function followLinks(path: string): Promise<string> {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    const st = await lstatOrUndefined(p);
    if (st === undefined || !st.isSymbolicLink()) {
      // Resolve the folder part too (it may hold links).
      const dir = await fsOps.realpath(dirname(p)).catch(() => dirname(p));
      return join(dir, basename(p));
    }
    const link = await fsOps.readlink(p);
    p = isAbsolute(link) ? link : resolve(dirname(p), link);
  }
  throw new OutputPathError(`${path}: too many levels of symbolic links`);
}

async function checkFolder(path: string, dir: string): Promise<void> {
  let st;
  try {
    st = await fsOps.stat(dir);
  } catch (err) {
    if (code(err) === 'ENOENT') {
      throw new OutputPathError(
        `${path}: the folder ${dir} does not exist`,
        'create it first: stockcast does not create folders (an unmounted share must fail, not fill a local folder)',
      );
    }
    throw new OutputPathError(`${path}: cannot use the folder ${dir}: ${(err as Error).message}`);
  }
  if (!st.isDirectory()) throw new OutputPathError(`${path}: ${dir} is not a folder`);
  try {
    await fsOps.access(dir, constants.W_OK);
  } catch {
    throw new OutputPathError(
      `${path}: cannot create files in ${dir} (permission denied)`,
      'stockcast writes a temporary file beside the output and renames it into place; the folder must be writable',
    );
  }
}

/** Work out what writing to `path` means (see the header); throws OutputPathError when it cannot. */
export async function resolveOutput(path: string): Promise<OutputTarget> {
  if (OWN_FD.test(path)) return { path, real: path, kind: 'special' };
  const real = await followLinks(path);
  const st = await lstatOrUndefined(real);
  if (st === undefined) {
    await checkFolder(path, dirname(real));
    return { path, real, kind: 'new' };
  }
  if (st.isDirectory()) throw new OutputPathError(`${path} is a folder`, 'give a file name: --out FOLDER/name.csv');
  if (st.isFile()) {
    await checkFolder(path, dirname(real));
    try {
      await fsOps.access(real, constants.W_OK);
    } catch {
      throw new OutputPathError(`${path} is read-only`, 'stockcast does not replace a file that is not writable; chmod u+w it or choose another path');
    }
    return { path, real, kind: 'file', mode: st.mode & 0o7777, dev: st.dev, ino: st.ino };
  }
  if (st.isFIFO() || st.isCharacterDevice()) {
    try {
      await fsOps.access(real, constants.W_OK);
    } catch {
      throw new OutputPathError(`${path}: permission denied`);
    }
    return { path, real, kind: 'special' };
  }
  const what = st.isSocket() ? 'a socket' : st.isBlockDevice() ? 'a block device' : 'not a regular file';
  throw new OutputPathError(`${path} is ${what}`, 'stockcast writes regular files (atomically), FIFOs and character devices (in place)');
}

export interface PathFlag {
  /** The option, for messages: --out, --per-sku, --model. */
  flag: string;
  /** Absolute path, or '-' for stdout / stdin. */
  path: string;
  /** The path as the user typed it, for messages (default: path). */
  name?: string;
}

/** Is `inner` the same path as `outer` or inside it (both real paths)? */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/**
 * Check every output before the run (exit 2 instead of a failure after minutes of computation):
 * writable, not a folder, parent exists, not one of the inputs, not inside an input folder (the
 * model), and no two outputs at the same place. '-' (stdout) is always fine.
 */
export async function checkOutputs(outputs: PathFlag[], inputs: PathFlag[] = []): Promise<void> {
  const seen: { flag: string; real: string }[] = [];
  for (const o of outputs) {
    if (o.path === '-') continue;
    let t: OutputTarget;
    const shown = o.name ?? o.path;
    try {
      t = await resolveOutput(o.path);
    } catch (err) {
      if (err instanceof OutputPathError) {
        const rest = err.message.startsWith(o.path) ? err.message.slice(o.path.length) : `: ${err.message}`;
        throw new OutputPathError(`${o.flag} ${shown}${rest}`, err.hint);
      }
      throw err;
    }
    if (t.kind === 'special') continue;
    for (const i of inputs) {
      if (i.path === '-') continue;
      const ist = await fsOps.stat(i.path).catch(() => undefined);
      if (ist === undefined) continue;
      const ireal = await fsOps.realpath(i.path).catch(() => i.path);
      const same = (t.ino !== undefined && ist.ino === t.ino && ist.dev === t.dev) || ireal === t.real;
      if (same) throw new OutputPathError(`${o.flag} ${shown} is the input file of ${i.flag}`, 'write the output to another file; stockcast never replaces its own input');
      if (ist.isDirectory() && within(t.real, ireal)) {
        throw new OutputPathError(`${o.flag} ${shown} is inside ${i.flag} ${i.name ?? i.path}`, 'write the output outside that folder');
      }
    }
    const twin = seen.find((s) => s.real === t.real);
    if (twin) throw new OutputPathError(`${o.flag} and ${twin.flag} are the same file: ${shown}`);
    seen.push({ flag: o.flag, real: t.real });
  }
}

// ---------------------------------------------------------------------------------------------
// Writing files

async function writeSynced(file: string, content: string | Uint8Array, mode?: number): Promise<void> {
  const fh = await fsOps.open(file, 'wx', 0o666);
  try {
    if (mode !== undefined) await fh.chmod(mode);
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync a folder so a rename in it survives a power loss; file systems that cannot are skipped. */
async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await fsOps.open(dir, 'r');
    await fh.sync();
  } catch (err) {
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF', 'ENOTSUP', 'EACCES'].includes(code(err) ?? '')) throw err;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

async function writeInPlace(t: OutputTarget, content: string | Uint8Array): Promise<void> {
  // The process's own descriptors are opened for appending: `--out /dev/stdout >> log.csv` must
  // not truncate log.csv (opening /proc/self/fd/1 with O_TRUNC would).
  const fh = await fsOps.open(t.real, OWN_FD.test(t.path) ? 'a' : 'w');
  try {
    await fh.writeFile(content);
  } finally {
    await fh.close();
  }
}

function failure(path: string, err: unknown): RuntimeError {
  if (err instanceof RuntimeError) return err;
  if (err instanceof OutputPathError) return new RuntimeError(err.message, err.hint);
  return new RuntimeError(`could not write ${path}: ${(err as Error).message}`);
}

interface Staged {
  target: OutputTarget;
  tmp?: string;
  /** A hard link (or copy) of the file being replaced, to restore it if a later rename fails. */
  prev?: string;
  renamed: boolean;
}

async function stage(path: string, content: string | Uint8Array): Promise<Staged> {
  const target = await resolveOutput(path);
  if (target.kind === 'special') return { target, renamed: false };
  await cleanStaleTemps(dirname(target.real), basename(target.real));
  const tmp = tempSibling(target.real);
  try {
    await writeSynced(tmp, content, target.mode);
  } catch (err) {
    await fsOps.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  return { target, tmp, renamed: false };
}

async function unstage(s: Staged): Promise<void> {
  if (s.tmp !== undefined && !s.renamed) await fsOps.rm(s.tmp, { force: true }).catch(() => undefined);
  if (s.prev !== undefined) await fsOps.rm(s.prev, { force: true }).catch(() => undefined);
}

/** Write `content` to `path` atomically (see the header for symlinks, FIFOs, missing folders). */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path, content }]);
}

/**
 * Write several files so that they appear together or not at all: every temp file is written and
 * fsynced first, then they are renamed one by one; if a rename fails, the files already renamed
 * get their previous content back (or are removed when they are new). Special files (FIFOs,
 * devices) are written in place after the regular files are in place.
 */
export async function writeFilesAtomic(items: { path: string; content: string | Uint8Array }[]): Promise<void> {
  const staged: Staged[] = [];
  let current = items[0]?.path ?? '';
  try {
    for (const it of items) {
      current = it.path;
      staged.push(await stage(it.path, it.content));
    }
    const files = staged.filter((s) => s.tmp !== undefined);
    if (files.length > 1) {
      // Keep the previous content of each file but the last, to undo its rename if a later one fails.
      for (const s of files.slice(0, -1)) {
        if (s.target.kind !== 'file') continue;
        const prev = `${s.tmp!}-prev`;
        try {
          await fsOps.link(s.target.real, prev);
        } catch {
          await fsOps.copyFile(s.target.real, prev);
        }
        s.prev = prev;
      }
    }
    for (const [k, s] of files.entries()) {
      current = s.target.path;
      await testPause(k === 0 ? 'before-rename' : 'between-outputs');
      await fsOps.rename(s.tmp!, s.target.real);
      s.renamed = true;
    }
    for (const s of files) await syncDir(dirname(s.target.real));
  } catch (err) {
    await rollBack(staged);
    throw failure(current, err);
  }
  for (const s of staged) await unstage(s);
  for (const s of staged) {
    if (s.target.kind !== 'special') continue;
    current = s.target.path;
    try {
      await writeInPlace(s.target, items[staged.indexOf(s)]!.content);
    } catch (err) {
      throw failure(current, err);
    }
  }
}

async function rollBack(staged: Staged[]): Promise<void> {
  for (const s of staged) {
    if (s.renamed) {
      if (s.prev !== undefined) await fsOps.rename(s.prev, s.target.real).catch(() => undefined);
      else if (s.target.kind === 'new') await fsOps.rm(s.target.real, { force: true }).catch(() => undefined);
      s.prev = undefined;
    }
    s.renamed = false;
    await unstage(s);
  }
}

/** `--out FILE` semantics: undefined or '-' means stdout, anything else an atomic file write. */
export async function emit(out: string | undefined, content: string, stdout: DataSink): Promise<void> {
  await emitAll([{ path: out, content }], stdout);
}

/**
 * Several outputs of one command (`--per-sku` and `--out`): the files first, together or not at
 * all (writeFilesAtomic), then what goes to stdout, so a closed stdout cannot keep a file from
 * being written.
 */
export async function emitAll(outputs: { path: string | undefined; content: string }[], stdout: DataSink): Promise<void> {
  const files = outputs.filter((o): o is { path: string; content: string } => o.path !== undefined && o.path !== '-');
  if (files.length > 0) await writeFilesAtomic(files);
  for (const o of outputs) if (o.path === undefined || o.path === '-') stdout.write(o.content);
}

// ---------------------------------------------------------------------------------------------
// Folders (the model directory)

export interface DirSwapNotes {
  /** What recovery did, for a warning. */
  notes: string[];
}

/**
 * Repair what a killed or failed swap of `dir` left behind (see writeDirAtomic). With `dir`
 * missing: a finished new folder (its `-old` sibling exists, so it was complete) is moved into
 * place, else the `-old` one is moved back. With `dir` present: leftovers are removed. Only entries
 * of stockcast's temp pattern whose process is dead are touched; `complete` says whether a
 * folder holds a usable result.
 */
export async function recoverDirSwap(dir: string, complete: (path: string) => Promise<boolean>): Promise<string[]> {
  const parent = dirname(dir);
  const base = basename(dir);
  const stale = await staleTemps(parent, base);
  if (stale.length === 0) return [];
  const notes: string[] = [];
  const groups = new Map<string, TempEntry[]>();
  for (const t of stale) groups.set(t.id, [...(groups.get(t.id) ?? []), t]);
  for (const parts of groups.values()) {
    const exists = (await lstatOrUndefined(dir)) !== undefined;
    const fresh = parts.find((p) => p.suffix === '');
    const old = parts.find((p) => p.suffix === 'old');
    if (!exists) {
      const candidates = [...(fresh && old ? [fresh] : []), ...(old ? [old] : [])];
      for (const c of candidates) {
        const p = join(parent, c.name);
        if (!(await complete(p))) continue;
        await fsOps.rename(p, dir);
        notes.push(`${dir} was missing after an interrupted run (pid ${c.pid}): restored the ${c === old ? 'previous' : 'new'} complete model from ${c.name}`);
        break;
      }
    }
    for (const p of parts) {
      const path = join(parent, p.name);
      if ((await lstatOrUndefined(path)) === undefined) continue;
      await fsOps.rm(path, { recursive: true, force: true });
      notes.push(`removed ${path}, left by an interrupted run (pid ${p.pid})`);
    }
  }
  return notes;
}

/**
 * Write a whole folder so that `dir` always holds a complete version, old or new: the files go into
 * a temporary sibling (each fsynced, then the folder); the existing `dir` is renamed to
 * `<temp>-old`, the new one renamed into place, then the old one removed. If the second rename
 * fails, the old one is renamed back. A run killed between the two renames leaves both folders;
 * `recoverDirSwap` (run by the next train or predict) completes the swap.
 */
export async function writeDirAtomic(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const real = await followLinks(dir);
  const tmp = tempSibling(real);
  const old = `${tmp}-old`;
  let movedAside = false;
  try {
    await checkFolder(dir, dirname(real));
    const exists = (await lstatOrUndefined(real)) !== undefined;
    await fsOps.mkdir(tmp);
    for (const [name, content] of Object.entries(files)) await writeSynced(join(tmp, name), content);
    await syncDir(tmp);
    if (exists) {
      await fsOps.rename(real, old);
      movedAside = true;
      await testPause('mid-swap');
    }
    try {
      await fsOps.rename(tmp, real);
    } catch (err) {
      if (movedAside) {
        try {
          await fsOps.rename(old, real);
          movedAside = false;
        } catch (restoreErr) {
          throw new RuntimeError(
            `could not write ${dir}: ${(err as Error).message}; the previous model is in ${old} (could not move it back: ${(restoreErr as Error).message})`,
            `the next stockcast run on ${dir} moves it back, or do it yourself: mv ${old} ${real}`,
          );
        }
      }
      throw err;
    }
    await syncDir(dirname(real));
  } catch (err) {
    if (!movedAside) await fsOps.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw failure(dir, err);
  }
  if (movedAside) await fsOps.rm(old, { recursive: true, force: true }).catch(() => undefined);
}
