/** `stock merge`: shard outputs of stock simulate -> the unsharded bytes (io/shard-merge.ts). */
import { emit } from '../../io/output.js';
import { mergeShards } from '../../io/shard-merge.js';
import { absPath, checkPaths } from '../_paths.js';
import type { Context } from '../command.js';
import type { MergeOptions } from './merge.options.js';

export async function run(options: MergeOptions, ctx: Context): Promise<void> {
  // --out may not be one of the shards (it replaced that shard), and a bad --out fails before reading.
  await checkPaths(ctx, [['--out', options.out]], options.files.map((f): [string, string] => ['--in', f]));
  if (options.files.length === 1 && options.shards === undefined) ctx.log.warn('one file to merge: if it is one shard K/N of N > 1, the other shards are missing (stock merge --in takes all N)');
  const merged = await mergeShards(options.files.map((f) => absPath(ctx, f)), ctx.stdin, options.delimiter);
  await emit(absPath(ctx, options.out), merged, ctx.stdout);
}
