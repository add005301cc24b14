import { defineCommand } from '../_spec.js';

export interface EvaluateOptions {
  raw: Record<string, unknown>;
}

export const evaluateSpec = defineCommand<EvaluateOptions>({
  name: 'evaluate',
  summary: 'hold out the last periods and score the LSTM against baselines',
  configure(cmd) {
    cmd.allowUnknownOption(true);
  },
  parse(raw) {
    return { raw };
  },
  load: () => import('./evaluate.js'),
});
