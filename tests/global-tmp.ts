/**
 * Vitest global setup: every temporary directory the tests make (mkdtemp under os.tmpdir(), in
 * the test workers and in the CLI processes they spawn) lands in one directory per run, removed
 * when the run ends, so `npm test` leaves nothing behind in the system's temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'stockcast-tests-'));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
