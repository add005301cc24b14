import { UsageError } from '../../errors.js';
import { optionalInt, optionalString } from '../_options.js';
import { defineCommand } from '../command.js';
import { DELIMITER_HELP, parseDelimiter } from '../_csv-dialect.js';

export interface MergeOptions {
  /** Shard files (stock simulate --shard K/N outputs); '-' = stdin (once). */
  files: string[];
  out?: string;
  /** --delimiter of the shard files (copied as they are: the output keeps it). */
  delimiter: string;
  /** --shards N: the run's shard count; the files must then be exactly its N shards (default: N = the number of files). */
  shards?: number;
}

export const mergeSpec = defineCommand<MergeOptions>({
  name: 'merge',
  summary: 'merge the CSV outputs of stock simulate --shard K/N into exactly the unsharded output',
  configure(cmd) {
    cmd
      .requiredOption('--in <files...>', 'the shard CSVs (stock simulate --shard K/N --out ...), in any order; - = stdin (once)')
      .option('--out <file>', 'write the merged policy here (atomically) instead of stdout')
      .option('--shards <N>', 'the N of the run (--shard K/N): refuse anything but its N shards, whatever the file list holds (default: N = the number of files)')
      .option('--delimiter <char>', DELIMITER_HELP, ',')
      .addHelpText(
        'after',
        '\nRows are copied byte for byte and sorted by sku as stock simulate sorts them, so the result is\n' +
          'byte-identical to the unsharded run, quoted SKUs included. Headers must match; a SKU in two files is an error.\n' +
          'Without --shards, N files are checked as the N shards K/N of a run; that cannot tell shards 0/4 and 1/4 from\n' +
          'a whole 2-shard run. A cron job that knows N passes --shards N, so a missing shard file is always an error.',
      );
  },
  parse(raw) {
    const files = Array.isArray(raw.in) ? raw.in.map(String) : raw.in === undefined ? [] : [String(raw.in)];
    if (files.length === 0) throw new UsageError('--in: give the shard files');
    const shards = optionalInt('--shards', raw.shards, { min: 1 });
    if (shards !== undefined && shards !== files.length) {
      throw new UsageError(`--shards ${shards}: expected ${shards} shard file${shards === 1 ? '' : 's'}, got ${files.length} (--in ${files.join(' ')})`, 'give every shard K/N of the run, K = 0..N-1');
    }
    return { files, out: optionalString(raw.out), delimiter: parseDelimiter(raw.delimiter), shards };
  },
  load: () => import('./merge.js'),
  examples: [
    '# with the forecast of the forecast predict example:',
    'stockcast stock simulate --forecast forecast.csv --lead-times data/samples/lead_times.csv --shard 0/2 --out policy-0.csv',
    'stockcast stock simulate --forecast forecast.csv --lead-times data/samples/lead_times.csv --shard 1/2 --out policy-1.csv',
    'stockcast stock merge --shards 2 --in policy-0.csv policy-1.csv --out policy.csv',
  ],
  docs: ['simulate.md'],
});
