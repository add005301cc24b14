import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RuntimeError } from '../src/errors.js';
import { initBackend } from '../src/models/backend.js';

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
