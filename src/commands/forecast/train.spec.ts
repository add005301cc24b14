import type { BackendChoice } from '../../models/backend-choice.js';
import type { IngestOptions } from '../../types.js';
import { addIngestOptions, parseIngestOptions } from '../_ingest-options.js';
import { stringOption } from '../_options.js';
import { defineCommand } from '../_spec.js';
import { type TrainSettings, addTrainOptions, parseTrainOptions } from './_train-options.js';

export interface TrainOptions {
  data: string;
  model: string;
  ingest: IngestOptions;
  settings: TrainSettings;
  backend: BackendChoice;
}

export const trainSpec = defineCommand<TrainOptions>({
  name: 'train',
  summary: 'train one global LSTM across all SKUs from sales history',
  configure(cmd) {
    cmd.requiredOption('--data <file>', 'sales CSV in long format (- = stdin)');
    cmd.requiredOption('--model <dir>', 'model directory to write (replaced atomically)');
    addTrainOptions(cmd, 'periods forecast at once (default: 28 daily, 13 weekly)');
    addIngestOptions(cmd);
    cmd.addHelpText('after', '\nThe model directory holds model.json, weights.bin and metadata.json. See docs/forecasting.md.');
  },
  parse(raw) {
    return {
      data: stringOption('--data', raw.data),
      model: stringOption('--model', raw.model),
      ingest: parseIngestOptions(raw),
      ...parseTrainOptions(raw),
    };
  },
  load: () => import('./train.js'),
});
