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

/** File names of ensemble member m: model.json + weights.bin, then model-1.json + weights-1.bin, ... */
export function memberFiles(m: number): { model: string; weights: string } {
  return m === 0 ? { model: MODEL_FILES.model, weights: MODEL_FILES.weights } : { model: `model-${m}.json`, weights: `weights-${m}.bin` };
}

export async function writeModelDir(dir: string, networks: NetworkFiles[], meta: ModelMeta): Promise<void> {
  const files: Record<string, string | Uint8Array> = { [MODEL_FILES.meta]: `${JSON.stringify(meta, null, 1)}\n` };
  networks.forEach((n, m) => {
    const names = memberFiles(m);
    // Each model.json points at its own weights file (TF.js layout).
    files[names.model] = m === 0 ? n.modelJson : n.modelJson.replace(`"${MODEL_FILES.weights}"`, `"${names.weights}"`);
    files[names.weights] = n.weights;
  });
  await writeDirAtomic(dir, files);
}

export async function readModelDir(dir: string): Promise<{ meta: ModelMeta; files: NetworkFiles[] }> {
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
  const files: NetworkFiles[] = [];
  for (let m = 0; m < (meta.training.members ?? 1); m++) {
    const names = memberFiles(m);
    files.push({ modelJson: (await read(names.model)).toString('utf8'), weights: new Uint8Array(await read(names.weights)) });
  }
  return { meta, files };
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
