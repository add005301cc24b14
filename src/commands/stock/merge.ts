/** `stock merge`: shard outputs of stock simulate -> the unsharded bytes (io/shard-merge.ts). */
import { isAbsolute, resolve } from 'node:path';
import { emit } from '../../io/output.js';
import { mergeShards } from '../../io/shard-merge.js';
import type { Context } from '../command.js';
import type { MergeOptions } from './merge.options.js';

export async function run(options: MergeOptions, ctx: Context): Promise<void> {
  const path = (p: string) => (p === '-' || isAbsolute(p) ? p : resolve(ctx.cwd, p));
  const merged = await mergeShards(options.files.map(path), ctx.stdin, options.delimiter);
  await emit(options.out === undefined || options.out === '-' ? options.out : path(options.out), merged, ctx.stdout);
}
