// Eq. 9's divergence and its attributions: zero at x~ = x, integrated gradients complete
// (sum of the map = d(x, x~) - d(x, baseline)), gradients match finite differences, and the box
// share counts the mass inside a box.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributeDivergence, boxShare, divergenceFn } from '../../../../src-main/engine/explain/invariance/attribution';
import { surrogateConfig } from '../../../../src-main/engine/explain/invariance/factory';
import { Svae } from '../../../../src-main/engine/explain/invariance/svae';
import { DivergenceModel } from '../../../../src-main/engine/explain/invariance/divergence-model';
import { divergenceMaps, divergenceSettings } from '../../../../src-main/engine/explain/invariance/analysis';
import { setupBackend, values } from './helpers';

beforeAll(setupBackend);

const S = 8;
const svae = (): Svae => new Svae(surrogateConfig({ architecture: { z1: 3, z2: 2, widths: [4, 8], hidden: 16, headHidden: 0 }, seed: 5 }, S, ['a', 'b']));

describe('KL attribution (Eq. 9)', () => {
  it('is zero at x~ = x and integrated gradients are complete for k = 1 and k = 2', async () => {
    const m = svae();
    const x = tf.randomUniform([2, S, S, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const xt = tf.randomUniform([2, S, S, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const zero = tf.zerosLike(xt) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    for (const k of [1, 2] as const) {
      const d = divergenceFn(m, x, k);
      expect(Math.max(...(await values(d.f(x))))).toBeLessThan(1e-5);
      const at = await values(d.f(xt));
      const at0 = await values(d.f(zero));
      d.dispose();
      const ig = attributeDivergence(m, x, xt, k, 'integrated-gradients', { igSteps: 64 });
      const sums = await values(tf.sum(ig, [1, 2, 3]));
      ig.dispose();
      sums.forEach((s, i) => expect(Math.abs(s - (at[i] - at0[i]))).toBeLessThan(0.02 * Math.abs(at[i] - at0[i]) + 1e-4));
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, xt, zero]);
    m.dispose();
  });

  it('gives gradients that match central finite differences', async () => {
    const m = svae();
    const x = tf.randomUniform([1, S, S, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const xt = tf.randomUniform([1, S, S, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    const g = await values(attributeDivergence(m, x, xt, 1, 'gradient'));
    const d = divergenceFn(m, x, 1);
    const base = await xt.data();
    for (const p of [9, 27, 36, 50]) {
      const eps = 1e-2;
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[p] += eps;
      minus[p] -= eps;
      const fp = (await values(d.f(tf.tensor4d(plus, xt.shape))))[0];
      const fm = (await values(d.f(tf.tensor4d(minus, xt.shape))))[0];
      const fd = (fp - fm) / (2 * eps);
      expect(Math.abs(g[p] - fd)).toBeLessThan(1e-3 + 0.03 * Math.abs(fd));
    }
    d.dispose();
    tf.dispose([x, xt]);
    m.dispose();
  });

  it('is explained by the saliency suite through the divergence model: scores, completeness, no leaks', async () => {
    const m = svae();
    const x = tf.randomUniform([1, S, S, 1], 0, 1, 'float32', 6) as tf.Tensor4D;
    const xt = tf.randomUniform([3, S, S, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const dm = new DivergenceModel(m, x, 1);
    const paired = divergenceFn(m, tf.tile(x, [3, 1, 1, 1]) as tf.Tensor4D, 1);
    const want = await values(paired.f(xt));
    paired.dispose();
    const scores = await values(dm.predict(xt));
    [0, 1, 2].forEach((i) => expect(scores[2 * i + 1]).toBeCloseTo(want[i], 4));
    dm.dispose();
    const r = await divergenceMaps(m, x, xt, 'integrated-gradients', divergenceSettings('integrated-gradients', { igSteps: 64, smoothGradSamples: 4, smoothGradNoise: 0.1, seed: 1 }));
    for (const k of ['k1', 'k2'] as const) {
      expect(r[k].maps).toHaveLength(3);
      r[k].diagnostics.forEach((d) => expect(Math.abs(d.completenessDelta)).toBeLessThan(0.05 * Math.abs(d.outputGap) + 1e-4));
    }
    expect(tf.memory().numTensors).toBe(before + 1); // the tiled x above
    tf.dispose([x, xt]);
    m.dispose();
  });

  it('measures the share of |attribution| inside a box', () => {
    expect(boxShare([1, -1, 0, 2, 0, 0, 0, 0, 4], 3, { x: 0, y: 0, side: 2 })).toBe(4 / 8);
  });
});
