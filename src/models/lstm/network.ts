/** A trained network: weights plus the inference ops of model-ops.ts. */
import * as tf from '@tensorflow/tfjs';
import type { Inputs, NetworkFiles, NetworkSpec, TrainedNetwork } from './contract.js';
import { loadFiles, saveFiles } from './layers-model.js';
import { predictRange, toTrainable, trainableTensors } from './model-ops.js';
import { cloneParams, type Param } from './params.js';
import { checkInputs } from './tensors.js';

/** Windows per forward pass when predicting. */
const PREDICT_CHUNK = 512;

export class Network implements TrainedNetwork {
  readonly spec: NetworkSpec;
  private readonly params: Param[];
  private weights: tf.Tensor[] | undefined;

  constructor(spec: NetworkSpec, params: Param[]) {
    this.spec = { ...spec, quantiles: [...spec.quantiles] };
    this.params = cloneParams(params);
  }

  async predict(inputs: Inputs): Promise<Float32Array> {
    checkInputs(this.spec, inputs);
    this.weights ??= trainableTensors(this.spec, toTrainable(this.params));
    const w = this.weights;
    const rowLen = this.spec.horizon * this.spec.quantiles.length;
    const out = new Float32Array(inputs.n * rowLen);
    for (let from = 0; from < inputs.n; from += PREDICT_CHUNK) {
      const to = Math.min(inputs.n, from + PREDICT_CHUNK);
      const y = tf.tidy(() => predictRange(this.spec, w, inputs, from, to));
      out.set(await y.data(), from * rowLen);
      y.dispose();
    }
    return out;
  }

  save(): Promise<NetworkFiles> {
    return saveFiles(this.spec, this.params);
  }

  /** A copy of the weights (LayersModel names and shapes). */
  parameters(): Param[] {
    return cloneParams(this.params);
  }

  dispose(): void {
    if (this.weights) tf.dispose(this.weights);
    this.weights = undefined;
  }
}

/** Reads a network saved by TrainedNetwork.save(). */
export async function loadNetwork(files: NetworkFiles): Promise<TrainedNetwork> {
  const { spec, params } = await loadFiles(files);
  return new Network(spec, params);
}
