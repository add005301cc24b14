/** Training with progress reporting, shared by `forecast train` and `forecast evaluate`. */
import type { Logger } from '../../io/log.js';
import { formatDuration } from '../../io/log.js';
import { type BackendInfo, type BackendChoice, initBackend } from '../../models/backend.js';
import { type NetworkEngine, LstmForecaster } from '../../models/lstm-forecaster.js';
import { loadNetwork, trainNetwork } from '../../models/lstm/index.js';
import type { SalesData } from '../../types.js';
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

/** Fit an LSTM on `data`, with a progress bar on a TTY and one line per epoch otherwise. */
export async function trainLstm(data: SalesData, settings: TrainSettings, log: Logger): Promise<LstmForecaster> {
  let bar: ReturnType<Logger['progress']> | undefined;
  let epoch = 1;
  let last = '';
  const forecaster = new LstmForecaster(ENGINE, {
    ...settings,
    onMember(m, n) {
      if (n > 1) log.info(`ensemble member ${m}/${n}`);
    },
    onProgress(done, total) {
      bar ??= log.progress(`epoch ${epoch}/${settings.epochs}`, total);
      bar.update(done, last);
    },
    onEpoch(e) {
      last = `loss ${num(e.loss)} val ${num(e.valLoss)} ${Math.round(e.samplesPerSecond)} samples/s`;
      const eta = formatDuration(e.seconds * (e.epochs - e.epoch));
      const line = `epoch ${e.epoch}/${e.epochs}  loss ${num(e.loss)}  val loss ${num(e.valLoss)}${e.best ? ' *' : '  '}  ${Math.round(e.samplesPerSecond)} samples/s  ${e.seconds.toFixed(1)}s  (at most ${eta} left)`;
      bar?.finish();
      bar = undefined;
      log.progress('', 0).line(line);
      epoch = e.epoch + 1;
    },
  });
  await forecaster.fit(data);
  bar?.finish();
  const v = forecaster.trained.validation;
  log.info(
    `trained ${v.epochsRun} epochs (best ${v.bestEpoch}) in ${formatDuration(v.seconds)}, ${Math.round(v.samplesPerSecond)} samples/s; ` +
      `validation WAPE ${num(v.wape, 3)}, p10-p90 coverage ${num(v.coverageRaw, 2)} -> ${num(v.coverage, 2)} after calibration`,
  );
  const c = forecaster.trained.combine;
  if (c.model !== 'none') log.info(`shipped forecast = ${c.weight} x LSTM + ${1 - c.weight} x ${c.model} (refitted at predict time; --combine none for the LSTM alone)`);
  if (v.neutralized.length > 0) log.info(`covariates fed as neutral (they hurt the validation loss): ${v.neutralized.join(', ')}`);
  return forecaster;
}
