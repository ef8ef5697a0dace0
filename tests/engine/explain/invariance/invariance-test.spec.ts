// The invariance test's bookkeeping on models with known answers: a decoder that ignores z2 keeps
// every label at every sigma, the z1 control falls toward chance, and the audited classifier's
// curve is judged on the decoded images.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageSet } from '../../../../src-main/engine/data/image-set';
import { invarianceTest, type InvarianceSubject } from '../../../../src-main/engine/explain/invariance/invariance-test';
import { surrogateConfig } from '../../../../src-main/engine/explain/invariance/factory';
import { Svae } from '../../../../src-main/engine/explain/invariance/svae';
import type { AuditedModel } from '../../../../src-main/engine/models/audited-model';
import { makeRng } from '../../../../src-main/engine/data/synthetic/rng';
import { setupBackend } from './helpers';

beforeAll(setupBackend);

const SIZE = 4;
const SIGMAS = [0.1, 0.5, 1, 2, 5];

/** 40 random 4x4 images. */
function randomSet(n = 40): ImageSet {
  const rng = makeRng(3);
  const images = Uint8Array.from({ length: n * SIZE * SIZE }, () => Math.floor(rng() * 256));
  return { name: 't', size: SIZE, images, labels: new Int32Array(n), classNames: ['a', 'b'], positiveClass: 1, ids: Array.from({ length: n }, (_, i) => String(i)), split: Array(n).fill('test'), attributes: {} };
}

/**
 * z1 = the first two pixels (in 0..1), z2 = the next two; the decoder writes z1 back into the first
 * two pixels and ignores z2; the head says class 0 when z1[0] > z1[1]. Re-encoding a decoded
 * image therefore recovers z1 exactly, whatever z2 was.
 */
function ignoresZ2(): InvarianceSubject {
  const encode = (x: tf.Tensor4D) => {
    const mu = tf.tidy(() => tf.slice(tf.reshape(x, [x.shape[0], SIZE * SIZE]), [0, 0], [-1, 4]) as tf.Tensor2D);
    return { mu, logvar: tf.zerosLike(mu) as tf.Tensor2D };
  };
  const classifyLatent = (z: tf.Tensor2D) => tf.tidy(() => tf.softmax(tf.mul(20, tf.slice(z, [0, 0], [-1, 2]))) as tf.Tensor2D);
  return {
    z1: 2,
    z2: 2,
    config: surrogateConfig({ architecture: { z1: 2, z2: 2, widths: [4] } }, SIZE, ['a', 'b']),
    encode,
    decode: (z) => tf.tidy(() => tf.reshape(tf.pad(tf.slice(z, [0, 0], [-1, 2]), [[0, 0], [0, SIZE * SIZE - 2]]), [z.shape[0], SIZE, SIZE, 1]) as tf.Tensor4D),
    classifyLatent,
    classify: (x) =>
      tf.tidy(() => {
        const q = encode(x);
        return classifyLatent(q.mu);
      }),
  };
}

/** An audited classifier reading the same two pixels. */
const auditedStub = { inputSize: SIZE, classNames: ['a', 'b'], predict: (x: tf.Tensor4D) => tf.tidy(() => tf.softmax(tf.mul(20, tf.slice(tf.reshape(x, [x.shape[0], -1]), [0, 0], [-1, 2]))) as tf.Tensor2D) } as unknown as AuditedModel;

describe('invariance test', () => {
  it('keeps every label at every sigma when the decoder ignores z2, and the z1 control falls toward chance', async () => {
    const set = randomSet();
    const before = tf.memory().numTensors;
    const c = await invarianceTest({ svae: ignoresZ2(), set, rows: set.ids.map((_, i) => i), sigmas: SIGMAS, seed: 1, audited: auditedStub, batchSize: 16 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(c.svaeHead)).toEqual(['0.1', '0.5', '1.0', '2.0', '5.0']);
    for (const s of Object.keys(c.svaeHead)) {
      expect(c.svaeHead[s]).toBe(1);
      expect(c.auditedClassifier![s]).toBe(1);
      expect(c.auditedClassifierResidual![s]).toBe(1);
    }
    expect(c.reconstructionAgreement).toBe(1);
    // z1 ~ N(0, sigma^2) is independent of the original label: agreement near the chance baseline.
    expect(c.z1Control['5.0']).toBeLessThan(0.8);
    expect(Math.abs(c.z1Control['5.0'] - c.chance.independent['5.0'])).toBeLessThan(0.3);
    expect(c.chance.uniform).toBe(0.5);
  });

  it('gives the same fraction at every sigma for an SVAE whose decoder weights on z2 are zero', async () => {
    const set = randomSet(24);
    const svae = new Svae(surrogateConfig({ architecture: { z1: 2, z2: 3, widths: [4, 4], hidden: 16, headHidden: 8 }, seed: 2 }, SIZE, ['a', 'b']));
    const w = svae.params.get('dec/hidden/kernel');
    const cols = w.shape[1]!;
    // Rows 2..4 of the decoder's first kernel read z2: zero them.
    const masked = tf.tidy(() => tf.mul(w, tf.concat([tf.ones([2, cols]), tf.zeros([3, cols])], 0)));
    w.assign(masked);
    masked.dispose();
    const c = await invarianceTest({ svae, set, rows: set.ids.map((_, i) => i), sigmas: SIGMAS, seed: 4 });
    const v = Object.values(c.svaeHead);
    expect(new Set(v).size).toBe(1);
    svae.dispose();
  });
});
