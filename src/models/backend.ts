/**
 * TF.js backend selection. `auto` tries, in order: @tensorflow/tfjs-node-gpu (CUDA), @tensorflow/tfjs-node
 * (native libtensorflow), @tensorflow/tfjs-backend-wasm (bundled, offline), then the pure-JS cpu backend.
 * The two native packages are optional dependencies loaded with a dynamic import(); forcing one that is not
 * installed fails with a message saying how to install it. Pure: returns what it chose, never logs.
 */
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { RuntimeError } from '../errors.js';

import type { BackendChoice } from './backend-choice.js';

export { BACKEND_CHOICES, type BackendChoice } from './backend-choice.js';

export interface BackendInfo {
  /** The TF.js backend name now active: 'tensorflow' (native or GPU), 'wasm' or 'cpu'. */
  name: string;
  /** One line for the log: which package runs, and why (e.g. what auto skipped). */
  detail: string;
}

const TFJS_VERSION = '4.22.0';
const INSTALL_HINT: Record<'gpu' | 'native', string> = {
  gpu:
    `install it with \`npm install @tensorflow/tfjs-node-gpu@${TFJS_VERSION}\` (Linux x86-64 with an NVIDIA GPU, ` +
    'CUDA 11.2 and cuDNN 8.1; see docs/backends.md), or use --backend auto|wasm|cpu',
  native: `install it with \`npm install @tensorflow/tfjs-node@${TFJS_VERSION}\`, or use --backend auto|wasm|cpu`,
};
const PACKAGE = { gpu: '@tensorflow/tfjs-node-gpu', native: '@tensorflow/tfjs-node' } as const;

let active: { choice: BackendChoice; info: BackendInfo } | undefined;

/**
 * Selects and initializes a backend. Idempotent: a second call with the same choice returns the first
 * result; a different choice switches backend.
 */
export async function initBackend(choice: BackendChoice): Promise<BackendInfo> {
  if (active && active.choice === choice && tf.getBackend() === active.info.name) return active.info;
  // Silences TF.js's console advice ("install tfjs-node") and skips debug-only checks.
  tf.env().set('PROD', true);
  const info = await select(choice);
  active = { choice, info };
  return info;
}

/** The backend chosen by the last initBackend call, if any. */
export function activeBackend(): BackendInfo | undefined {
  return active?.info;
}

async function select(choice: BackendChoice): Promise<BackendInfo> {
  switch (choice) {
    case 'gpu':
    case 'native': {
      const failure = await tryNative(choice);
      if (typeof failure === 'string') {
        throw new RuntimeError(`backend ${choice}: ${PACKAGE[choice]} is not available (${failure})`, INSTALL_HINT[choice]);
      }
      return failure;
    }
    case 'wasm':
      return await useWasm();
    case 'cpu':
      return await useCpu('forced');
    case 'auto': {
      const skipped: string[] = [];
      for (const kind of ['gpu', 'native'] as const) {
        const r = await tryNative(kind);
        if (typeof r !== 'string') return r;
        skipped.push(`${PACKAGE[kind]} ${r}`);
      }
      try {
        const info = await useWasm();
        return { name: info.name, detail: `${info.detail} (auto; skipped: ${skipped.join('; ')})` };
      } catch (err) {
        skipped.push(`wasm failed: ${message(err)}`);
      }
      const info = await useCpu('auto');
      return { name: info.name, detail: `${info.detail} (auto; skipped: ${skipped.join('; ')})` };
    }
  }
}

/** Loads a native package and activates its 'tensorflow' backend; returns why not on failure. */
async function tryNative(kind: 'gpu' | 'native'): Promise<BackendInfo | string> {
  try {
    await import(PACKAGE[kind]);
  } catch (err) {
    const code = (err as { code?: string }).code;
    return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' ? 'not installed' : `failed to load: ${message(err)}`;
  }
  try {
    if (!(await tf.setBackend('tensorflow'))) return 'its tensorflow backend did not initialize';
    await tf.ready();
  } catch (err) {
    return `its tensorflow backend failed: ${message(err)}`;
  }
  return { name: 'tensorflow', detail: `${PACKAGE[kind]} (native libtensorflow${kind === 'gpu' ? ', CUDA' : ''})` };
}

interface WasmModule {
  setWasmPaths(prefix: string): void;
}

let wasmLoaded: Promise<string> | undefined;

/** Registers the wasm backend once, with its .wasm binaries read from node_modules (no network). */
function loadWasm(): Promise<string> {
  wasmLoaded ??= (async () => {
    const mod = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmModule & { default?: WasmModule };
    const setWasmPaths = mod.setWasmPaths ?? mod.default?.setWasmPaths;
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + sep;
    setWasmPaths(dir);
    return dir;
  })();
  return wasmLoaded;
}

async function useWasm(): Promise<BackendInfo> {
  let dir: string;
  try {
    dir = await loadWasm();
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
    await tf.ready();
  } catch (err) {
    throw new RuntimeError(`backend wasm failed to initialize: ${message(err)}`, 'try --backend cpu');
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { name: 'wasm', detail: `@tensorflow/tfjs-backend-wasm (${simd ? 'SIMD' : 'no SIMD'}, 1 thread, ${dir})` };
}

async function useCpu(how: string): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) throw new RuntimeError('backend cpu failed to initialize');
  await tf.ready();
  return { name: 'cpu', detail: `pure-JS cpu backend (${how}; slowest)` };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
