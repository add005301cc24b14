import { defineCommand } from '../_spec.js';

export interface SimulateOptions {
  raw: Record<string, unknown>;
}

export const simulateSpec = defineCommand<SimulateOptions>({
  name: 'simulate',
  summary: 'Monte Carlo safety stock and reorder points per SKU from forecasts',
  configure(cmd) {
    cmd.allowUnknownOption(true);
  },
  parse(raw) {
    return { raw };
  },
  load: () => import('./simulate.js'),
});
