/**
 * Does the data fit the model? Same frequency and every covariate the model was trained with
 * (extra columns are ignored). Returns the data with its covariates in model order. Pure.
 */
import { InputError } from '../errors.js';
import type { SalesData } from '../core/types.js';
import type { ModelMeta } from './model-meta.js';

const FREQ_NAME = { D: 'daily', W: 'weekly' } as const;

export function checkCompatible(meta: Pick<ModelMeta, 'freq' | 'covariates'>, data: SalesData, file: string): SalesData {
  if (data.freq !== meta.freq) {
    throw new InputError(
      `${file}: the data is ${FREQ_NAME[data.freq]} but the model was trained on ${FREQ_NAME[meta.freq]} data`,
      [],
      `use ${FREQ_NAME[meta.freq]} data (or --freq ${meta.freq} if the frequency was misdetected), or train a model on this data`,
    );
  }
  const missing = meta.covariates.filter((c) => !data.covariates.includes(c));
  if (missing.length > 0) {
    throw new InputError(
      `${file}: covariates do not match the model: missing ${missing.join(', ')} (model: ${meta.covariates.join(', ') || 'none'}; data: ${data.covariates.join(', ') || 'none'})`,
      [],
      'give the data the same covariate columns as the training data (--covariates picks columns), or retrain',
    );
  }
  const at = meta.covariates.map((c) => data.covariates.indexOf(c));
  return {
    ...data,
    covariates: [...meta.covariates],
    series: data.series.map((s) => ({ ...s, covariates: at.map((k) => s.covariates[k]!) })),
  };
}
