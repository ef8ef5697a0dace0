// The AuditedModel interface: probabilities, input gradients, and the activations/head split.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../src-main/engine/jobs/errors';
import { buildCnn } from '../../../src-main/engine/models/architectures';
import { wrapLayersModel } from '../../../src-main/engine/models/load';
import { sidecar, setupBackend, tinySmoothModel } from './helpers';

beforeAll(setupBackend);

const maxAbsDiff = async (a: tf.Tensor, b: tf.Tensor): Promise<number> => {
  const d = tf.tidy(() => a.sub(b).abs().max());
  const v = (await d.data())[0];
  d.dispose();
  return v;
};

describe('AuditedModel', () => {
  it('predicts probabilities that sum to one, with the sidecar normalisation applied', async () => {
    const net = tinySmoothModel();
    const m = wrapLayersModel(net, sidecar({ normalization: { scale: 2 / 255, offset: -1 } }));
    const x = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const p = m.predict(x);
    const direct = tf.tidy(() => net.predict(x.mul(2).sub(1)) as tf.Tensor);
    expect(await maxAbsDiff(p, direct)).toBeLessThan(1e-6);
    const sums = await p.sum(1).data();
    sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    expect(() => m.predict(tf.zeros([1, 9, 9, 1]) as tf.Tensor4D)).toThrow(/expects images \[N, 8, 8, 1\]/);
    tf.dispose([x, p, direct]);
    m.dispose();
  });

  it('gives d p_class / d x that matches central finite differences', async () => {
    const m = wrapLayersModel(tinySmoothModel(), sidecar());
    const x = tf.randomUniform([2, 8, 8, 1], 0.2, 0.8, 'float32', 2) as tf.Tensor4D;
    const xv = await x.data();
    for (const cls of [1, 0]) {
      const g = await m.gradient(x, cls).data();
      const eps = 1e-2;
      for (const i of [0, 9, 27, 63, 64 + 18, 64 + 45]) {
        const plus = Float32Array.from(xv);
        const minus = Float32Array.from(xv);
        plus[i] += eps;
        minus[i] -= eps;
        const pp = tf.tidy(() => m.predict(tf.tensor4d(plus, x.shape)).slice([0, cls], [-1, 1]).sum());
        const pm = tf.tidy(() => m.predict(tf.tensor4d(minus, x.shape)).slice([0, cls], [-1, 1]).sum());
        const fd = ((await pp.data())[0] - (await pm.data())[0]) / (2 * eps);
        tf.dispose([pp, pm]);
        expect(Math.abs(g[i] - fd)).toBeLessThan(2e-3 + 0.02 * Math.abs(fd));
      }
    }
    expect(() => m.gradient(x, 2)).toThrow(EngineError);
    x.dispose();
    m.dispose();
  });

  it('splits a residual CNN at any block output: head(activations(x)) = predict(x)', async () => {
    const net = buildCnn({ family: 'residual', widths: [4, 8], blocksPerStage: 2, batchNorm: true, seed: 4 });
    const m = wrapLayersModel(net, sidecar({ inputSize: 28 }));
    const names = m.layerNames();
    for (const l of ['features', 'pool', 'logits', 'probs', 'stage0_block0', 'stage1_block0']) expect(names).toContain(l);
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const p = m.predict(x);
    for (const l of ['stem_relu', 'stage0_block0', 'stage0_block1', 'stage1_pool', 'features', 'pool', 'logits']) {
      const a = m.activations(x, l);
      const q = m.head(a, l);
      expect(await maxAbsDiff(p, q)).toBeLessThan(1e-5);
      tf.dispose([a, q]);
    }
    const f = m.activations(x, 'features');
    expect(f.shape).toEqual([3, 14, 14, 8]);
    // Inside a residual block the skip branch bypasses the layer: no valid head from there.
    const inner = m.activations(x, 'stage0_block0_a_relu');
    expect(() => m.head(inner, 'stage0_block0_a_relu')).toThrow(/not a cut point/);
    inner.dispose();
    expect(() => m.head(tf.zeros([1, 7, 7, 8]), 'features')).toThrow(/must have shape \[N, 14, 14, 8\]/);
    expect(() => m.activations(x, 'nope')).toThrow(/has no layer "nope"/);
    tf.dispose([x, p, f]);
    m.dispose();
  });

  it('splits a plain CNN and leaks no tensors', async () => {
    const m = wrapLayersModel(buildCnn({ family: 'plain', inputSize: 32, widths: [4, 8, 8], dropout: 0.5, seed: 6 }), sidecar({ inputSize: 32 }));
    const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 8) as tf.Tensor4D;
    const p = m.predict(x);
    const before = tf.memory().numTensors;
    const a = m.activations(x, 'features');
    const q = m.head(a, 'features');
    const g = m.gradient(x);
    expect(a.shape).toEqual([2, 8, 8, 8]);
    expect(await maxAbsDiff(p, q)).toBeLessThan(1e-5);
    tf.dispose([a, q, g]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => wrapLayersModel(buildCnn({ widths: [4] }), sidecar({ inputSize: 32 }))).toThrow(/field inputSize: 32 does not match the model's input 28x28/);
    tf.dispose([x, p]);
    m.dispose();
  });
});
