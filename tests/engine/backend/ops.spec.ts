// Every other op the project's models train with, on wasm against cpu and finite differences:
// pooling (our MaxPoolGrad), batchnorm, dropout, dense/matMul (our transpose handling),
// activations, gather/embedding (our UnsortedSegmentSum), nearest upsampling, VAE pieces.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type OpCase, randn, relErr, rng, run, setup, size, wasmVsCpu, wasmVsFiniteDifferences } from './helpers';

beforeAll(setup);

const input = (shape: number[], seed: number, scale = 1) => ({ shape, values: randn(size(shape), seed, scale) });

/** Distinct values 0.05 apart, shuffled: no max-pool window has near-ties, so finite differences hold. */
function distinct(shape: number[], seed: number, offset = 0) {
  const n = size(shape);
  const r = rng(seed);
  const v = Float32Array.from({ length: n }, (_, i) => offset + 0.05 * (i - n / 2));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [v[i], v[j]] = [v[j], v[i]];
  }
  return { shape, values: v };
}

const pool = (kind: 'max' | 'avg', x: ReturnType<typeof input>, k: number | [number, number], s: number | [number, number], pad: 'same' | 'valid'): OpCase => ({
  inputs: { x },
  op: (t) => (kind === 'max' ? tf.maxPool : tf.avgPool)(t.x as tf.Tensor4D, k, s, pad),
  fdStep: 1e-3,
});

const poolCases: Array<[string, OpCase]> = [
  ['maxPool 2x2 s2 valid', pool('max', distinct([2, 6, 7, 3], 1), 2, 2, 'valid')],
  ['maxPool 3x3 s2 same, odd size', pool('max', distinct([2, 7, 7, 2], 2), 3, 2, 'same')],
  ['maxPool 3x3 s1 same (overlapping windows)', pool('max', distinct([1, 5, 6, 2], 3), 3, 1, 'same')],
  ['maxPool 2x3 s[1,2] valid', pool('max', distinct([2, 5, 7, 2], 4), [2, 3], [1, 2], 'valid')],
  ['maxPool on all-negative windows', pool('max', distinct([2, 6, 6, 2], 5, -5), 2, 2, 'valid')],
  ['avgPool 2x2 s2 valid', pool('avg', input([2, 6, 7, 3], 6), 2, 2, 'valid')],
];

// tfjs's AvgPoolGrad (cpu too) divides border windows by the full window size while the forward
// averages over in-bounds elements; ours follows the forward. So for 'same': forward vs cpu,
// gradient vs finite differences.
const avgSameCases: Array<[string, OpCase]> = [
  ['avgPool 3x3 s2 same, odd size', pool('avg', input([2, 7, 7, 2], 7), 3, 2, 'same')],
  ['avgPool 3x3 s1 same', pool('avg', input([1, 5, 6, 2], 8), 3, 1, 'same')],
  ['avgPool 2x2 s2 same, odd size', pool('avg', input([2, 5, 7, 2], 9), 2, 2, 'same')],
];

const denseCases: Array<[string, OpCase]> = [
  ['matMul', { inputs: { a: input([5, 7], 10), b: input([7, 3], 11) }, op: (t) => tf.matMul(t.a, t.b) }],
  ['matMul transposeA', { inputs: { a: input([7, 5], 12), b: input([7, 3], 13) }, op: (t) => tf.matMul(t.a, t.b, true, false) }],
  ['matMul transposeB', { inputs: { a: input([5, 7], 14), b: input([3, 7], 15) }, op: (t) => tf.matMul(t.a, t.b, false, true) }],
  ['matMul transposeA and B', { inputs: { a: input([7, 5], 16), b: input([3, 7], 17) }, op: (t) => tf.matMul(t.a, t.b, true, true) }],
  ['batched matMul with transposes', { inputs: { a: input([2, 4, 5], 18), b: input([2, 3, 4], 19) }, op: (t) => tf.matMul(t.a, t.b, true, true) }],
  ['batched matMul, rank 4', { inputs: { a: input([2, 3, 4, 5], 60), b: input([2, 3, 5, 2], 61) }, op: (t) => tf.matMul(t.a, t.b) }],
  ['batched matMul, batch 70 (built-in path)', { inputs: { a: input([70, 2, 3], 62), b: input([70, 3, 2], 63) }, op: (t) => tf.matMul(t.a, t.b) }],
  ['fused matMul + bias + sigmoid', {
    inputs: { a: input([6, 5], 22), b: input([5, 4], 23), c: input([4], 24) },
    op: (t) => tf.fused.matMul({ a: t.a as tf.Tensor2D, b: t.b as tf.Tensor2D, bias: t.c, activation: 'sigmoid' }),
  }],
  ['fused matMul transposeB + bias + relu', {
    inputs: { a: input([6, 5], 25), b: input([4, 5], 26), c: input([4], 27) },
    op: (t) => tf.fused.matMul({ a: t.a as tf.Tensor2D, b: t.b as tf.Tensor2D, transposeB: true, bias: t.c, activation: 'relu' }),
    fdStep: 1e-3,
  }],
];

const x4 = () => input([2, 5, 5, 3], 30);
const activationCases: Array<[string, OpCase]> = [
  ['sigmoid', { inputs: { x: x4() }, op: (t) => tf.sigmoid(t.x) }],
  ['softmax', { inputs: { x: input([4, 6], 31) }, op: (t) => tf.softmax(t.x) }],
  ['logSoftmax', { inputs: { x: input([4, 6], 32) }, op: (t) => tf.logSoftmax(t.x) }],
  ['tanh', { inputs: { x: x4() }, op: (t) => tf.tanh(t.x) }],
  ['relu', { inputs: { x: x4() }, op: (t) => tf.relu(t.x), fdStep: 1e-3 }],
  ['leakyRelu 0.2', { inputs: { x: x4() }, op: (t) => tf.leakyRelu(t.x, 0.2), fdStep: 1e-3 }],
  ['elu', { inputs: { x: x4() }, op: (t) => tf.elu(t.x), fdStep: 1e-3 }],
  ['exp', { inputs: { x: x4() }, op: (t) => tf.exp(t.x) }],
  ['log of softplus', { inputs: { x: x4() }, op: (t) => tf.log(tf.softplus(t.x)) }],
  ['sigmoid cross-entropy', {
    inputs: { x: input([8, 1], 33), y: { shape: [8, 1], values: Float32Array.from({ length: 8 }, (_, i) => i % 2) } },
    op: (t) => tf.losses.sigmoidCrossEntropy(t.y, t.x),
    wrt: ['x'],
  }],
  ['softmax cross-entropy', {
    inputs: { x: input([5, 3], 34), y: { shape: [5, 3], values: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0]) } },
    op: (t) => tf.losses.softmaxCrossEntropy(t.y, t.x),
    wrt: ['x'],
  }],
];

const normCases: Array<[string, OpCase]> = [
  ['batchNorm (inference form) with scale and offset', {
    inputs: { x: x4(), m: input([3], 40), v: { shape: [3], values: Float32Array.from([0.5, 1.5, 2]) }, o: input([3], 41), s: input([3], 42) },
    op: (t) => tf.batchNorm(t.x as tf.Tensor4D, t.m, t.v, t.o, t.s, 1e-3),
  }],
  ['batchNorm with batch moments (training form)', {
    inputs: { x: x4(), o: input([3], 43), s: input([3], 44) },
    op: (t) => {
      const { mean, variance } = tf.moments(t.x, [0, 1, 2]);
      return tf.batchNorm(t.x as tf.Tensor4D, mean, variance, t.o, t.s, 1e-3);
    },
  }],
  ['dropout 0.3 (seeded: same mask on both)', { inputs: { x: x4() }, op: (t) => tf.dropout(t.x, 0.3, undefined, 5) }],
  ['flatten, dense, clip, concat, slice, pad, tile, transpose', {
    inputs: { x: x4(), w: input([75, 2], 45) },
    op: (t) => {
      const h = tf.matMul(t.x.reshape([2, -1]), t.w).clipByValue(-1, 1);
      const c = tf.concat([h, h.square()], 1).slice([0, 1], [2, 3]);
      return tf.transpose(tf.tile(tf.pad(c, [[1, 0], [0, 2]]), [2, 1]));
    },
    fdStep: 1e-3,
  }],
];

const gatherUpsampleCases: Array<[string, OpCase]> = [
  ['gather rows (embedding, repeated ids)', {
    inputs: { p: input([5, 4], 50) },
    op: (t) => tf.gather(t.p, tf.tensor1d([0, 3, 3, 1, 0, 4, 3], 'int32')),
  }],
  ['gather along axis 1', {
    inputs: { p: input([3, 6, 2], 51) },
    op: (t) => tf.gather(t.p, tf.tensor1d([5, 0, 5, 2], 'int32'), 1),
  }],
  ['resizeNearestNeighbor x2 (upSampling2d), batch 1', {
    inputs: { x: input([1, 3, 4, 2], 52) },
    op: (t) => tf.image.resizeNearestNeighbor(t.x as tf.Tensor4D, [6, 8]),
  }],
  ['VAE reparameterisation and KL term', {
    inputs: { mu: input([4, 3], 53), lv: input([4, 3], 54, 0.5) },
    op: (t) => {
      const eps = tf.randomNormal([4, 3], 0, 1, 'float32', 7);
      const z = t.mu.add(tf.exp(t.lv.mul(0.5)).mul(eps));
      const kl = tf.sum(tf.add(1, t.lv).sub(t.mu.square()).sub(tf.exp(t.lv)), 1).mul(-0.5);
      return tf.concat([z, kl.expandDims(1)], 1);
    },
  }],
];

function suite(title: string, cases: Array<[string, OpCase]>) {
  describe(title, () => {
    for (const [name, c] of cases) {
      it(`${name}: forward and gradients match cpu`, async () => {
        expect(await wasmVsCpu(c)).toBeLessThan(1e-4);
      });
      it(`${name}: gradients match finite differences`, async () => {
        expect(await wasmVsFiniteDifferences(c)).toBeLessThan(1e-3);
      });
    }
  });
}

suite('pooling on wasm', poolCases);
suite('dense and matMul on wasm', denseCases);
suite('activations and losses on wasm', activationCases);
suite('normalisation, dropout and tensor plumbing on wasm', normCases);
suite('gather, upsampling and VAE pieces on wasm', gatherUpsampleCases);

describe('cases where the cpu backend is not a reference', () => {
  for (const [name, c] of avgSameCases) {
    it(`${name}: forward matches cpu`, async () => {
      expect(await wasmVsCpu({ ...c, wrt: [] })).toBeLessThan(1e-4);
    });
    it(`${name}: gradient matches finite differences`, async () => {
      expect(await wasmVsFiniteDifferences(c)).toBeLessThan(1e-3);
    });
  }

  it('batched matMul with a broadcast batch: forward matches cpu', async () => {
    // (tfjs-core's BatchMatMul gradient does not reduce broadcast batch axes, on any backend)
    const c: OpCase = { inputs: { a: input([3, 4, 5], 20), b: input([1, 5, 2], 21) }, op: (t) => tf.matMul(t.a, t.b), wrt: [] };
    expect(await wasmVsCpu(c)).toBeLessThan(1e-4);
    const ct: OpCase = { inputs: { a: input([3, 5, 4], 22), b: input([1, 2, 5], 23) }, op: (t) => tf.matMul(t.a, t.b, true, true), wrt: [] };
    expect(await wasmVsCpu(ct)).toBeLessThan(1e-4);
    const shared: OpCase = { inputs: { a: input([1, 4, 5], 24), b: input([3, 5, 2], 25) }, op: (t) => tf.matMul(t.a, t.b), wrt: [] };
    expect(await wasmVsCpu(shared)).toBeLessThan(1e-4);
  });

  it('maxPool gradient on ties goes to the first maximum, as on cpu', async () => {
    // Integer values: many ties per window, and windows of only negative values.
    const values = Float32Array.from({ length: 2 * 4 * 4 * 2 }, (_, i) => ((i * 7) % 5) - 4);
    const c: OpCase = { inputs: { x: { shape: [2, 4, 4, 2], values } }, op: (t) => tf.maxPool(t.x as tf.Tensor4D, 2, 2, 'valid') };
    expect(await wasmVsCpu(c)).toBeLessThan(1e-6);
  });

  it('resizeNearestNeighbor gradient with batch > 1 matches finite differences and a direct sum', async () => {
    // (the cpu backend's ResizeNearestNeighborGrad is wrong for batch > 1)
    const c: OpCase = { inputs: { x: input([3, 3, 4, 2], 55) }, op: (t) => tf.image.resizeNearestNeighbor(t.x as tf.Tensor4D, [6, 8]) };
    expect(await wasmVsFiniteDifferences(c)).toBeLessThan(1e-3);
    const dy = randn(3 * 6 * 8 * 2, 56);
    const [g] = await run('wasm', () =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [6, 8]).mul(tf.tensor(dy, [3, 6, 8, 2]))))(tf.zeros([3, 3, 4, 2])));
    const expected = new Float32Array(3 * 3 * 4 * 2);
    for (let n = 0; n < 3; n++) for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) for (let ch = 0; ch < 2; ch++) {
      expected[((n * 3 + (y >> 1)) * 4 + (x >> 1)) * 2 + ch] += dy[((n * 6 + y) * 8 + x) * 2 + ch];
    }
    expect(relErr(g, expected)).toBeLessThan(1e-5);
  });

  it('unsortedSegmentSum forward matches cpu, ids in any order', async () => {
    const f = () => tf.unsortedSegmentSum(tf.tensor(randn(7 * 3, 57), [7, 3]), tf.tensor1d([2, 0, 2, 4, 1, 0, 2], 'int32'), 5);
    const [w] = await run('wasm', f);
    const [cpu] = await run('cpu', f);
    expect(relErr(w, cpu)).toBeLessThan(1e-6);
  });

  it('randomNormal with a seed gives the same values on wasm and cpu', async () => {
    const f = () => tf.randomNormal([50], 0, 1, 'float32', 3);
    const [w] = await run('wasm', f);
    const [cpu] = await run('cpu', f);
    expect(relErr(w, cpu)).toBe(0);
  });
});
