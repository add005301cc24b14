/**
 * The model directory: model.json + weights.bin (TF.js LayersModel layout) + metadata.json; its
 * file names and the part of metadata.json read here are in core/contracts/model-dir.ts.
 * Written atomically (a temporary folder swapped into place, see output.ts writeDirAtomic); on
 * load every file is checked (JSON, sizes, sha256 checksums, finite weights) so a damaged model is
 * an input error naming the file, never a forecast of empty numbers.
 *
 * `--model PATH` is replaced only when it is absent, an empty folder, or a stockcast model
 * directory holding nothing but model files; anything else is refused (exit 2), untouched.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { InputError, RuntimeError } from '../errors.js';
import { MODEL_FILES, MODEL_FORMAT, type ModelDirMeta, type ModelMetaParser, type NetworkFiles, memberFiles } from '../core/contracts/model-dir.js';
import type { SalesData } from '../core/types.js';
import { isSystemError } from './fs-ops.js';
import { type PathFlag, OutputPathError, followLinks, fsOps, recoverDirSwap, writeDirAtomic } from './output.js';

/** Names stockcast writes into a model directory. */
const MODEL_ENTRY = /^(model(-\d+)?\.json|weights(-\d+)?\.bin|metadata\.json)$/;

export function sha256(bytes: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Is `path` a folder whose metadata.json is a stockcast model's (any format version)? */
async function isModelDir(path: string): Promise<boolean> {
  try {
    const text = await fsOps.readFile(join(path, MODEL_FILES.meta), 'utf8');
    const raw = JSON.parse(text) as { format?: unknown };
    return raw?.format === MODEL_FORMAT;
  } catch {
    return false;
  }
}

/** Repair the leftovers of a killed swap next to `dir`; returns what was done (for a warning). */
export async function recoverModelDir(dir: string): Promise<string[]> {
  try {
    // Through a symlink the swap happens beside the folder it points to (which may be missing now).
    return await recoverDirSwap(await followLinks(dir), isModelDir);
  } catch (err) {
    return [`could not clean up after an interrupted run next to ${dir}: ${(err as Error).message}`];
  }
}

/**
 * May `forecast train` replace `dir`? Absent (its folder must exist), an empty folder, or a
 * stockcast model directory with only model files; never a file, never a folder holding the input.
 * Throws OutputPathError (exit 2) otherwise.
 */
export async function checkModelTarget(dir: string, inputs: PathFlag[] = [], shown = dir): Promise<void> {
  const real = await fsOps.realpath(dir).catch(() => undefined);
  const target = real ?? dir;
  for (const i of inputs) {
    if (i.path === '-') continue;
    const ireal = await fsOps.realpath(i.path).catch(() => i.path);
    if (ireal === target || ireal.startsWith(target + sep)) {
      throw new OutputPathError(`--model ${shown} ${ireal === target ? 'is' : 'contains'} the input file of ${i.flag} (${i.name ?? i.path})`, 'give the model its own folder, e.g. --model model/');
    }
  }
  const st = real === undefined ? undefined : await fsOps.stat(real);
  const parent = dirname(target);
  if (st === undefined) {
    const pst = await fsOps.stat(parent).catch(() => undefined);
    if (pst === undefined || !pst.isDirectory()) {
      throw new OutputPathError(`--model ${shown}: the folder ${parent} does not exist`, 'create it first: stockcast does not create folders');
    }
  }
  // The new model is written beside PATH and swapped in by renames: the parent folder must be writable.
  try {
    await fsOps.access(parent, constants.W_OK);
  } catch {
    throw new OutputPathError(`--model ${shown}: cannot create folders in ${parent} (permission denied)`, 'the model is written beside PATH and renamed into place; the folder must be writable');
  }
  if (st === undefined) return;
  if (!st.isDirectory()) {
    throw new OutputPathError(`--model ${shown} is a file, not a model directory`, 'stockcast replaces only an absent or empty folder or a stockcast model directory; choose another path');
  }
  const entries = await fsOps.readdir(target);
  if (entries.length === 0) return;
  if (!(await isModelDir(target))) {
    throw new OutputPathError(
      `--model ${shown} is a folder that is not a stockcast model (no stockcast metadata.json; it holds ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}: ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', ...' : ''})`,
      'stockcast replaces only an absent or empty folder or a stockcast model directory; nothing was changed',
    );
  }
  const foreign = entries.filter((e) => !MODEL_ENTRY.test(e));
  if (foreign.length > 0) {
    throw new OutputPathError(
      `--model ${shown} holds files stockcast did not write: ${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', ...' : ''}`,
      'replacing the model would delete them; move them out of the model directory first',
    );
  }
}

export async function writeModelDir(dir: string, networks: NetworkFiles[], meta: ModelDirMeta, inputs: PathFlag[] = [], shown = dir): Promise<string[]> {
  const notes = await recoverModelDir(dir);
  await checkModelTarget(dir, inputs, shown);
  const files: Record<string, string | Uint8Array> = {};
  const checksums: Record<string, string> = {};
  networks.forEach((n, m) => {
    const names = memberFiles(m);
    // Each model.json points at its own weights file (TF.js layout).
    files[names.model] = m === 0 ? n.modelJson : n.modelJson.replace(`"${MODEL_FILES.weights}"`, `"${names.weights}"`);
    files[names.weights] = n.weights;
    checksums[names.model] = sha256(files[names.model]!);
    checksums[names.weights] = sha256(n.weights);
  });
  files[MODEL_FILES.meta] = `${JSON.stringify({ ...meta, checksums }, null, 1)}\n`;
  await writeDirAtomic(dir, files);
  return notes;
}

interface WeightEntry {
  name?: unknown;
  shape?: unknown;
  dtype?: unknown;
}

/** Check one member's files: model.json is a network description, weights.bin has its size, sum and finite values. */
function checkMember(dir: string, names: { model: string; weights: string }, modelJson: string, weights: Uint8Array, checksums: Record<string, string> | undefined): void {
  const mfile = join(dir, names.model);
  const wfile = join(dir, names.weights);
  const bad = (file: string, message: string, expected?: string) =>
    new InputError(`${file}: damaged model file`, [{ file, message, expected }], 'retrain with stockcast forecast train (or restore the model directory from a backup)');
  for (const [name, bytes, file] of [[names.model, modelJson, mfile], [names.weights, weights, wfile]] as const) {
    const want = checksums?.[name];
    if (want !== undefined && sha256(bytes) !== want) throw bad(file, 'checksum mismatch: the file changed after training (corrupted, truncated or replaced)', want);
  }
  let json: { weightsManifest?: { weights?: WeightEntry[] }[]; modelTopology?: unknown };
  try {
    json = JSON.parse(modelJson) as typeof json;
  } catch (err) {
    throw bad(mfile, `not valid JSON (${(err as Error).message})`, 'a TF.js model.json written by stockcast');
  }
  const entries = Array.isArray(json?.weightsManifest) ? json.weightsManifest.flatMap((g) => (Array.isArray(g?.weights) ? g.weights : [])) : [];
  if (typeof json !== 'object' || json === null || json.modelTopology === undefined || entries.length === 0) {
    throw bad(mfile, 'no network topology or weights manifest', 'a TF.js model.json written by stockcast');
  }
  let values = 0;
  for (const e of entries) {
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || e.dtype !== 'float32') {
      throw bad(mfile, `weights manifest entry ${JSON.stringify(e.name)} is not a float32 tensor with a shape`);
    }
    values += (shape as number[]).reduce((a, b) => a * b, 1);
  }
  if (weights.byteLength !== values * 4) {
    throw bad(wfile, `${weights.byteLength} bytes, model.json describes ${values} float32 weights`, `${values * 4} bytes`);
  }
  const floats = new Float32Array(weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength));
  for (let i = 0; i < floats.length; i++) {
    if (!Number.isFinite(floats[i]!)) throw bad(wfile, `weight ${i} of ${floats.length} is ${floats[i]}`, 'finite weights');
  }
}

/**
 * Read and check a model directory. `parseMeta` (models/model-meta.ts parseModelMeta, passed by the
 * caller so io/ does not depend on models/) parses metadata.json; this reads the member files it names.
 */
export async function readModelDir<M extends ModelDirMeta>(dir: string, parseMeta: ModelMetaParser<M>): Promise<{ meta: M; files: NetworkFiles[]; notes: string[] }> {
  const notes = await recoverModelDir(dir);
  const st = await fsOps.stat(dir).catch((err: unknown) => err as NodeJS.ErrnoException);
  if (st instanceof Error) {
    if (st.code === 'ENOENT' || st.code === 'ENOTDIR') throw new InputError(`no model directory at ${dir}`, [], 'train one first: stockcast forecast train --data FILE --model DIR');
    throw new InputError(`cannot read the model directory ${dir}: ${st.message}`);
  }
  if (!st.isDirectory()) throw new InputError(`--model ${dir} is a file, not a model directory`, [], 'pass the folder written by stockcast forecast train');
  const read = async (name: string) => {
    const file = join(dir, name);
    try {
      return await fsOps.readFile(file);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') throw new InputError(`${dir} is not a complete model directory: ${name} is missing`, [], 'retrain with stockcast forecast train');
      if (e.code === 'EACCES' || e.code === 'EISDIR') throw new InputError(`cannot read ${file}: ${e.message}`);
      if (isSystemError(e)) throw new RuntimeError(`cannot read ${file}: ${e.message}`);
      throw err;
    }
  };
  const metaFile = join(dir, MODEL_FILES.meta);
  const metaText = (await read(MODEL_FILES.meta)).toString('utf8');
  const { meta, problems } = parseMeta(metaText);
  if (meta === undefined) {
    throw new InputError(`${metaFile}: not a usable model`, problems.map((message) => ({ file: metaFile, message })), 'retrain with stockcast forecast train');
  }
  const files: NetworkFiles[] = [];
  for (let m = 0; m < (meta.training.members ?? 1); m++) {
    const names = memberFiles(m);
    const modelJson = (await read(names.model)).toString('utf8');
    const weights = new Uint8Array(await read(names.weights));
    checkMember(dir, names, modelJson, weights, meta.checksums);
    files.push({ modelJson, weights });
  }
  return { meta, files, notes };
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
