import { RuntimeError } from '../../errors.js';
import type { Context } from '../_spec.js';
import type { ReorderOptions } from './reorder.spec.js';

export async function run(_options: ReorderOptions, _ctx: Context): Promise<void> {
  throw new RuntimeError('stock reorder is not implemented yet');
}
