/** models/lstm-ensemble.ts: which members train on which windows, with which seeds and epochs (a recording engine, no TF.js). */
import { describe, expect, it } from 'vitest';
import { EnsembleTraining, type NetworkEngine, autoSamplesPerEpoch, memberSeed } from '../../src/models/lstm-ensemble.js';
import type { NetworkSpec, TrainedNetwork, TrainOptions, TrainResult } from '../../src/models/lstm/contract.js';
import { DEFAULT_SETTINGS, type LstmSettings } from '../../src/models/lstm-settings.js';
import type { WindowSet } from '../../src/models/windows.js';

const windows = (size: number) => ({ size }) as unknown as WindowSet;
const train = windows(3000);
const valid = windows(200);
const all = windows(3200);

interface Call {
  source: number;
  valid: number;
  seed: number;
  epochs: number;
  patience: number;
  samplesPerEpoch: number;
}

function recorder(bestEpoch = 4): { engine: NetworkEngine; calls: Call[] } {
  const calls: Call[] = [];
  const engine: NetworkEngine = {
    async train(_spec, source, v, opts: TrainOptions) {
      calls.push({ source: source.size, valid: v.size, seed: opts.seed, epochs: opts.epochs, patience: opts.patience, samplesPerEpoch: opts.samplesPerEpoch });
      const result: TrainResult = { epochsRun: opts.epochs, bestEpoch, bestValLoss: calls.length, history: [], samplesPerSecond: 100, seconds: 1 };
      return { network: { spec: _spec } as unknown as TrainedNetwork, result };
    },
    load: () => Promise.reject(new Error('not used')),
  };
  return { engine, calls };
}

const settings = (extra: Partial<LstmSettings>): LstmSettings => ({ ...DEFAULT_SETTINGS, seed: 11, epochs: 9, patience: 3, samplesPerEpoch: 1000, ...extra });
const spec = {} as NetworkSpec;

describe('EnsembleTraining', () => {
  it('every member early-stops on the validation windows, seeded by memberSeed; refits train nothing', async () => {
    const { engine, calls } = recorder();
    const e = new EnsembleTraining(engine, settings({ members: 3 }), spec, valid, train, 50);
    await e.trainOnSplit(train);
    await e.trainRefits(() => all);
    expect(calls).toEqual([0, 1, 2].map((m) => ({ source: 3000, valid: 200, seed: memberSeed(11, m), epochs: 9, patience: 3, samplesPerEpoch: 1000 })));
    expect(e.networks).toHaveLength(3);
    expect(e.result()).toMatchObject({ epochsRun: 27, bestEpoch: 4, bestValLoss: 2, seconds: 3 });
    expect(e.settings(14)).toEqual({ epochs: 9, batchSize: DEFAULT_SETTINGS.batchSize, learningRate: DEFAULT_SETTINGS.learningRate, samplesPerEpoch: 1000, patience: 3, validation: 14, seed: 11, members: 3, refit: false });
  });

  it('refit: the first member alone before the rolling origins, the others then on every window for its best epochs', async () => {
    const { engine, calls } = recorder(5);
    const e = new EnsembleTraining(engine, settings({ members: 3, refit: true }), spec, valid, train, 50);
    await e.trainOnSplit(train);
    expect(calls).toHaveLength(1);
    await e.trainRefits(() => all);
    expect(calls.map((c) => [c.source, c.seed, c.epochs, c.patience])).toEqual([
      [3000, 11, 9, 3],
      [3200, memberSeed(11, 1), 5, 5],
      [3200, memberSeed(11, 2), 5, 5],
    ]);
    expect(e.settings(14).refit).toBe(true);
  });

  it('one member is never a refit; windows per epoch: auto, all (0), never more than there are', () => {
    const { engine } = recorder();
    expect(new EnsembleTraining(engine, settings({ members: 1, refit: true }), spec, valid, train, 50).refit).toBe(false);
    expect(new EnsembleTraining(engine, settings({ samplesPerEpoch: undefined }), spec, valid, windows(1e6), 50).samplesPerEpoch).toBe(autoSamplesPerEpoch(50));
    expect(new EnsembleTraining(engine, settings({ samplesPerEpoch: 0 }), spec, valid, train, 50).samplesPerEpoch).toBe(3000);
    expect(new EnsembleTraining(engine, settings({ samplesPerEpoch: 5000 }), spec, valid, train, 50).samplesPerEpoch).toBe(3000);
  });
});
