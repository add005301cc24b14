import { defineCommand } from '../_spec.js';

export interface PredictOptions {
  raw: Record<string, unknown>;
}

export const predictSpec = defineCommand<PredictOptions>({
  name: 'predict',
  summary: 'forecast every SKU with uncertainty from a trained model and a promotion plan',
  configure(cmd) {
    cmd.allowUnknownOption(true);
  },
  parse(raw) {
    return { raw };
  },
  load: () => import('./predict.js'),
});
