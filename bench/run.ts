/**
 * `npm run bench [name...]`: runs the benchmarks (all by default) and prints what they measured,
 * with the machine it ran on. Each bench/<name>.ts exports `bench(): Promise<void>`.
 */
import { cpus, totalmem } from 'node:os';

const ALL = ['ingest', 'simulate', 'lstm-reference', 'forecast', 'backtest'];

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const selected = names.length > 0 ? names : ALL;
  console.log(`# stockcast benchmarks — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
  for (const name of selected) {
    if (!ALL.includes(name)) {
      console.error(`unknown benchmark ${name}; known: ${ALL.join(', ')}`);
      process.exitCode = 2;
      return;
    }
    console.log(`\n## ${name}`);
    const mod = (await import(`./${name}.js`)) as { bench: () => Promise<void> };
    await mod.bench();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
