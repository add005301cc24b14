/**
 * `npm run samples`: writes the seeded sample data to data/samples/ (sales history, promotion plan,
 * lead times, inventory). Same seed -> byte-identical files. Each file is written atomically.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/io/output.js';
import { generateSamples } from './samples/files.js';
import { DEFAULT_CONFIG } from './samples/sales.js';

/** The repository root: the nearest folder above this file with a package.json (works from scripts/ and dist/scripts/). */
export function repoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

async function main(): Promise<void> {
  const outDir = resolve(repoRoot(), 'data/samples');
  const files = generateSamples(DEFAULT_CONFIG);
  for (const [name, content] of Object.entries(files)) {
    await writeFileAtomic(join(outDir, name), content);
    console.log(`wrote ${join('data/samples', name)} (${(content.length / 1024).toFixed(0)} KiB, ${content.split('\n').length - 2} rows)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
