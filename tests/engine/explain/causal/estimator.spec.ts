// Algorithm 2 on cases with known answers: the linear-Gaussian map of seed 000 Appendices B/C,
// degenerate decoders (0 and log M), joint >= independent, gradients by finite differences, and
// the capacity certificate's test vectors.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src-main/engine/backend';
import { capacityBound, capacityCertificate } from '../../../../src-main/engine/explain/causal/certificate';
import { causalInfluence, estimateInfluence, type Classifier, type Decoder } from '../../../../src-main/engine/explain/causal/estimator';
import { makeRng } from '../../../../src-main/engine/data/synthetic/rng';
import { linearGaussianDecoder, linearGaussianInfluence, sigmoidClassifier } from '../../../../src-main/engine/explain/causal/linear-gaussian';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm', wasmThreads: 1 });
});

const value = (t: tf.Scalar): number => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

describe('linear-Gaussian check (seed 000 Appendices B/C)', () => {
  // Closed forms by quadrature, from the issue; the estimator at N_alpha = 2500, N_beta = 500
  // with a fixed seed must land within 0.01.
  const cases: [number, number, number][] = [
    [0, 90, 0.4504],
    [0, 0, 0.1787],
    [45, 90, 0.3721],
    [90, 0, 0],
  ];
  it('quadrature reproduces the closed-form values', () => {
    for (const [ta, tb, want] of cases) expect(Math.abs(linearGaussianInfluence(ta, tb) - want)).toBeLessThan(1e-3);
  });
  it('Algorithm 2 with N_alpha = 2500, N_beta = 500 lands within 0.01 of each', async () => {
    for (const [ta, tb, want] of cases) {
      const est = await estimateInfluence(linearGaussianDecoder(ta, tb, makeRng(ta * 1000 + tb + 1)), sigmoidClassifier(), 2, [0], { nAlpha: 2500, nBeta: 500, rng: makeRng(7 + ta + tb), chunkRows: 250_000 });
      expect(Math.abs(est - want), `(${ta}, ${tb}): ${est} vs ${want}`).toBeLessThan(0.01);
    }
  });
  it('influence is maximal when w_alpha is parallel to a', () => {
    const grid = [0, 15, 30, 45, 60, 75, 90].map((t) => linearGaussianInfluence(t, 90));
    for (let i = 1; i < grid.length; i++) expect(grid[i]).toBeLessThan(grid[i - 1]);
    expect(linearGaussianInfluence(0, 90)).toBeCloseTo(0.4504, 3);
  });
});

// One-dimensional "images": the decoder returns [N, 1] features; classifiers are explicit.
const coord =
  (i: number, scale = 1): Decoder =>
  (z) =>
    tf.mul(tf.slice(z, [0, i], [-1, 1]), scale);

describe('degenerate decoders', () => {
  it('a decoder that ignores alpha gives 0', async () => {
    const est = await estimateInfluence(coord(1), sigmoidClassifier(5), 2, [0], { nAlpha: 400, nBeta: 400, rng: makeRng(3) });
    // The plug-in estimate is biased upward by about Var_beta(p) / (2 N_beta q(1-q)) < 0.003 here.
    expect(est).toBeGreaterThanOrEqual(0);
    expect(est).toBeLessThan(0.005);
    const constant: Decoder = (z) => tf.zerosLike(tf.slice(z, [0, 0], [-1, 1]));
    expect(Math.abs(await estimateInfluence(constant, sigmoidClassifier(5), 2, [0], { nAlpha: 50, nBeta: 10, rng: makeRng(4) }))).toBeLessThan(1e-6);
  });
  it('a decoder where alpha fixes the class gives log M', async () => {
    // M = 3: the class is alpha's tertile of N(0, 1) (cut points +-0.4307), sharp sigmoids.
    const c = 0.4307;
    const tertiles: Classifier = (x) =>
      tf.tidy(() => {
        const lo = tf.sigmoid(tf.mul(-200, tf.add(x, c)));
        const hi = tf.sigmoid(tf.mul(200, tf.sub(x, c)));
        return tf.concat([lo, tf.sub(1, tf.add(lo, hi)), hi], 1) as tf.Tensor2D;
      });
    const est3 = await estimateInfluence(coord(0), tertiles, 2, [0], { nAlpha: 3000, nBeta: 5, rng: makeRng(5) });
    expect(Math.abs(est3 - Math.log(3))).toBeLessThan(0.02);
    const est2 = await estimateInfluence(coord(0), sigmoidClassifier(200), 3, [0], { nAlpha: 3000, nBeta: 5, rng: makeRng(6) });
    expect(Math.abs(est2 - Math.log(2))).toBeLessThan(0.02);
  });
});

describe('variants', () => {
  it('joint is never below independent', () => {
    // Two causal factors acting together (x = alpha1 + alpha2), alone (x = alpha1), and XOR-like.
    const decoders: [string, Decoder, Classifier][] = [
      ['sum', (z) => tf.add(tf.slice(z, [0, 0], [-1, 1]), tf.slice(z, [0, 1], [-1, 1])), sigmoidClassifier(5)],
      ['alpha1 only', coord(0), sigmoidClassifier(5)],
      ['product', (z) => tf.mul(tf.slice(z, [0, 0], [-1, 1]), tf.slice(z, [0, 1], [-1, 1])), sigmoidClassifier(5)],
    ];
    for (const [name, dec, clf] of decoders) {
      for (const seed of [1, 2]) {
        const joint = value(causalInfluence(dec, clf, 2, 1, { nAlpha: 300, nBeta: 60, variant: 'joint', seed }));
        const indep = value(causalInfluence(dec, clf, 2, 1, { nAlpha: 300, nBeta: 60, variant: 'independent', seed }));
        expect(joint, `${name} seed ${seed}: joint ${joint} independent ${indep}`).toBeGreaterThanOrEqual(indep);
      }
    }
    // K = 1: the variants coincide (same draws).
    const a = value(causalInfluence(coord(0), sigmoidClassifier(5), 1, 1, { nAlpha: 50, nBeta: 10, variant: 'joint', seed: 9 }));
    const b = value(causalInfluence(coord(0), sigmoidClassifier(5), 1, 1, { nAlpha: 50, nBeta: 10, variant: 'independent', seed: 9 }));
    expect(a).toBeCloseTo(b, 5);
  });

  it('gradient of C matches central finite differences', () => {
    // Decoder x = z . w (w: 3 weights, the "parameters"); classifier sigmoid(4 x), M = 2.
    const w0 = [0.8, -0.3, 0.5];
    const cOf = (w: tf.Tensor1D): tf.Scalar =>
      causalInfluence((z) => tf.matMul(z, tf.reshape(w, [3, 1])), sigmoidClassifier(4), 2, 1, { nAlpha: 64, nBeta: 16, variant: 'joint', seed: 11 });
    const g = tf.tidy(() => tf.grad((w) => cOf(w as tf.Tensor1D))(tf.tensor1d(w0))).dataSync();
    const h = 1e-2;
    for (let i = 0; i < 3; i++) {
      const plus = w0.slice();
      const minus = w0.slice();
      plus[i] += h;
      minus[i] -= h;
      const fd = (value(tf.tidy(() => cOf(tf.tensor1d(plus)))) - value(tf.tidy(() => cOf(tf.tensor1d(minus))))) / (2 * h);
      expect(Math.abs(g[i] - fd), `d C / d w${i}: autodiff ${g[i]} vs fd ${fd}`).toBeLessThan(2e-3 + 0.03 * Math.abs(fd));
    }
    expect(Math.abs(g[0]) + Math.abs(g[1])).toBeGreaterThan(0.01);
  });
});

describe('capacity certificate (Appendix F)', () => {
  it('matches the test vectors', () => {
    expect(capacityBound(3, 1.03)).toBeCloseTo(0.0495, 4);
    expect(capacityBound(2, 0.675)).toBeCloseTo(0.0131, 4);
    const c = capacityCertificate(3, 1.03);
    expect(c.errorBound).toBeCloseTo(0.0495, 4);
    expect(c.explained).toBeCloseTo(0.9505, 4);
    expect(c.text).toContain('95.1%');
  });
  it('clamps at 0 and refuses bounds above 1/2', () => {
    expect(capacityCertificate(2, Math.log(2)).errorBound).toBeCloseTo(0, 12);
    expect(capacityCertificate(2, 0).errorBound).toBeCloseTo(0.5, 12);
    expect(capacityCertificate(3, 0).errorBound).toBeNull();
  });
});
