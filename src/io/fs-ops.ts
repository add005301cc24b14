/**
 * The file-system calls stockcast's outputs and inputs go through, in one object so tests can
 * inject faults (a failing rename, a write that hits ENOSPC, an EIO on read) without mocking
 * node:fs. Production code never changes it; `injectFs` returns the function that undoes it.
 */
import { createReadStream } from 'node:fs';
import * as fsp from 'node:fs/promises';

export interface FsOps {
  open: typeof fsp.open;
  rename: typeof fsp.rename;
  rm: typeof fsp.rm;
  mkdir: typeof fsp.mkdir;
  lstat: typeof fsp.lstat;
  stat: typeof fsp.stat;
  realpath: typeof fsp.realpath;
  readlink: typeof fsp.readlink;
  readdir: typeof fsp.readdir;
  readFile: typeof fsp.readFile;
  link: typeof fsp.link;
  copyFile: typeof fsp.copyFile;
  access: typeof fsp.access;
  createReadStream: typeof createReadStream;
}

const REAL: FsOps = {
  open: fsp.open,
  rename: fsp.rename,
  rm: fsp.rm,
  mkdir: fsp.mkdir,
  lstat: fsp.lstat,
  stat: fsp.stat,
  realpath: fsp.realpath,
  readlink: fsp.readlink,
  readdir: fsp.readdir,
  readFile: fsp.readFile,
  link: fsp.link,
  copyFile: fsp.copyFile,
  access: fsp.access,
  createReadStream,
};

/** The calls in use. Only tests replace entries, through `injectFs`. */
export const fsOps: FsOps = { ...REAL };

/** Replace some calls (fault injection in tests); returns a function that restores the real ones. */
export function injectFs(overrides: Partial<FsOps>): () => void {
  Object.assign(fsOps, overrides);
  return () => {
    Object.assign(fsOps, REAL);
  };
}

/** An error as Node's fs raises it (code, syscall, path), for fault injection. */
export function fsError(code: string, syscall: string, path: string, message = code): NodeJS.ErrnoException {
  const e = new Error(`${code}: ${message}, ${syscall} '${path}'`) as NodeJS.ErrnoException;
  e.code = code;
  e.syscall = syscall;
  e.path = path;
  return e;
}

/** True for an error raised by the operating system (it has an errno code such as EIO, EACCES). */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  const e = err as NodeJS.ErrnoException | undefined;
  return typeof e?.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === 'string';
}
