/** A trained network: weights plus the forward ops of forward.ts. */
import * as tf from '@tensorflow/tfjs';
import type { Inputs, NetworkFiles, NetworkSpec, TrainedNetwork } from './contract.js';
import { forward, type Weights } from './forward.js';
import { loadFiles, saveFiles } from './layers-model.js';
import { cloneParams, type Param } from './params.js';
import { checkInputs, inputTensors } from './tensors.js';

/** Windows per forward pass when predicting. */
const PREDICT_CHUNK = 1024;

export class Network implements TrainedNetwork {
  readonly spec: NetworkSpec;
  private readonly params: Param[];
  private weights: Weights | undefined;

  constructor(spec: NetworkSpec, params: Param[]) {
    this.spec = { ...spec, quantiles: [...spec.quantiles] };
    this.params = cloneParams(params);
  }

  async predict(inputs: Inputs): Promise<Float32Array> {
    checkInputs(this.spec, inputs);
    const w = this.tensors();
    const rowLen = this.spec.horizon * this.spec.quantiles.length;
    const out = new Float32Array(inputs.n * rowLen);
    for (let from = 0; from < inputs.n; from += PREDICT_CHUNK) {
      const to = Math.min(inputs.n, from + PREDICT_CHUNK);
      const y = tf.tidy(() => forward(this.spec, w, inputTensors(this.spec, inputs, from, to)));
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
    if (this.weights) tf.dispose(Object.values(this.weights));
    this.weights = undefined;
  }

  private tensors(): Weights {
    this.weights ??= Object.fromEntries(this.params.map((p) => [p.name, tf.tensor(p.values, p.shape)]));
    return this.weights;
  }
}

/** Reads a network saved by TrainedNetwork.save(). */
export async function loadNetwork(files: NetworkFiles): Promise<TrainedNetwork> {
  const { spec, params } = await loadFiles(files);
  return new Network(spec, params);
}
