import { RuntimeError } from '../../errors.js';
import type { Context } from '../_spec.js';
import type { PredictOptions } from './predict.spec.js';

export async function run(_options: PredictOptions, _ctx: Context): Promise<void> {
  throw new RuntimeError('forecast predict is not implemented yet');
}
