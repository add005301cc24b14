import { defineCommand } from '../_spec.js';

export interface BacktestOptions {
  raw: Record<string, unknown>;
}

export const backtestSpec = defineCommand<BacktestOptions>({
  name: 'backtest',
  summary: 'replay actual sales under a policy: stockouts, fill rate, inventory',
  configure(cmd) {
    cmd.allowUnknownOption(true);
  },
  parse(raw) {
    return { raw };
  },
  load: () => import('./backtest.js'),
});
