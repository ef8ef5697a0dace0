// Shapes and loss terms of the explainer's networks on a tiny configuration, the size rules for
// 28..128 px, the ordinal projection head, and spectral normalisation against the true largest
// singular value.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { binCentre, binOf, binRange } from '../../../../src-main/engine/explain/exaggeration/bins';
import { defaultArch, explainerArch, sidesOf } from '../../../../src-main/engine/explain/exaggeration/config';
import { ordinalMask } from '../../../../src-main/engine/explain/exaggeration/discriminator';
import { ExaggerationExplainer } from '../../../../src-main/engine/explain/exaggeration/explainer';
import { SpectralNorm } from '../../../../src-main/engine/explain/exaggeration/layers';
import { bernoulliKl, bernoulliKlValue, discriminatorHinge, generatorAdversarial, l1 } from '../../../../src-main/engine/explain/exaggeration/losses';
import { ParamStore } from '../../../../src-main/engine/explain/exaggeration/params';
import { largestSingularValue } from '../../../../src-main/engine/metrics/exaggeration/linalg';
import { EngineError } from '../../../../src-main/engine/jobs/errors';
import { setupBackend, TINY } from './helpers';

beforeAll(setupBackend);

const ref = { hash: null, inputSize: 28, classNames: ['a', 'b'], positiveClass: 1 };
const W = { cgan: 1, f: 1, rec: 100 };
const scalar = async (t: tf.Tensor): Promise<number> => {
  const v = (await t.data())[0];
  t.dispose();
  return v;
};

describe('bins', () => {
  it('cuts [0, 1] into K equal bins; 1.0 is in the last', () => {
    expect(binOf(0, 10)).toBe(0);
    expect(binOf(0.0999, 10)).toBe(0);
    expect(binOf(0.1, 10)).toBe(1);
    expect(binOf(0.95, 10)).toBe(9);
    expect(binOf(1, 10)).toBe(9);
    expect(binCentre(0, 10)).toBeCloseTo(0.05);
    expect(binCentre(9, 10)).toBeCloseTo(0.95);
    expect(binRange(3, 4)).toEqual([0.75, 1]);
  });
});

describe('architecture sizes', () => {
  it('derives a 6..13 px latent for 28..128 px images and validates overrides', () => {
    for (const s of [28, 32, 50, 64, 100, 128]) {
      const a = defaultArch(s);
      const last = sidesOf(a).at(-1)!;
      expect(last).toBeGreaterThanOrEqual(6);
      expect(last).toBeLessThanOrEqual(13);
    }
    expect(sidesOf(defaultArch(28))).toEqual([28, 14, 7]);
    expect(sidesOf(explainerArch(30, { downsamples: 2 }))).toEqual([30, 15, 8]);
    expect(() => explainerArch(28, { imageSize: 64 })).toThrow(EngineError);
    expect(() => explainerArch(28, { bins: 1 })).toThrow(/bins/);
  });
});

describe('networks', () => {
  it('encoder, generator and discriminator shapes; series frames; no leaks', async () => {
    const ex = new ExaggerationExplainer(TINY, ref, W, { discriminator: true });
    const before = tf.memory().numTensors;
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const z = ex.encode(x, 'train');
    expect(z.shape).toEqual([3, 7, 7, 8]);
    const g = ex.generator.apply(z, tf.tensor1d([0, 1, 3], 'int32'), 'train');
    expect(g.shape).toEqual([3, 28, 28, 1]);
    const gv = await g.data();
    expect(Math.max(...gv)).toBeLessThanOrEqual(1);
    expect(Math.min(...gv)).toBeGreaterThanOrEqual(-1);
    const d = ex.discriminator!.apply(g, tf.tensor1d([0, 1, 3], 'int32'));
    expect(d.shape).toEqual([3]);
    const s = ex.series(x);
    expect(s.shape).toEqual([3 * 4, 28, 28, 1]);
    // Frame k of image i is I(x_i, bin k): the same as explain() with that bin.
    const one = ex.explain(x.slice([1, 0, 0, 0], [1, -1, -1, -1]), [2]);
    const a = await s.slice([1 * 4 + 2, 0, 0, 0], [1, -1, -1, -1]).data();
    const b = await one.data();
    expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-5);
    tf.dispose([x, z, g, d, s, one]);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 6); // the tensor1d bins above
    ex.dispose();
  });

  it('odd sizes round-trip (30 px: 30 -> 15 -> 8 -> 15 -> 30)', () => {
    const arch = explainerArch(30, { width: 4, maxWidth: 8, discWidth: 4, bins: 3, downsamples: 2 });
    const ex = new ExaggerationExplainer(arch, { ...ref, inputSize: 30 }, W, { discriminator: true });
    const x = tf.randomUniform([2, 30, 30, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const y = ex.explain(x, [0, 2]);
    expect(y.shape).toEqual([2, 30, 30, 1]);
    const d = ex.discriminator!.apply(x, tf.tensor1d([0, 1], 'int32'));
    expect(d.shape).toEqual([2]);
    tf.dispose([x, y, d]);
    ex.dispose();
  });

  it('ordinal projection: r(c = k | x) sums the first k terms', () => {
    expect(Array.from(ordinalMask(4).dataSync())).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 1]);
  });

  it('the discriminator of bin k+1 differs from bin k by one projection term (ordinal structure)', async () => {
    const ex = new ExaggerationExplainer(TINY, ref, W, { discriminator: true });
    const x = tf.randomUniform([1, 28, 28, 1], -1, 1, 'float32', 3) as tf.Tensor4D;
    const scores = await Promise.all([0, 1, 2, 3].map((k) => scalar(ex.discriminator!.apply(x, tf.tensor1d([k], 'int32')))));
    // D(x, 0) is psi(phi(x)) alone; each step up adds v_k^T phi(x): differences are finite and distinct.
    const steps = [scores[1] - scores[0], scores[2] - scores[1], scores[3] - scores[2]];
    expect(new Set(steps.map((v) => v.toFixed(6))).size).toBe(3);
    x.dispose();
    ex.dispose();
  });
});

describe('losses', () => {
  it('hinge, adversarial, KL and L1 against hand-computed values', async () => {
    const real = tf.tensor1d([2, 0.5, -1]);
    const fake = tf.tensor1d([-2, 0, 1]);
    // mean(relu(1 - real)) = (0 + 0.5 + 2) / 3; mean(relu(1 + fake)) = (0 + 1 + 2) / 3
    expect(await scalar(discriminatorHinge(real, fake))).toBeCloseTo(2.5 / 3 + 1, 5);
    expect(await scalar(generatorAdversarial(fake))).toBeCloseTo(1 / 3, 5);
    const t = tf.tensor1d([0.05, 0.5, 0.95]);
    const p = tf.tensor1d([0.05, 0.2, 0.6]);
    const want = (bernoulliKlValue(0.05, 0.05) + bernoulliKlValue(0.5, 0.2) + bernoulliKlValue(0.95, 0.6)) / 3;
    expect(bernoulliKlValue(0.05, 0.05)).toBeCloseTo(0, 10);
    expect(bernoulliKlValue(0.5, 0.2)).toBeCloseTo(0.5 * Math.log(0.5 / 0.2) + 0.5 * Math.log(0.5 / 0.8), 10);
    expect(await scalar(bernoulliKl(t, p))).toBeCloseTo(want, 5);
    // The KL gradient pushes p towards t.
    const g = tf.grad((q: tf.Tensor) => bernoulliKl(t, q as tf.Tensor1D))(p);
    const gv = await g.data();
    expect(gv[0]).toBeCloseTo(0, 4);
    expect(gv[1]).toBeLessThan(0);
    expect(gv[2]).toBeLessThan(0);
    expect(await scalar(l1(tf.tensor1d([0, 1]), tf.tensor1d([0.5, 0])))).toBeCloseTo(0.75, 6);
    tf.dispose([real, fake, t, p, g]);
  });
});

describe('spectral normalisation', () => {
  it('the power-iteration estimate matches the largest singular value, and W / sigma has norm 1', async () => {
    const store = new ParamStore(7);
    const sn = new SpectralNorm(store, 'discriminator', 'w', [3, 3, 4, 6]);
    const w = Float64Array.from(await sn.w.data());
    const truth = largestSingularValue(w, 36, 6);
    sn.powerIterate(1);
    const rough = await scalar(sn.sigma());
    sn.powerIterate(50);
    const sigma = await scalar(sn.sigma());
    expect(Math.abs(sigma - truth) / truth).toBeLessThan(1e-4);
    expect(rough).toBeLessThanOrEqual(truth * (1 + 1e-5)); // the estimate approaches from below
    const k = sn.kernel();
    expect(largestSingularValue(await k.data(), 36, 6)).toBeCloseTo(1, 4);
    k.dispose();
    store.dispose();
  });
});
