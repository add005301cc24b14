// Shared by the three executables: load the built CLI, or say plainly what is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function start(prefix) {
  let main;
  try {
    ({ main } = await import('../dist/src/cli.js'));
  } catch (err) {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
      const dir = fileURLToPath(new URL('..', import.meta.url));
      const built = existsSync(new URL('../dist/src/cli.js', import.meta.url));
      const what = built ? 'cannot find one of its dependencies' : 'is not built';
      process.stderr.write(`error: stockcast ${what}: ${String(err.message).split('\n')[0]}\n`);
      process.stderr.write(`run \`npm install\` in ${dir} (it installs the dependencies and builds), then try again\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
  process.exitCode = await main([...prefix, ...process.argv.slice(2)]);
}
