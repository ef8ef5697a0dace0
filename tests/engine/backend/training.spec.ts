// Training the project's model families on wasm: no missing kernels, no leaks over 100 steps,
// the loss goes down, and a whole classifier's gradients match the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelFamilies } from './models';
import { randn, relErr, setup } from './helpers';

beforeAll(setup);

const backendDataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

describe('training on wasm', () => {
  for (const make of modelFamilies) {
    it(`${make.name}: 100 steps, tensor count flat, loss finite`, async () => {
      expect(tf.getBackend()).toBe('wasm');
      const model = make();
      const losses: number[] = [];
      const step = async () => {
        const loss = model.step();
        losses.push((await loss.data())[0]); // read outside tidy, as the app must
        loss.dispose();
      };
      // Warm-up: layers build their weights and Adam its moment slots on the first steps.
      for (let i = 0; i < 3; i++) await step();
      const tensors = tf.memory().numTensors;
      const dataIds = backendDataIds();
      for (let i = 3; i < 100; i++) await step();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backendDataIds()).toBe(dataIds); // nothing leaked below the engine either
      expect(losses.every(Number.isFinite)).toBe(true);
      if (model.name !== 'conditional GAN') expect(losses.at(-1)!).toBeLessThan(losses[0]);
      model.dispose();
    });
  }
});

describe('a whole classifier on wasm vs cpu', () => {
  it('loss and gradients of every weight agree', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [13, 13, 1], filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
        tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'valid', activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 5, activation: 'relu' }),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const xv = randn(4 * 13 * 13, 3);
    const lossAndGrads = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const x = tf.tensor4d(xv, [4, 13, 13, 1]);
      const y = tf.tensor2d([1, 0, 1, 1], [4, 1]);
      const { value, grads } = tf.variableGrads(() => tf.losses.sigmoidCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar);
      const names = Object.keys(grads).sort();
      const out = [await value.data(), ...(await Promise.all(names.map((n) => grads[n].data())))];
      tf.dispose([x, y, value, ...Object.values(grads)]);
      await tf.setBackend('wasm');
      return out;
    };
    const w = await lossAndGrads('wasm');
    const c = await lossAndGrads('cpu');
    expect(w.length).toBe(9); // loss + 4 layers x (kernel, bias)
    for (let i = 0; i < w.length; i++) expect(relErr(w[i] as Float32Array, c[i] as Float32Array)).toBeLessThan(1e-4);
    model.dispose();
  });
});
