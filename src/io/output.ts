/**
 * Atomic output. A file is written to a temporary sibling and renamed into place, so a crash or a
 * validation error never leaves a half-written file and never clobbers the previous good one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RuntimeError } from '../errors.js';

export interface DataSink {
  write(chunk: string): unknown;
}

function tempSibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Write `content` to `path` atomically (temp file in the same folder, then rename). */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = tempSibling(path);
  try {
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new RuntimeError(`could not write ${path}: ${(err as Error).message}`);
  }
}

/**
 * Write a whole folder atomically: the files go into a temporary sibling folder which then replaces
 * `dir`. An existing `dir` is moved aside first and removed only after the new one is in place.
 */
export async function writeDirAtomic(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const tmp = tempSibling(dir);
  const old = `${tmp}-old`;
  try {
    await mkdir(tmp, { recursive: true });
    for (const [name, content] of Object.entries(files)) await writeFile(join(tmp, name), content);
    const exists = await stat(dir).then(
      () => true,
      () => false,
    );
    if (exists) await rename(dir, old);
    await rename(tmp, dir);
    if (exists) await rm(old, { recursive: true, force: true });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw new RuntimeError(`could not write ${dir}: ${(err as Error).message}`);
  }
}

/** `--out FILE` semantics: undefined or '-' means stdout, anything else an atomic file write. */
export async function emit(out: string | undefined, content: string, stdout: DataSink): Promise<void> {
  if (out === undefined || out === '-') {
    stdout.write(content);
    return;
  }
  await writeFileAtomic(out, content);
}
