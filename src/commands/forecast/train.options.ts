import type { BackendChoice } from '../../models/backend-choice.js';
import type { IngestOptions } from '../../core/types.js';
import { addIngestOptions, parseIngestOptions } from '../_ingest-options.js';
import { UsageError } from '../../errors.js';
import { stringOption } from '../_options.js';
import { defineCommand } from '../command.js';
import { type TrainSettings, addTrainOptions, parseTrainOptions } from './_train-options.js';

export interface TrainOptions {
  data: string;
  model: string;
  ingest: IngestOptions;
  settings: TrainSettings;
  backend: BackendChoice;
}

function modelOption(raw: unknown): string {
  const model = stringOption('--model', raw);
  if (model === '-') throw new UsageError('--model -: a model is a folder, it cannot go to stdout', 'give a folder, e.g. --model model/');
  return model;
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
      model: modelOption(raw.model),
      ingest: parseIngestOptions(raw),
      ...parseTrainOptions(raw),
    };
  },
  load: () => import('./train.js'),
  examples: [
    'stockcast forecast train --data data/samples/sales.csv --model model --horizon 56 --epochs 8 --ensemble 1 --seed 42',
  ],
  docs: ['forecasting.md', 'backends.md'],
});
