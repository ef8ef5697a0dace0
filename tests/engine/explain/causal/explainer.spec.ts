// The explainer's VAE (seed 000 Table 2 / Table 3), its shapes at 28/64/128 px, a few training
// steps against the demo pneumonia classifier, sweeps, save/load with the classifier hash.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src-main/engine/backend';
import { createVae, decode, disposeVae, encode, vaeParamCounts } from '../../../../src-main/engine/explain/causal/architecture';
import { newExplainer, trainExplainer } from '../../../../src-main/engine/explain/causal/train';
import { latentSweeps } from '../../../../src-main/engine/explain/causal/sweeps';
import { loadExplainer, saveExplainer } from '../../../../src-main/engine/explain/causal/io';
import { loadDemoPneumonia } from '../../../../src-main/engine/data/importers/medmnist';
import { loadAuditedModel } from '../../../../src-main/engine/models/load';
import { modelsDir, resourcesDir } from '../../../../src-main/engine/resources';
import { imageBatch } from '../../../../src-main/engine/models/batches';
import * as fs from 'node:fs';
import * as os from 'node:os';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm', wasmThreads: 1 });
});

describe('architecture (seed 000 Table 2)', () => {
  it('reproduces the Table 3 parameter counts (K + L = 6)', () => {
    const table: [number, number, number][] = [
      [8, 6916, 4937],
      [16, 17916, 13969],
      [32, 52204, 44321],
      [48, 102876, 91057],
      [64, 169932, 154177],
    ];
    for (const [filters, enc, dec] of table) {
      const vae = createVae({ inputSize: 28, k: 2, l: 4, filters, seed: 0 });
      expect(vaeParamCounts(vae), `${filters} filters`).toEqual({ encoder: enc, decoder: dec });
      disposeVae(vae);
    }
  });
  it('maps images to latents and back at 28, 64 and 128 px', () => {
    for (const s of [28, 64, 128]) {
      const vae = createVae({ inputSize: s, k: 1, l: 3, filters: 4, seed: 1 });
      const shapes = tf.tidy(() => {
        const { mu, logvar } = encode(vae, tf.zeros([2, s, s, 1]) as tf.Tensor4D);
        const x = decode(vae, mu);
        const mx = x.max().dataSync()[0];
        const mn = x.min().dataSync()[0];
        return { mu: mu.shape, lv: logvar.shape, x: x.shape, mx, mn };
      });
      expect(shapes.mu).toEqual([2, 4]);
      expect(shapes.lv).toEqual([2, 4]);
      expect(shapes.x).toEqual([2, s, s, 1]);
      expect(shapes.mn).toBeGreaterThanOrEqual(0);
      expect(shapes.mx).toBeLessThanOrEqual(1);
      disposeVae(vae);
    }
  });
});

describe('training against the demo pneumonia classifier', () => {
  it('steps, leaves the classifier frozen, sweeps, saves and reloads (evaluation: job.spec.ts)', async () => {
    const model = await loadAuditedModel(path.join(modelsDir(), 'pneumonia-demo'));
    const set = loadDemoPneumonia(resourcesDir());
    const train = set.split.flatMap((s, i) => (s === 'train' ? [i] : [])).slice(0, 200);
    const ex = newExplainer(model, { k: 1, l: 3, filters: 8, batchSize: 8, steps: 3, trainNAlpha: 8, trainNBeta: 4, lr: 1e-3, seed: 2 });
    const clfWeights = tf.tidy(() => tf.addN(((model as unknown as { model: tf.LayersModel }).model.getWeights()).map((w) => w.sum())).dataSync()[0]);
    const before = ex.vae.decoder.get('dec_linear/kernel')!.dataSync().slice();
    const steps: number[] = [];
    await trainExplainer(ex, model, set, train, { onStep: (s) => steps.push(s.C) });
    expect(steps).toHaveLength(3);
    expect(ex.history.every((h) => Number.isFinite(h.loss) && h.C >= -1e-6 && h.D < 0)).toBe(true);
    const after = ex.vae.decoder.get('dec_linear/kernel')!.dataSync();
    expect(after.some((v, i) => v !== before[i])).toBe(true);
    const clfAfter = tf.tidy(() => tf.addN(((model as unknown as { model: tf.LayersModel }).model.getWeights()).map((w) => w.sum())).dataSync()[0]);
    expect(clfAfter).toBe(clfWeights);

    const x = imageBatch(set, [train[0]], 28);
    const sw = await latentSweeps(ex, model, x);
    x.dispose();
    expect(sw.factors).toHaveLength(4);
    expect(sw.factors[0].causal).toBe(true);
    expect(sw.factors[1].name).toBe('beta1');
    expect(sw.factors[0].probs).toHaveLength(9);
    expect(sw.factors[0].png).toMatch(/^data:image\/png;base64,/);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-gce-'));
    try {
      await saveExplainer(dir, ex, model.hash);
      const back = await loadExplainer(dir, model.hash);
      expect(back.step).toBe(3);
      expect(Array.from(back.vae.decoder.get('dec_linear/kernel')!.dataSync())).toEqual(Array.from(after));
      await expect(loadExplainer(dir, 'another-hash')).rejects.toThrow(/another classifier/);
      disposeVae(back.vae);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    disposeVae(ex.vae);
    model.dispose();
  });
});
