/**
 * The training loop: seeded sampling of windows per epoch, Adam on the masked pinball loss, early
 * stopping on the validation windows with the best weights restored. No Math.random, no model.fit.
 */
import * as tf from '@tensorflow/tfjs';
import { RuntimeError } from '../../errors.js';
import type { NetworkSpec, TrainOptions, TrainResult, TrainedNetwork, WindowSource } from './contract.js';
import { forward, pinballSum, type Weights } from './forward.js';
import { Network } from './network.js';
import { initParams, validateSpec, type Param } from './params.js';
import { hashSeed, sampleWithoutReplacement } from './rng.js';
import { checkBatch, inputTensors, maskCount, targetTensors } from './tensors.js';

/** Windows per forward pass when scoring the validation set. */
const EVAL_CHUNK = 1024;

export async function trainNetwork(
  spec: NetworkSpec,
  train: WindowSource,
  valid: WindowSource | undefined,
  opts: TrainOptions,
): Promise<{ network: TrainedNetwork; result: TrainResult }> {
  validateSpec(spec);
  checkOptions(opts, train);
  const Q = spec.quantiles.length;
  const params = initParams(spec, hashSeed(opts.seed, 'init'));
  const variables = params.map((p) => tf.variable(tf.tensor(p.values, p.shape), true));
  const weights: Weights = Object.fromEntries(params.map((p, i) => [p.name, variables[i]!]));
  const optimizer = tf.train.adam(opts.learningRate);
  const perEpoch = Math.min(opts.samplesPerEpoch ?? train.size, train.size);
  const history: TrainResult['history'] = [];
  let best = { epoch: 0, monitor: Infinity, valLoss: NaN, params: snapshot(params, variables) };
  let trainSeconds = 0;
  let trained = 0;
  const started = performance.now();
  let epoch = 0;
  try {
    while (epoch < opts.epochs) {
      epoch++;
      const epochStart = performance.now();
      const order = sampleWithoutReplacement(train.size, perEpoch, hashSeed(opts.seed, `epoch ${epoch}`));
      let lossSum = 0;
      let lossCount = 0;
      for (let from = 0; from < order.length; from += opts.batchSize) {
        const b = train.batch(order.subarray(from, Math.min(order.length, from + opts.batchSize)));
        checkBatch(spec, b);
        const count = maskCount(b.mask);
        if (count > 0) {
          const loss = tf.tidy(() => {
            const x = inputTensors(spec, b);
            const { target, mask } = targetTensors(spec, b);
            const { value, grads } = tf.variableGrads(
              () => tf.div(pinballSum(forward(spec, weights, x), target, mask, spec.quantiles), count * Q) as tf.Scalar,
              variables,
            );
            (optimizer as tf.Optimizer).applyGradients(grads);
            return value;
          });
          const v = (await loss.data())[0]!;
          loss.dispose();
          if (!Number.isFinite(v)) throw new RuntimeError(`training diverged at epoch ${epoch} (loss ${v})`, 'lower --learning-rate');
          lossSum += v * count;
          lossCount += count;
        }
        opts.onProgress?.(Math.min(order.length, from + opts.batchSize), order.length);
      }
      const trainEnd = performance.now();
      trainSeconds += (trainEnd - epochStart) / 1000;
      trained += order.length;
      const loss = lossCount > 0 ? lossSum / (lossCount * Q) : NaN;
      const valLoss = valid && valid.size > 0 ? await evaluate(spec, weights, valid) : NaN;
      const monitor = Number.isNaN(valLoss) ? loss : valLoss;
      const improved = monitor < best.monitor;
      if (improved) best = { epoch, monitor, valLoss, params: snapshot(params, variables) };
      history.push({ loss, valLoss });
      const seconds = (performance.now() - epochStart) / 1000;
      opts.onEpoch?.({
        epoch,
        epochs: opts.epochs,
        loss,
        valLoss,
        samplesPerSecond: order.length / ((trainEnd - epochStart) / 1000),
        seconds,
        best: improved,
      });
      if (epoch - best.epoch >= opts.patience) break;
    }
  } finally {
    optimizer.dispose();
    tf.dispose(variables);
  }
  const result: TrainResult = {
    epochsRun: epoch,
    bestEpoch: best.epoch,
    bestValLoss: best.monitor,
    history,
    samplesPerSecond: trainSeconds > 0 ? trained / trainSeconds : 0,
    seconds: (performance.now() - started) / 1000,
  };
  return { network: new Network(spec, best.params), result };
}

/** Mean masked pinball loss over every window of `source`. */
export async function evaluate(spec: NetworkSpec, weights: Weights, source: WindowSource): Promise<number> {
  let sum = 0;
  let count = 0;
  for (let from = 0; from < source.size; from += EVAL_CHUNK) {
    const idx = new Int32Array(Math.min(EVAL_CHUNK, source.size - from));
    for (let i = 0; i < idx.length; i++) idx[i] = from + i;
    const b = source.batch(idx);
    checkBatch(spec, b);
    const s = tf.tidy(() => {
      const { target, mask } = targetTensors(spec, b);
      return pinballSum(forward(spec, weights, inputTensors(spec, b)), target, mask, spec.quantiles);
    });
    sum += (await s.data())[0]!;
    s.dispose();
    count += maskCount(b.mask);
  }
  return count > 0 ? sum / (count * spec.quantiles.length) : NaN;
}

function snapshot(params: Param[], variables: tf.Variable[]): Param[] {
  return params.map((p, i) => ({ name: p.name, shape: p.shape, values: (variables[i]!.dataSync() as Float32Array).slice() }));
}

function checkOptions(opts: TrainOptions, train: WindowSource): void {
  const ints: [string, number | undefined, number][] = [
    ['epochs', opts.epochs, 1],
    ['batchSize', opts.batchSize, 1],
    ['patience', opts.patience, 1],
    ['samplesPerEpoch', opts.samplesPerEpoch, 1],
    ['workers', opts.workers, 1],
  ];
  for (const [name, v, min] of ints) {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new RangeError(`TrainOptions.${name} must be an integer >= ${min}, got ${v}`);
  }
  if (!(opts.learningRate > 0)) throw new RangeError(`TrainOptions.learningRate must be > 0, got ${opts.learningRate}`);
  if (train.size < 1) throw new RangeError('no training windows');
}
