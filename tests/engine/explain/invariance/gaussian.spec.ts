// The closed-form KL between diagonal Gaussians (Eqs. 6c, 6d, 9) against a Monte Carlo estimate.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../../../src-main/engine/data/synthetic/rng';
import { klDiag, klDiagNumbers, klStdNormal } from '../../../../src-main/engine/explain/invariance/gaussian';
import { setupBackend, values } from './helpers';

beforeAll(setupBackend);

function monteCarloKl(m1: number[], s1: number[], m2: number[], s2: number[], n: number, seed: number): { mean: number; se: number } {
  const rng = makeRng(seed);
  const logN = (x: number, m: number, s: number): number => -0.5 * Math.log(2 * Math.PI) - Math.log(s) - (x - m) ** 2 / (2 * s * s);
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let d = 0; d < m1.length; d++) {
      const e = Math.sqrt(-2 * Math.log(Math.max(1e-12, rng()))) * Math.cos(2 * Math.PI * rng());
      const x = m1[d] + s1[d] * e;
      v += logN(x, m1[d], s1[d]) - logN(x, m2[d], s2[d]);
    }
    sum += v;
    sq += v * v;
  }
  const mean = sum / n;
  return { mean, se: Math.sqrt((sq / n - mean * mean) / n) };
}

describe('KL between diagonal Gaussians', () => {
  it('agrees with a Monte Carlo estimate within four standard errors', async () => {
    const cases = [
      { m1: [0.5, -1, 2], s1: [1, 0.5, 0.3], m2: [0, 0.2, 1.5], s2: [2, 1, 0.6] },
      { m1: [0, 0, 0], s1: [1, 1, 1], m2: [1, -1, 0.5], s2: [0.8, 1.5, 1] },
    ];
    for (const c of cases) {
      const lv = (s: number[]): number[] => s.map((v) => Math.log(v * v));
      const closed = (await values(klDiag({ mu: tf.tensor2d([c.m1]), logvar: tf.tensor2d([lv(c.s1)]) }, { mu: tf.tensor2d([c.m2]), logvar: tf.tensor2d([lv(c.s2)]) })))[0];
      const mc = monteCarloKl(c.m1, c.s1, c.m2, c.s2, 200_000, 7);
      expect(Math.abs(closed - mc.mean)).toBeLessThan(4 * mc.se + 1e-3);
      expect(closed).toBeCloseTo(klDiagNumbers(c.m1, lv(c.s1), c.m2, lv(c.s2)), 4);
    }
  });

  it('is zero between equal distributions and equals the standard-normal form against N(0, I)', async () => {
    const p = { mu: tf.tensor2d([[0.3, -0.7]]), logvar: tf.tensor2d([[0.2, -1]]) };
    expect((await values(klDiag(p, p)))[0]).toBeCloseTo(0, 6);
    const std = { mu: tf.zeros([1, 2]) as tf.Tensor2D, logvar: tf.zeros([1, 2]) as tf.Tensor2D };
    const a = (await values(klDiag(p, std)))[0];
    expect((await values(klStdNormal(p)))[0]).toBeCloseTo(a, 6);
    tf.dispose([p.mu, p.logvar, std.mu, std.logvar]);
  });
});
