/** `stock merge`: shard outputs of stock simulate -> the unsharded bytes (io/shard-merge.ts). */
import { emit } from '../../io/output.js';
import { mergeShards } from '../../io/shard-merge.js';
import { absPath, checkPaths } from '../_paths.js';
import type { Context } from '../command.js';
import type { MergeOptions } from './merge.options.js';

export async function run(options: MergeOptions, ctx: Context): Promise<void> {
  // --out may not be one of the shards (it replaced that shard), and a bad --out fails before reading.
  await checkPaths(ctx, [['--out', options.out]], options.files.map((f): [string, string] => ['--in', f]));
  const merged = await mergeShards(options.files.map((f) => absPath(ctx, f)), ctx.stdin, options.delimiter);
  await emit(absPath(ctx, options.out), merged, ctx.stdout);
}
