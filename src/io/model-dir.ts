/**
 * The model directory: model.json + weights.bin (TF.js LayersModel layout) + metadata.json.
 * Written atomically (a temporary folder renamed into place); metadata is checked on load.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { NetworkFiles } from '../models/lstm/contract.js';
import { type ModelMeta, parseModelMeta } from '../models/model-meta.js';
import type { SalesData } from '../types.js';
import { writeDirAtomic } from './output.js';

export const MODEL_FILES = { model: 'model.json', weights: 'weights.bin', meta: 'metadata.json' } as const;

export async function writeModelDir(dir: string, files: NetworkFiles, meta: ModelMeta): Promise<void> {
  await writeDirAtomic(dir, {
    [MODEL_FILES.model]: files.modelJson,
    [MODEL_FILES.weights]: files.weights,
    [MODEL_FILES.meta]: `${JSON.stringify(meta, null, 1)}\n`,
  });
}

export async function readModelDir(dir: string): Promise<{ meta: ModelMeta; files: NetworkFiles }> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new InputError(`no model directory at ${dir}`, [], 'train one first: stockcast forecast train --data FILE --model DIR');
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name));
    } catch {
      throw new InputError(`${dir} is not a complete model directory: ${name} is missing`, [], 'retrain with stockcast forecast train');
    }
  };
  const metaText = (await read(MODEL_FILES.meta)).toString('utf8');
  const { meta, problems } = parseModelMeta(metaText);
  if (meta === undefined) {
    throw new InputError(
      `${join(dir, MODEL_FILES.meta)}: not a usable model`,
      problems.map((message) => ({ file: join(dir, MODEL_FILES.meta), message })),
      'retrain with stockcast forecast train',
    );
  }
  const modelJson = (await read(MODEL_FILES.model)).toString('utf8');
  const weights = new Uint8Array(await read(MODEL_FILES.weights));
  return { meta, files: { modelJson, weights } };
}

/** SHA-256 of the training data as the model saw it (grid, SKUs, units, covariates). */
export function hashSalesData(data: SalesData): string {
  const h = createHash('sha256');
  h.update(`${data.freq}|${data.step}|${data.covariates.join(',')}\n`);
  for (const s of data.series) {
    h.update(`${s.sku}|${s.start}|${s.units.length}\n`);
    h.update(new Uint8Array(s.units.buffer, s.units.byteOffset, s.units.byteLength));
    for (const c of s.covariates) h.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  }
  return `sha256:${h.digest('hex')}`;
}
