/** A clone that was never built (no dist/, no node_modules) says what to run instead of a stack trace. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

function bareCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stockcast-bare-'));
  cpSync(resolve(REPO_ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(resolve(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  return dir;
}

const run = (dir: string, bin: string) => spawnSync(process.execPath, [join(dir, 'bin', bin), '--version'], { encoding: 'utf8', timeout: 30_000 });

describe('an unbuilt checkout', () => {
  it('every executable says it is not built and to run npm install, exit 1, no stack trace', () => {
    const dir = bareCopy();
    for (const bin of ['stockcast.js', 'forecast.js', 'stock.js']) {
      const r = run(dir, bin);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^error: stockcast is not built: /);
      expect(r.stderr).toContain(`run \`npm install\` in ${dir}`);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('a missing dependency is named as such', () => {
    const dir = bareCopy();
    mkdirSync(join(dir, 'dist', 'src'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'src', 'cli.js'), "import 'commander';\nexport const main = async () => 0;\n");
    const r = run(dir, 'stockcast.js');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: stockcast cannot find one of its dependencies: .*commander/);
  });
});
