import { RuntimeError } from '../../errors.js';
import type { Context } from '../_spec.js';
import type { SimulateOptions } from './simulate.spec.js';

export async function run(_options: SimulateOptions, _ctx: Context): Promise<void> {
  throw new RuntimeError('stock simulate is not implemented yet');
}
