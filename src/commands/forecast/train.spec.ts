import { defineCommand } from '../_spec.js';

export interface TrainOptions {
  raw: Record<string, unknown>;
}

export const trainSpec = defineCommand<TrainOptions>({
  name: 'train',
  summary: 'train one global LSTM across all SKUs from sales history',
  configure(cmd) {
    cmd.allowUnknownOption(true);
  },
  parse(raw) {
    return { raw };
  },
  load: () => import('./train.js'),
});
