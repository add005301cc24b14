import { RuntimeError } from '../../errors.js';
import type { Context } from '../_spec.js';
import type { TrainOptions } from './train.spec.js';

export async function run(_options: TrainOptions, _ctx: Context): Promise<void> {
  throw new RuntimeError('forecast train is not implemented yet');
}
