// Training on a tiny classifier and tiny explainer: a few steps lower the generator's KL loss
// without leaking tensors; the trainer saves, checkpoints, cancels and resumes to the same
// weights as an uninterrupted run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { binsOf } from '../../../../src-main/engine/explain/exaggeration/bins';
import { ExaggerationExplainer, classifierRef } from '../../../../src-main/engine/explain/exaggeration/explainer';
import { loadExplainer } from '../../../../src-main/engine/explain/exaggeration/io';
import { ExaggerationStep } from '../../../../src-main/engine/explain/exaggeration/step';
import { trainExplainer } from '../../../../src-main/engine/explain/exaggeration/trainer';
import { CancelledError } from '../../../../src-main/engine/jobs/errors';
import type { AuditedModel } from '../../../../src-main/engine/models/audited-model';
import { imageBatch, predictPositive } from '../../../../src-main/engine/models/batches';
import { demoSet, demoSlice, demoRows, savedTinyClassifier, setupBackend, tempDir, TINY } from './helpers';

let model: AuditedModel;
beforeAll(async () => {
  await setupBackend();
  model = await savedTinyClassifier(1);
});

describe('one training step', () => {
  it('lowers the KL compatibility loss on a fixed batch, with a flat tensor count', async () => {
    const set = demoSet();
    const rows = demoRows('train', 8, 2);
    // A lighter reconstruction weight than the paper's 100, so a few steps show the KL moving.
    const weights = { cgan: 1, f: 1, rec: 10 };
    const ex = new ExaggerationExplainer(TINY, classifierRef(model), weights, { discriminator: true });
    const optG = tf.train.adam(3e-3, 0, 0.9);
    const optD = tf.train.adam(3e-3, 0, 0.9);
    const step = new ExaggerationStep(ex, model, weights, optG, optD);
    const x = imageBatch(set, rows);
    const identity = binsOf(await predictPositive(model, set, rows), TINY.bins);
    // Targets far from the current f: bins 0 and K-1 alternately.
    const target = Int32Array.from(rows, (_, i) => (i % 2 ? TINY.bins - 1 : 0));
    const kl: number[] = [];
    for (let i = 0; i < 3; i++) kl.push((await step.run(x, identity, target)).kl); // warm-up: Adam slots
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 15; i++) {
      const l = await step.run(x, identity, target);
      for (const v of Object.values(l)) expect(Number.isFinite(v)).toBe(true);
      kl.push(l.kl);
    }
    expect(tf.memory().numTensors).toBe(tensors);
    const first = (kl[0] + kl[1] + kl[2]) / 3;
    const last = (kl.at(-1)! + kl.at(-2)! + kl.at(-3)!) / 3;
    expect(last, `KL per step: ${kl.map((v) => v.toFixed(3)).join(' ')}`).toBeLessThan(first * 0.8);
    x.dispose();
    optG.dispose();
    optD.dispose();
    ex.dispose();
  });
});

describe('trainExplainer', () => {
  const set = demoSlice(48, 4);
  const options = { architecture: { width: 4, maxWidth: 8, discWidth: 4, bins: 4 }, steps: 6, batchSize: 8, seed: 5, sampleEvery: 3, checkpointEvery: 2, learningRate: 1e-3, discLearningRate: 1e-3 };

  it('saves the explainer, samples and checkpoint; cancel + resume gives the uninterrupted weights', async () => {
    const before = tf.memory().numTensors;
    const full = tempDir();
    const progress: Record<string, number>[] = [];
    const r = await trainExplainer({ model, set, outDir: full, options }, { progress: (u) => progress.push(u.metrics) });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.steps).toBe(6);
    expect(r.classifierHash).toBe(model.hash);
    expect(r.history.at(-1)!.step).toBe(6);
    const stepMetrics = progress.filter((m) => m.kl !== undefined);
    for (const k of ['d', 'd_real', 'd_fake', 'g_adv', 'kl', 'rec', 'cyc', 'g_total', 'lr', 'step']) expect(stepMetrics[0][k]).toBeTypeOf('number');
    expect(r.samples.map((s) => s.step)).toEqual([3, 6]);
    expect(fs.existsSync(path.join(full, 'samples', 'step-000003.png'))).toBe(true);
    expect(r.samples[0].f[0]).toHaveLength(4);
    expect(fs.readdirSync(path.join(full, 'checkpoint')).sort()).toEqual(['optimizer-d.bin', 'optimizer-d.json', 'optimizer-g.bin', 'optimizer-g.json', 'state.json', 'weights.bin', 'weights.json']);

    // Interrupted after 3 steps (cancel saves a checkpoint), then resumed to 6.
    const part = tempDir();
    let n = 0;
    const cancelAt = async (): Promise<void> => {
      if (++n > 3) throw new CancelledError();
    };
    await expect(trainExplainer({ model, set, outDir: part, options }, { checkpoint: cancelAt })).rejects.toBeInstanceOf(CancelledError);
    expect(JSON.parse(fs.readFileSync(path.join(part, 'checkpoint', 'state.json'), 'utf8')).step).toBe(3);
    const resumed = await trainExplainer({ model, set, outDir: part, options, resume: true });
    expect(resumed.resumedFrom).toBe(3);
    expect(resumed.steps).toBe(6);
    expect(tf.memory().numTensors).toBe(before);

    const a = await loadExplainer(full, model);
    const b = await loadExplainer(part, model);
    const x = imageBatch(set, [0, 1]);
    const sa = a.explainer.series(x);
    const sb = b.explainer.series(x);
    const va = await sa.data();
    const vb = await sb.data();
    expect(Math.max(...Array.from(va, (v, i) => Math.abs(v - vb[i])))).toBeLessThan(1e-4);
    tf.dispose([x, sa, sb]);
    a.explainer.dispose();
    b.explainer.dispose();
    expect(tf.memory().numTensors).toBe(before);

    // Resuming with settings that shaped the weights differently is refused.
    await expect(trainExplainer({ model, set, outDir: part, options: { ...options, steps: 8, batchSize: 4 }, resume: true })).rejects.toThrow(/other settings/);
  });
});
