import { RuntimeError } from '../../errors.js';
import type { Context } from '../_spec.js';
import type { EvaluateOptions } from './evaluate.spec.js';

export async function run(_options: EvaluateOptions, _ctx: Context): Promise<void> {
  throw new RuntimeError('forecast evaluate is not implemented yet');
}
