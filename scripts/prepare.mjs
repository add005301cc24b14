// `npm install` (and `npm pack`) build the package: bin/ runs dist/, which git does not carry.
// A global install of a bare clone (`npm install -g .` before `npm install`) links the folder
// without installing its dependencies; say so instead of failing on a missing `tsc`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write(`stockcast: cannot build, the dependencies are not installed in ${root}\n`);
  process.stderr.write('run `npm install` in that folder first (it builds), then `npm install -g .`\n');
  process.exit(1);
}
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
