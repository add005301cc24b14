import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RuntimeError } from '../../../src/errors.js';
import { initBackend } from '../../../src/models/backend.js';

const require = createRequire(import.meta.url);
function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  test('auto picks wasm when no native package is installed, and is idempotent', async () => {
    if (installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu')) return;
    const first = await initBackend('auto');
    expect(first.name).toBe('wasm');
    expect(first.detail).toMatch(/tfjs-backend-wasm/);
    expect(first.detail).toMatch(/tfjs-node-gpu not installed/);
    expect(tf.getBackend()).toBe('wasm');
    expect(await initBackend('auto')).toEqual(first);
    expect(tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0])).toBe(3);
  });

  test.each([
    ['native', '@tensorflow/tfjs-node'],
    ['gpu', '@tensorflow/tfjs-node-gpu'],
  ] as const)('forcing %s without %s fails with the install command', async (choice, pkg) => {
    if (installed(pkg)) return;
    const err = await initBackend(choice).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).message).toMatch(`${pkg} is not available (not installed)`);
    expect((err as RuntimeError).hint).toMatch(`npm install ${pkg}@4.22.0`);
  });

  test('cpu and wasm can be forced and switched', async () => {
    expect((await initBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await initBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('the engine on the pure-JS cpu backend', () => {
  test('trains, predicts ordered quantiles and round-trips through save/load', async () => {
    const { trainNetwork, loadNetwork } = await import('../../../src/models/lstm/index.js');
    await initBackend('cpu');
    const spec = { window: 4, horizon: 2, pastFeatures: 2, futureFeatures: 1, staticFeatures: 1, units: 4, decoderUnits: 4, quantiles: [0.1, 0.5, 0.9] };
    const n = 32;
    let s = 5;
    const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
    const all = {
      n,
      past: Float32Array.from({ length: n * 8 }, r),
      future: Float32Array.from({ length: n * 2 }, r),
      statics: Float32Array.from({ length: n }, r),
      target: Float32Array.from({ length: n * 2 }, r),
      mask: new Float32Array(n * 2).fill(1),
    };
    const source = { size: n, batch: () => all };
    const { network, result } = await trainNetwork(spec, source, source, { epochs: 3, batchSize: n, learningRate: 0.05, seed: 1, patience: 3 });
    expect(result.history[2]!.loss).toBeLessThan(result.history[0]!.loss);
    const pred = await network.predict(all);
    for (let k = 0; k < pred.length; k += 3) {
      expect(pred[k]!).toBeLessThanOrEqual(pred[k + 1]!);
      expect(pred[k + 1]!).toBeLessThanOrEqual(pred[k + 2]!);
    }
    const again = await (await loadNetwork(await network.save())).predict(all);
    expect(Buffer.from(again.buffer).equals(Buffer.from(pred.buffer))).toBe(true);
    await initBackend('wasm');
  });
});
