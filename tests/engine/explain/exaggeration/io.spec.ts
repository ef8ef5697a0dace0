// Saving and loading explainers: a round trip reproduces the series exactly; loading against
// another classifier is refused with a clear error; damaged folders give clear errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExaggerationExplainer, classifierRef } from '../../../../src-main/engine/explain/exaggeration/explainer';
import { hashExplainerDir, loadExplainer, saveExplainer } from '../../../../src-main/engine/explain/exaggeration/io';
import { exaggerationSaliency } from '../../../../src-main/engine/explain/exaggeration/saliency';
import { EngineError } from '../../../../src-main/engine/jobs/errors';
import type { AuditedModel } from '../../../../src-main/engine/models/audited-model';
import { savedTinyClassifier, setupBackend, tempDir, TINY } from './helpers';

let model: AuditedModel;
let other: AuditedModel;
beforeAll(async () => {
  await setupBackend();
  model = await savedTinyClassifier(1);
  other = await savedTinyClassifier(2);
});

describe('explainer folders', () => {
  it('round trip: same series and hash; refused for another classifier', async () => {
    const ex = new ExaggerationExplainer(TINY, classifierRef(model), { cgan: 1, f: 2, rec: 50 }, { discriminator: true });
    const dir = tempDir();
    const hash = await saveExplainer(ex, dir, { note: 'test' });
    expect(hash).toBe(hashExplainerDir(dir));
    expect(fs.readdirSync(dir).sort()).toEqual(['explainer.json', 'weights.bin']);
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
    const want = ex.series(x);
    const loaded = await loadExplainer(dir, model);
    expect(loaded.hash).toBe(hash);
    expect(loaded.file.classifier.hash).toBe(model.hash);
    expect(loaded.file.lossWeights).toEqual({ cgan: 1, f: 2, rec: 50 });
    expect(loaded.file.training).toEqual({ note: 'test' });
    expect(loaded.explainer.discriminator).toBeNull();
    const got = loaded.explainer.series(x);
    const a = await want.data();
    const b = await got.data();
    expect(Array.from(b)).toEqual(Array.from(a));

    let err: unknown = null;
    try {
      await loadExplainer(dir, other);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('bad_input');
    expect((err as EngineError).message).toMatch(/trained for the classifier with hash/);
    expect(() => exaggerationSaliency(loaded.explainer, other, x)).toThrow(/trained for the classifier/);
    tf.dispose([x, want, got]);
    ex.dispose();
    loaded.explainer.dispose();
  });

  it('clear errors for a missing folder, a foreign json and truncated weights', async () => {
    await expect(loadExplainer(tempDir())).rejects.toThrow(/no trained explainer here/);
    const foreign = tempDir();
    fs.writeFileSync(path.join(foreign, 'explainer.json'), JSON.stringify({ format: 'something-else' }));
    await expect(loadExplainer(foreign)).rejects.toThrow(/not an exaggeration explainer/);
    const ex = new ExaggerationExplainer(TINY, classifierRef(model), { cgan: 1, f: 1, rec: 100 });
    const dir = tempDir();
    await saveExplainer(ex, dir);
    ex.dispose();
    const w = path.join(dir, 'weights.bin');
    fs.writeFileSync(w, fs.readFileSync(w).subarray(0, 100));
    const before = tf.memory().numTensors;
    await expect(loadExplainer(dir, model)).rejects.toThrow(/weights hold 100 bytes/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('exaggeration saliency: one [0, 1] map per image, max 1', async () => {
    const ex = new ExaggerationExplainer(TINY, classifierRef(model), { cgan: 1, f: 1, rec: 100 });
    // Untrained, every bin's conditional shift is 0 and the two ends coincide: give them different shifts.
    const beta = ex.store.get('gen/out_bn/beta');
    beta.assign(tf.randomNormal(beta.shape, 0, 1, 'float32', 5));
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const m = exaggerationSaliency(ex, model, x);
    expect(tf.memory().numTensors).toBe(before);
    expect(m.length).toBe(2 * 28 * 28);
    for (const img of [m.subarray(0, 784), m.subarray(784)]) {
      expect(Math.max(...img)).toBeCloseTo(1, 5);
      expect(Math.min(...img)).toBeGreaterThanOrEqual(0);
    }
    x.dispose();
    ex.dispose();
  });
});
