// IBA's bottleneck: with lambda = 1 everywhere the noise is shut out and the model's prediction
// is unchanged; a fitted bottleneck's mask lies in (0, 1), its capacity is >= 0, and its map
// puts the information where the mask lets features through.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IbaSettingsSchema } from '../../../../src-main/api/schemas/saliency';
import { bottleneck, bottleneckLayer, disposeReference, featureStats, fitFeatureBottleneck, gradCamLayer, saliencyMethods } from '../../../../src-main/engine/explain/saliency';
import { demoImages, demoModel, setupBackend, smallCnn, smallReference } from './helpers';

beforeAll(setupBackend);
afterAll(async () => (await demoModel()).dispose());

describe('IBA', () => {
  it('defaults to the block at half the input resolution, and Grad-CAM to the last conv block', async () => {
    const model = await demoModel();
    expect(bottleneckLayer(model, null)).toBe('stage1_block0');
    expect(gradCamLayer(model, null)).toBe('features');
    expect(bottleneckLayer(model, 'stem_relu')).toBe('stem_relu');
    const two = smallCnn(2);
    expect(two.layerNames()).toContain('stage1_block0');
    two.dispose();
  });

  it('lambda = 1 everywhere leaves the prediction unchanged (at two layers)', async () => {
    const model = await demoModel();
    const { x } = demoImages(4, 9);
    const ref = smallReference(64);
    const p = await model.predict(x).data();
    for (const layer of ['stage1_block0', 'features']) {
      const stats = await featureStats(model, ref, layer);
      const q = tf.tidy(() => {
        const r = model.activations(x, layer);
        const noise = tf.randomNormal(r.shape, 0, 1, 'float32', 5);
        return model.head(bottleneck(r, tf.onesLike(r), stats.mean, stats.std, noise), layer);
      });
      const qv = await q.data();
      q.dispose();
      for (let i = 0; i < p.length; i++) expect(Math.abs(qv[i] - p[i])).toBeLessThan(1e-5);
      // lambda = 0 replaces the features by noise: the prediction moves.
      const z = tf.tidy(() => {
        const r = model.activations(x, layer);
        return model.head(bottleneck(r, tf.zerosLike(r), stats.mean, stats.std, tf.randomNormal(r.shape, 0, 1, 'float32', 6)), layer);
      });
      const zv = await z.data();
      z.dispose();
      expect(Math.max(...Array.from(zv, (v, i) => Math.abs(v - p[i])))).toBeGreaterThan(1e-3);
    }
    disposeReference(ref);
    x.dispose();
  });

  it('a fitted bottleneck keeps the prediction, with a mask in (0, 1) and non-negative capacity', async () => {
    const model = await demoModel();
    const { x } = demoImages(2, 10);
    const ref = smallReference(64);
    const p = await model.predict(x).data();
    const targets = [0, 1].map((i) => (p[2 * i + 1] > p[2 * i] ? 1 : 0));
    await featureStats(model, ref, 'stage1_block0'); // cached on the reference from here on
    const before = tf.memory().numTensors;
    const fb = await fitFeatureBottleneck({ model, x, targets, reference: ref }, IbaSettingsSchema.parse({}), {});
    const [lam, cap] = [await fb.lambda.data(), await fb.capacity.data()];
    expect(Math.min(...lam)).toBeGreaterThan(0);
    expect(Math.max(...lam)).toBeLessThan(1);
    expect(Math.min(...cap)).toBeGreaterThanOrEqual(-1e-6);
    tf.dispose([fb.r, fb.lambda, fb.capacity]);
    const maps = await saliencyMethods.get('iba').attribute({ model, x, targets, reference: ref });
    expect(maps.maps.every((m) => m.every((v) => Number.isFinite(v) && v >= -1e-6))).toBe(true);
    // Nothing stays behind but the reference's cached statistics.
    expect(tf.memory().numTensors).toBe(before);
    disposeReference(ref);
    x.dispose();
  });
});
