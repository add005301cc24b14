/**
 * The model directory written by `forecast train` and read by `forecast predict` and
 * `stock backtest --replan`: model.json + weights.bin per ensemble member (TF.js LayersModel
 * layout) + metadata.json. This is what the folder itself holds; io/model-dir.ts writes and checks
 * it, models/model-meta.ts parses the rest of metadata.json (features, network, training, ...).
 */

/** The `format` of a stockcast model's metadata.json (its version: models/model-meta.ts). */
export const MODEL_FORMAT = 'stockcast-lstm';

export const MODEL_FILES = { model: 'model.json', weights: 'weights.bin', meta: 'metadata.json' } as const;

/** File names of ensemble member m: model.json + weights.bin, then model-1.json + weights-1.bin, ... */
export function memberFiles(m: number): { model: string; weights: string } {
  return m === 0 ? { model: MODEL_FILES.model, weights: MODEL_FILES.weights } : { model: `model-${m}.json`, weights: `weights-${m}.bin` };
}

/** One member's serialized network: the TF.js LayersModel layout (model.json + weights.bin). */
export interface NetworkFiles {
  modelJson: string;
  weights: Uint8Array;
}

/** The part of metadata.json the directory reader itself needs: which files to read and check. */
export interface ModelDirMeta {
  format: typeof MODEL_FORMAT;
  /** Ensemble members (network files model.json, model-1.json, ...); absent: one. */
  training: { members?: number };
  /** sha256 of every network file, written by io/model-dir.ts and checked on load; absent in older models. */
  checksums?: Record<string, string>;
}

/** Parses and checks metadata.json (models/model-meta.ts parseModelMeta); problems empty = ok. */
export type ModelMetaParser<M extends ModelDirMeta> = (text: string) => { meta?: M; problems: string[] };
