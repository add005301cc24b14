/**
 * The network as a standard tf.LayersModel, used for persistence: model.json + weights.bin in the TF.js
 * layout, loadable by any TF.js program that registers MonotoneQuantiles (this module does). Training and
 * prediction run the equivalent ops of forward.ts on the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { NetworkFiles, NetworkSpec } from './contract.js';
import { monotone } from './forward.js';
import { contextUnits, paramShapes, validateSpec, type Param } from './params.js';

/** Version of the engine's model.json conventions (layer names, inputs, metadata), checked on load. */
export const NETWORK_FORMAT = 1;
const METADATA_KEY = 'stockcastNetwork';

interface MonotoneArgs {
  quantiles: number[];
  name?: string;
}

/** Last layer: raw per-step values [n, H, Q] -> monotone quantiles (see forward.monotone). */
export class MonotoneQuantiles extends tf.layers.Layer {
  static className = 'MonotoneQuantiles';
  private readonly quantiles: number[];

  constructor(args: MonotoneArgs) {
    super({ name: args.name });
    this.quantiles = [...args.quantiles];
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const Q = this.quantiles.length;
      return monotone(x.reshape([-1, Q]) as tf.Tensor2D, this.quantiles).reshape(x.shape);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), quantiles: [...this.quantiles] };
  }
}
tf.serialization.registerClass(MonotoneQuantiles);

/** The LayersModel for a spec, with the given weights (or zeros). Inputs: past, [future], [statics]. */
export function buildLayersModel(spec: NetworkSpec, params?: Param[]): tf.LayersModel {
  const H = spec.horizon;
  const C = contextUnits(spec);
  const zeros = { kernelInitializer: 'zeros', biasInitializer: 'zeros' } as const;
  const past = tf.input({ shape: [spec.window, spec.pastFeatures], name: 'past' });
  const inputs = [past];
  const encoded = tf.layers
    .lstm({ units: spec.units, recurrentActivation: 'sigmoid', recurrentInitializer: 'zeros', name: 'encoder', ...zeros })
    .apply(past) as tf.SymbolicTensor;
  const context = tf.layers.dense({ units: H * C, activation: 'relu', name: 'context', ...zeros }).apply(encoded) as tf.SymbolicTensor;
  const parts = [
    tf.layers.repeatVector({ n: H, name: 'encoding_per_step' }).apply(encoded) as tf.SymbolicTensor,
    tf.layers.reshape({ targetShape: [H, C], name: 'context_per_step' }).apply(context) as tf.SymbolicTensor,
  ];
  if (spec.futureFeatures > 0) {
    const future = tf.input({ shape: [H, spec.futureFeatures], name: 'future' });
    inputs.push(future);
    parts.push(future);
  }
  if (spec.staticFeatures > 0) {
    const statics = tf.input({ shape: [spec.staticFeatures], name: 'statics' });
    inputs.push(statics);
    parts.push(tf.layers.repeatVector({ n: H, name: 'statics_per_step' }).apply(statics) as tf.SymbolicTensor);
  }
  const joined = tf.layers.concatenate({ axis: -1, name: 'decoder_input' }).apply(parts) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({ units: spec.decoderUnits, activation: 'relu', name: 'decoder_hidden', ...zeros }).apply(joined);
  const raw = tf.layers.dense({ units: spec.quantiles.length, name: 'decoder_out', ...zeros }).apply(hidden);
  const output = new MonotoneQuantiles({ quantiles: spec.quantiles, name: 'quantiles' }).apply(raw) as tf.SymbolicTensor;
  const model = tf.model({ inputs, outputs: output, name: 'stockcast_mqrnn' });
  if (params) setParams(model, params);
  return model;
}

const LAYERS = ['encoder', 'context', 'decoder_hidden', 'decoder_out'];

function setParams(model: tf.LayersModel, params: Param[]): void {
  const byName = new Map(params.map((p) => [p.name, p]));
  for (const layerName of LAYERS) {
    const layer = model.getLayer(layerName);
    const tensors = layer.weights.map((w) => {
      const p = byName.get(`${layerName}/${weightSuffix(w.originalName)}`);
      if (!p) throw new Error(`no parameter for weight ${w.originalName}`);
      return tf.tensor(p.values, p.shape);
    });
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}

/** 'encoder/kernel' or 'encoder/lstm_cell/kernel' -> 'kernel'. */
function weightSuffix(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

function getParams(model: tf.LayersModel, spec: NetworkSpec): Param[] {
  const values = new Map<string, Float32Array>();
  for (const layerName of LAYERS) {
    const layer = model.getLayer(layerName);
    layer.weights.forEach((w) => values.set(`${layerName}/${weightSuffix(w.originalName)}`, w.read().dataSync() as Float32Array));
  }
  return paramShapes(spec).map(({ name, shape }) => {
    const v = values.get(name);
    if (!v || v.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`model.json: weight ${name} is missing or has the wrong size`);
    return { name, shape, values: v.slice() };
  });
}

/** model.json + weights.bin for these weights. Byte-identical for identical weights. */
export async function saveFiles(spec: NetworkSpec, params: Param[]): Promise<NetworkFiles> {
  const model = buildLayersModel(spec, params);
  model.setUserDefinedMetadata({ [METADATA_KEY]: { format: NETWORK_FORMAT, spec: { ...spec } } });
  let files: NetworkFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const weights = new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : (data ?? new ArrayBuffer(0)));
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        userDefinedMetadata: artifacts.userDefinedMetadata,
      };
      files = { modelJson: JSON.stringify(json), weights };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return files!;
}

/** Reads model.json + weights.bin back into a spec and weights. Throws Error on a foreign or broken model. */
export async function loadFiles(files: NetworkFiles): Promise<{ spec: NetworkSpec; params: Param[] }> {
  const json = JSON.parse(files.modelJson) as {
    modelTopology?: object;
    weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[];
    userDefinedMetadata?: Record<string, { format?: number; spec?: NetworkSpec }>;
    format?: string;
    generatedBy?: string;
  };
  const meta = json.userDefinedMetadata?.[METADATA_KEY];
  if (!meta?.spec || !json.modelTopology || !json.weightsManifest) throw new Error('model.json is not a stockcast network');
  if (meta.format !== NETWORK_FORMAT) throw new Error(`model.json has network format ${meta.format}; this version reads format ${NETWORK_FORMAT}`);
  const spec = meta.spec;
  validateSpec(spec);
  const buffer = files.weights.buffer.slice(files.weights.byteOffset, files.weights.byteOffset + files.weights.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: buffer,
      format: json.format,
      generatedBy: json.generatedBy,
    }),
  );
  try {
    return { spec, params: getParams(model, spec) };
  } finally {
    model.dispose();
  }
}
