// The training loop on a small seeded slice: loss goes down, cancel stops between batches,
// resume continues from the checkpoint, runs are reproducible, nothing leaks. Plus the job.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJobContext } from '../../../src-main/engine/jobs/context';
import { CancelledError, EngineError } from '../../../src-main/engine/jobs/errors';
import { TrainClassifierParamsSchema, trainClassifierJob } from '../../../src-main/engine/jobs/train-classifier';
import { loadAuditedModel } from '../../../src-main/engine/models/load';
import { trainClassifier } from '../../../src-main/engine/models/train';
import type { TrainOptionsInput } from '../../../src-main/engine/models/train-options';
import { demoSlice, setupBackend, tempDir } from './helpers';

beforeAll(setupBackend);

const small = demoSlice({ train: 160, val: 32 });
const options: TrainOptionsInput = {
  architecture: { widths: [6, 12], batchNorm: true },
  epochs: 2,
  batchSize: 32,
  learningRate: 3e-3,
  seed: 11,
  earlyStopping: { patience: 0 },
};

/** Cancels once `after` batches have started. */
function cancelAfter(after: number): { checkpoint(): Promise<void> } {
  let n = 0;
  return {
    checkpoint: async () => {
      if (++n > after) throw new CancelledError();
    },
  };
}

describe('trainClassifier', () => {
  it('lowers the loss, saves the best model and a checkpoint, reproducibly and without leaks', async () => {
    const before = tf.memory().numTensors;
    const dir = tempDir();
    const seen: Record<string, number>[] = [];
    const r = await trainClassifier({ set: small, outDir: dir, options }, { progress: (u) => seen.push(u.metrics) });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.epochsRun).toBe(2);
    expect(r.history[1].loss).toBeLessThan(r.history[0].loss);
    const firstBatch = seen[0].loss;
    expect(r.history[1].loss).toBeLessThan(firstBatch);
    const epochEnd = seen.filter((m) => m.val_auc !== undefined);
    expect(epochEnd.map((m) => m.epoch)).toEqual([1, 2]);
    for (const k of ['loss', 'val_loss', 'val_auc', 'epoch']) expect(epochEnd[0][k]).toBeTypeOf('number');
    expect(r.best.val_auc).toBeGreaterThan(0.6);
    expect(fs.readdirSync(path.join(dir, 'checkpoint')).sort()).toEqual(['model.json', 'optimizer.bin', 'optimizer.json', 'state.json', 'weights.bin', 'xray-audit.json']);
    const m = await loadAuditedModel(dir);
    expect(m.hash).toBe(r.hash);
    expect(m.layerNames()).toContain('features');
    expect(m.sidecar.architecture).toMatchObject({ widths: [6, 12] });
    m.dispose();
    // Same seed, same weights.
    const again = tempDir();
    await trainClassifier({ set: small, outDir: again, options });
    expect(fs.readFileSync(path.join(again, 'weights.bin')).equals(fs.readFileSync(path.join(dir, 'weights.bin')))).toBe(true);
  });

  it('stops at a cancel between batches without leaking, and resumes from the checkpoint epoch', async () => {
    const before = tf.memory().numTensors;
    const dir = tempDir();
    const opts = { ...options, epochs: 3 };
    const perEpoch = Math.ceil(small.split.filter((s) => s === 'train').length / 32);
    // Cancel two batches into epoch 2: the checkpoint holds epoch 1.
    await expect(trainClassifier({ set: small, outDir: dir, options: opts }, cancelAfter(perEpoch + 2))).rejects.toBeInstanceOf(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
    const resumed = await trainClassifier({ set: small, outDir: dir, options: opts, resume: true });
    expect(resumed.resumedFrom).toBe(1);
    expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    // Resuming continues exactly: the same weights as an uninterrupted run.
    const straight = tempDir();
    await trainClassifier({ set: small, outDir: straight, options: opts });
    const w = (d: string) => fs.readFileSync(path.join(d, 'checkpoint', 'weights.bin'));
    expect(w(dir).equals(w(straight))).toBe(true);
    // A checkpoint from other settings is refused.
    await expect(trainClassifier({ set: small, outDir: dir, options: { ...opts, seed: 12 }, resume: true })).rejects.toThrow(/other settings/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('train-classifier job', () => {
  it('validates its params and needs an output folder', async () => {
    const p = TrainClassifierParamsSchema.parse({ data: 'demo', outDir: '/tmp/x' });
    expect(p.options.epochs).toBe(30);
    expect(() => TrainClassifierParamsSchema.parse({ data: 'demo', options: { epochs: 0 } })).toThrow();
    const ctx = createJobContext(new AbortController().signal, () => {});
    await expect(trainClassifierJob.run(TrainClassifierParamsSchema.parse({ data: 'demo', outDir: 'relative' }), ctx)).rejects.toThrow(/absolute/);
    await expect(trainClassifierJob.run(TrainClassifierParamsSchema.parse({ data: 'demo' }), ctx)).rejects.toBeInstanceOf(EngineError);
  });

  it('trains on the demo set with a marker, reports progress and cancels', async () => {
    const ac = new AbortController();
    const stages: string[] = [];
    const ctx = createJobContext(ac.signal, (u) => {
      stages.push(u.stage);
      if (u.metrics?.batch === 2) ac.abort();
    });
    const params = TrainClassifierParamsSchema.parse({
      data: 'demo',
      outDir: tempDir(),
      marker: { seed: 1, train: { positive: 0.9, negative: 0.1 } },
      options: { ...options, epochs: 1 },
    });
    expect(trainClassifierJob.title(params)).toMatch(/^Train classifier/);
    await expect(trainClassifierJob.run(params, ctx)).rejects.toBeInstanceOf(CancelledError);
    expect(stages).toContain('epoch 1/1');
  });
});

describe('training settings', () => {
  it('fits the network to the images and rejects impossible settings as EngineErrors', async () => {
    const { cnnConfig } = await import('../../../src-main/engine/models/architectures');
    expect(cnnConfig({ inputSize: 64, seed: 3 }, { widths: [8] })).toMatchObject({ inputSize: 64, seed: 3, widths: [8], family: 'residual' });
    expect(() => cnnConfig({ inputSize: 256 })).toThrow(/architecture: inputSize/);
    await expect(trainClassifier({ set: small, outDir: tempDir(), options: { epochs: 0 } })).rejects.toThrow(/training options: epochs/);
  });
});
