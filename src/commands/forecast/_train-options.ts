/** The training options shared by `forecast train` and `forecast evaluate`. */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { BACKEND_CHOICES, type BackendChoice } from '../../models/backend-choice.js';
import { COMBINE_CANDIDATES, COMBINE_CHOICES, COMBINE_DEFAULT_MEMBERS, DEFAULT_SETTINGS, FREQ_DEFAULTS, type LstmSettings } from '../../models/lstm-settings.js';
import { choiceOption, intOption, numberOption, optionalInt } from '../_options.js';

export type TrainSettings = Omit<LstmSettings, 'onEpoch' | 'onProgress'>;

export function addTrainOptions(cmd: Command, horizonHelp: string): Command {
  const d = DEFAULT_SETTINGS;
  return cmd
    .option('--horizon <n>', horizonHelp)
    .option('--window <n>', `history periods fed to the LSTM (default: ${FREQ_DEFAULTS.D.window} daily, ${FREQ_DEFAULTS.W.window} weekly)`)
    .option('--units <n>', 'LSTM units', String(d.units))
    .option('--decoder-units <n>', 'hidden units of the per-step decoder', String(d.decoderUnits))
    .option('--epochs <n>', 'maximum epochs', String(d.epochs))
    .option('--batch-size <n>', 'windows per gradient step', String(d.batchSize))
    .option('--learning-rate <x>', 'Adam learning rate', String(d.learningRate))
    .option('--validation <n>', 'last periods held out for early stopping (default: the horizon)')
    .option('--samples-per-epoch <n>', 'windows drawn (seeded) per epoch; 0 = all (default: 64 per SKU, 4096 to 8192)')
    .option('--patience <n>', 'epochs without validation improvement before stopping', String(d.patience))
    .option('--ensemble <n>', 'networks trained with different seeds, quantiles averaged', String(d.members))
    .option('--refit', 'ensemble members after the first also train on the validation periods, for the epochs the first needed')
    .option(
      '--combine <model>',
      `the shipped forecast: ${COMBINE_CHOICES.join(' | ')}; auto = the combination of ${COMBINE_CANDIDATES.join(', ')} chosen on rolling origins in the validation span (${COMBINE_DEFAULT_MEMBERS.join('+')} with equal weights unless another set or weighting is clearly better), none = the LSTM alone, a model name = the LSTM and that model`,
      'auto',
    )
    .option('--seed <n>', 'random seed (same seed and data: identical model)', '42')
    .option('--workers <n>', 'threads for gradient shards and classical refits (default: one per core); results do not depend on it')
    .option('--backend <name>', `TF.js backend: ${BACKEND_CHOICES.join(' | ')}`, 'auto');
}

export function parseTrainOptions(raw: Record<string, unknown>): { settings: TrainSettings; backend: BackendChoice } {
  const settings: TrainSettings = {
    horizon: optionalInt('--horizon', raw.horizon, { min: 1, max: 1000 }),
    window: optionalInt('--window', raw.window, { min: 1, max: 2000 }),
    validation: optionalInt('--validation', raw.validation, { min: 1, max: 10_000 }),
    units: intOption('--units', raw.units, { min: 1, max: 4096 }, DEFAULT_SETTINGS.units),
    decoderUnits: intOption('--decoder-units', raw.decoderUnits, { min: 1, max: 4096 }, DEFAULT_SETTINGS.decoderUnits),
    epochs: intOption('--epochs', raw.epochs, { min: 1, max: 100_000 }, DEFAULT_SETTINGS.epochs),
    batchSize: intOption('--batch-size', raw.batchSize, { min: 1, max: 65_536 }, DEFAULT_SETTINGS.batchSize),
    learningRate: numberOption('--learning-rate', raw.learningRate, { above: 0, max: 1 }, DEFAULT_SETTINGS.learningRate),
    samplesPerEpoch: optionalInt('--samples-per-epoch', raw.samplesPerEpoch, { min: 0, max: 100_000_000 }),
    patience: intOption('--patience', raw.patience, { min: 1, max: 100_000 }, DEFAULT_SETTINGS.patience),
    seed: intOption('--seed', raw.seed, { min: 0, max: 2 ** 32 - 1 }, 42),
    refit: raw.refit === true,
    combine: choiceOption('--combine', raw.combine, COMBINE_CHOICES, 'auto'),
    members: intOption('--ensemble', raw.ensemble, { min: 1, max: 20 }, DEFAULT_SETTINGS.members ?? 1),
    workers: optionalInt('--workers', raw.workers, { min: 1, max: 256 }),
  };
  if (settings.validation !== undefined && settings.horizon !== undefined && settings.validation < settings.horizon) {
    throw new UsageError(`--validation (${settings.validation}) must be at least --horizon (${settings.horizon})`);
  }
  return { settings, backend: choiceOption('--backend', raw.backend, BACKEND_CHOICES, 'auto') };
}
