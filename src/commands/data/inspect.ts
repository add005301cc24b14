import { RuntimeError } from '../../errors.js';
import type { Context } from '../_spec.js';
import type { InspectOptions } from './inspect.spec.js';

export async function run(_options: InspectOptions, _ctx: Context): Promise<void> {
  throw new RuntimeError('data inspect is not implemented yet');
}
