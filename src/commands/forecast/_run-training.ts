/** Training with progress reporting, shared by `forecast train` and `forecast evaluate`. */
import type { Logger } from '../../io/log.js';
import { formatDuration } from '../../io/log.js';
import { TrainingProgress } from '../../io/training-progress.js';
import { type BackendInfo, type BackendChoice, initBackend } from '../../models/backend.js';
import { isEqualWeighting } from '../../models/combination-cv.js';
import { MAX_BOUND_MULTIPLE } from '../../models/conformal.js';
import { cvSample } from '../../models/lstm-validation.js';
import { type NetworkEngine, LstmForecaster, shippedMembers, shippedName } from '../../models/lstm-forecaster.js';
import { loadNetwork, trainNetwork } from '../../models/lstm/index.js';
import type { SalesData } from '../../core/types.js';
import type { TrainSettings } from './_train-options.js';

export const ENGINE: NetworkEngine = { train: trainNetwork, load: loadNetwork };

export async function startBackend(choice: BackendChoice, log: Logger): Promise<BackendInfo> {
  const info = await initBackend(choice);
  log.info(`backend: ${info.detail}`);
  return info;
}

/** Raw p10-p90 coverage of the validation actuals below which `train` warns (the target is 0.80). */
const POOR_RAW_COVERAGE = 0.5;

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
  const c = forecaster.trained.combine;
  log.info(
    `trained ${v.epochsRun} epochs (best ${v.bestEpoch}) in ${formatDuration(v.seconds)}, ${Math.round(v.samplesPerSecond)} samples/s`,
  );
  const scored = cvSample(data).series.length;
  const sampled = scored < data.series.length ? `, ${scored} of the ${data.series.length} SKUs` : '';
  const where = `on ${c.origins?.length ?? 0} rolling origins in the validation periods (${c.points ?? 0} points${sampled})`;
  log.info(`${where}: the LSTM alone (model lstm) has WAPE ${num(v.wape, 3)}, p10-p90 coverage ${num(v.coverageRaw, 2)} before calibration (target 0.80)`);
  if (v.coverageRaw < POOR_RAW_COVERAGE)
    log.warn(
      `the networks' own p10-p90 cover only ${num(v.coverageRaw, 2)} of the validation actuals: they have not learnt their errors (too few epochs or too little data?), ` +
        `so the LSTM's intervals rest on the calibration alone, capped at ${MAX_BOUND_MULTIPLE}x the most a SKU sold in one period`,
    );
  const shipped = shippedName(forecaster.trained);
  if (shipped !== 'lstm') {
    const why = c.chosenBy === 'cv' ? 'the best of the candidates, clearly ahead of the default' : c.model === 'auto' ? 'the default set: no candidate was clearly better' : `--combine ${c.model}`;
    log.info(
      `forecast predict ships model ${shipped} (${describeWeights(shippedMembers(forecaster.trained))}; ${why}), WAPE ${num(c.validation?.wape ?? Number.NaN, 3)}, coverage ${num(c.validation?.coverageRaw ?? Number.NaN, 2)} before calibration; classical members are refitted at predict time (--combine none for the LSTM alone)`,
    );
  } else log.info('forecast predict ships model lstm, the LSTM alone (--combine none)');
  const inert = v.inert ?? [];
  if (inert.length > 0) log.warn(`covariates fed as neutral (they never vary within a SKU in the training periods, so the network cannot learn their effect): ${inert.join(', ')}`);
  const shortLived = v.shortLived ?? [];
  if (shortLived.length > 0)
    log.warn(`covariates fed as neutral (they only started to vary less than a year before the end of the training periods, so their effect cannot be told apart from the season's): ${shortLived.join(', ')}`);
  if (v.neutralized.length > 0) log.info(`covariates fed as neutral (they hurt the validation loss): ${v.neutralized.join(', ')}`);
  return forecaster;
}

/** `equal weights`, or `weights lstm 0.75, arimax 0.25`: how train reports the shipped members' weights. */
export function describeWeights(members: readonly { model: string; weight: number }[]): string {
  if (isEqualWeighting(members.map((m) => m.weight))) return 'equal weights';
  return `weights ${members.map((m) => `${m.model} ${num(m.weight, 2)}`).join(', ')}`;
}
