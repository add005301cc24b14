// `npm install` (and `npm pack`) build the package: bin/ runs dist/, which git does not carry.
// `npm install -g .` in a bare clone links the folder without installing its dependencies, so
// then this installs them in the folder first (the link points here), and builds.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const findTsc = () => {
  try {
    return require.resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
};

let tsc = findTsc();
if (tsc === undefined) {
  process.stderr.write(`stockcast: installing its dependencies in ${root} before building\n`);
  // The nested install is a plain local one in this folder: drop the global/prefix settings of ours.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(global|prefix|location)$/i.test(k)));
  const npm = process.env.npm_execpath;
  const [cmd, args] = npm ? [process.execPath, [npm]] : ['npm', []];
  const r = spawnSync(cmd, [...args, 'install', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', env });
  tsc = r.status === 0 ? findTsc() : undefined;
  if (tsc === undefined) {
    process.stderr.write(`stockcast: cannot build: the dependencies could not be installed in ${root}\n`);
    process.stderr.write('run `npm install` in that folder, then `npm install -g .`\n');
    process.exit(1);
  }
}
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
