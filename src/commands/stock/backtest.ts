import { RuntimeError } from '../../errors.js';
import type { Context } from '../_spec.js';
import type { BacktestOptions } from './backtest.spec.js';

export async function run(_options: BacktestOptions, _ctx: Context): Promise<void> {
  throw new RuntimeError('stock backtest is not implemented yet');
}
