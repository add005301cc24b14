/** Training with progress reporting, shared by `forecast train` and `forecast evaluate`. */
import type { Logger } from '../../io/log.js';
import { formatDuration } from '../../io/log.js';
import { TrainingProgress } from '../../io/training-progress.js';
import { type BackendInfo, type BackendChoice, initBackend } from '../../models/backend.js';
import { type NetworkEngine, LstmForecaster } from '../../models/lstm-forecaster.js';
import { loadNetwork, trainNetwork } from '../../models/lstm/index.js';
import type { SalesData } from '../../core/types.js';
import type { TrainSettings } from './_train-options.js';

export const ENGINE: NetworkEngine = { train: trainNetwork, load: loadNetwork };

export async function startBackend(choice: BackendChoice, log: Logger): Promise<BackendInfo> {
  const info = await initBackend(choice);
  log.info(`backend: ${info.detail}`);
  return info;
}

function num(x: number, d = 4): string {
  return Number.isFinite(x) ? x.toFixed(d) : '-';
}

/** Fit an LSTM on `data`: a progress line on a TTY, one line per epoch (see io/training-progress.ts). */
export async function trainLstm(data: SalesData, settings: TrainSettings, log: Logger): Promise<LstmForecaster> {
  const progress = new TrainingProgress(log, { epochs: settings.epochs, members: settings.members ?? 1, patience: settings.patience }, () => log.width?.());
  const forecaster = new LstmForecaster(ENGINE, {
    ...settings,
    onMember: (m, n) => progress.onMember(m, n),
    onProgress: (done, total) => progress.onProgress(done, total),
    onEpoch: (e) => progress.onEpoch(e),
  });
  try {
    await forecaster.fit(data);
  } finally {
    progress.finish();
  }
  const v = forecaster.trained.validation;
  log.info(
    `trained ${v.epochsRun} epochs (best ${v.bestEpoch}) in ${formatDuration(v.seconds)}, ${Math.round(v.samplesPerSecond)} samples/s; ` +
      `on the validation periods the LSTM alone (model lstm) has WAPE ${num(v.wape, 3)}, p10-p90 coverage ${num(v.coverageRaw, 2)} -> ${num(v.coverage, 2)} after calibration (target 0.80)`,
  );
  const c = forecaster.trained.combine;
  if (c.model !== 'none') {
    log.info(`forecast predict ships model ${forecaster.name}+${c.model} = ${c.weight} x LSTM + ${1 - c.weight} x ${c.model} (${c.model} refitted at predict time; --combine none ships ${forecaster.name}, the LSTM alone)`);
  }
  if (v.neutralized.length > 0) log.info(`covariates fed as neutral (they hurt the validation loss): ${v.neutralized.join(', ')}`);
  return forecaster;
}
