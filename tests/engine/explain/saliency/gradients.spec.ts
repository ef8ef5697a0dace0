// Gradient-based maps against finite differences on a smooth (tanh) model, gradient x input,
// and SmoothGrad as a wrapper (no noise = the base method's map).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { saliencyMethods, targetProbabilities } from '../../../../src-main/engine/explain/saliency';
import { wrapLayersModel } from '../../../../src-main/engine/models';
import { setupBackend, sidecar, tinySmoothModel } from './helpers';

beforeAll(setupBackend);

function smoothModel() {
  return wrapLayersModel(tinySmoothModel(), sidecar({ inputSize: 8 }));
}

function images(n: number, seed: number): tf.Tensor4D {
  return tf.randomUniform([n, 8, 8, 1], 0, 1, 'float32', seed) as tf.Tensor4D;
}

describe('gradient maps', () => {
  it('signed gradient matches central finite differences of P(target)', async () => {
    const model = smoothModel();
    const x = images(2, 3);
    const targets = [1, 0];
    const g = await saliencyMethods.get('gradient').attribute({ model, x, targets }, { absolute: false });
    const base = await x.data();
    const h = 1e-2;
    for (const pixel of [0, 9, 27, 63]) {
      const bump = (d: number): tf.Tensor4D => {
        const v = Float32Array.from(base);
        v[pixel] += d; // image 0
        v[64 + pixel] += d; // image 1
        return tf.tensor4d(v, x.shape);
      };
      const [xp, xm] = [bump(h), bump(-h)];
      const [pp, pm] = [await targetProbabilities(model, xp, targets), await targetProbabilities(model, xm, targets)];
      tf.dispose([xp, xm]);
      for (let i = 0; i < 2; i++) {
        const fd = (pp[i] - pm[i]) / (2 * h);
        expect(g.maps[i][pixel]).toBeCloseTo(fd, 3);
      }
    }
    x.dispose();
    model.dispose();
  });

  it('gradient is |signed gradient|; gradient x input is gradient times the pixel', async () => {
    const model = smoothModel();
    const x = images(2, 4);
    const targets = [1, 1];
    const signed = await saliencyMethods.get('gradient').attribute({ model, x, targets }, { absolute: false });
    const abs = await saliencyMethods.get('gradient').attribute({ model, x, targets });
    const gxi = await saliencyMethods.get('gradient-x-input').attribute({ model, x, targets });
    const v = await x.data();
    for (let i = 0; i < 2; i++) {
      for (let p = 0; p < 64; p++) {
        expect(abs.maps[i][p]).toBeCloseTo(Math.abs(signed.maps[i][p]), 6);
        expect(gxi.maps[i][p]).toBeCloseTo(signed.maps[i][p] * v[i * 64 + p], 6);
      }
    }
    x.dispose();
    model.dispose();
  });

  it('SmoothGrad wraps another method: with no noise it returns that method\'s map', async () => {
    const model = smoothModel();
    const x = images(3, 5);
    const targets = [0, 1, 1];
    const base = await saliencyMethods.get('gradient-x-input').attribute({ model, x, targets });
    const sg = await saliencyMethods.get('smoothgrad').attribute({ model, x, targets }, { base: 'gradient-x-input', samples: 4, noise: 0 });
    for (let i = 0; i < 3; i++) for (let p = 0; p < 64; p++) expect(sg.maps[i][p]).toBeCloseTo(base.maps[i][p], 5);
    // With noise the map changes, reproducibly for a seed.
    const a = await saliencyMethods.get('smoothgrad').attribute({ model, x, targets }, { samples: 8, noise: 0.2, seed: 3 });
    const b = await saliencyMethods.get('smoothgrad').attribute({ model, x, targets }, { samples: 8, noise: 0.2, seed: 3 });
    expect(Array.from(a.maps[0])).toEqual(Array.from(b.maps[0]));
    x.dispose();
    model.dispose();
  });
});
