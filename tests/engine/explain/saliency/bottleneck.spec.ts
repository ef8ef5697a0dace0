// The bottleneck KL divergences against Monte Carlo estimates, and their limits: InputIBA's
// Eq. 10 with lambda_G = 0 is IBA's KL, with lambda_G = 1 it is zero.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../../../src-main/engine/data/synthetic/rng';
import { featureKl, gaussianKl, inputIbaKl } from '../../../../src-main/engine/explain/saliency';
import { setupBackend } from './helpers';

beforeAll(setupBackend);

function normals(n: number, seed: number): Float64Array {
  const rng = makeRng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const t = 2 * Math.PI * rng();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

const logPdf = (z: number, mu: number, sd: number): number => -0.5 * Math.log(2 * Math.PI) - Math.log(sd) - ((z - mu) ** 2) / (2 * sd * sd);

/** E_{z ~ P}[log P(z) - log Q(z)] by sampling. */
function monteCarloKl(mu1: number, s1: number, mu2: number, s2: number, n = 400_000, seed = 1): number {
  const eps = normals(n, seed);
  let acc = 0;
  for (const e of eps) {
    const z = mu1 + s1 * e;
    acc += logPdf(z, mu1, s1) - logPdf(z, mu2, s2);
  }
  return acc / n;
}

async function scalar(t: tf.Tensor): Promise<number> {
  const v = (await t.data())[0];
  t.dispose();
  return v;
}

describe('bottleneck KL divergences', () => {
  it('Gaussian KL (Eq. 7) matches Monte Carlo', () => {
    for (const [m1, s1, m2, s2] of [
      [0, 1, 0, 1],
      [0.3, 0.5, -0.2, 1.3],
      [2, 0.2, 0, 1],
    ]) {
      expect(gaussianKl(m1, s1, m2, s2)).toBeCloseTo(monteCarloKl(m1, s1, m2, s2), 2);
    }
    expect(gaussianKl(0.4, 0.7, 0.4, 0.7)).toBeCloseTo(0, 12);
  });

  it('InputIBA closed-form KL (seed 002 Eq. 10) matches a Monte Carlo estimate', async () => {
    const cases = [
      { I: 0.8, mu: 0.45, sd: 0.25, L: 0.7, lG: 0.5 },
      { I: 0.1, mu: 0.45, sd: 0.25, L: 0.95, lG: 0.9 },
      { I: 0.6, mu: 0.5, sd: 0.3, L: 0.3, lG: 0.1 },
      { I: 1.0, mu: 0.4, sd: 0.2, L: 0.99, lG: 0.3 },
    ];
    for (const [k, c] of cases.entries()) {
      const closed = await scalar(inputIbaKl(tf.scalar(c.I), tf.scalar(c.lG), tf.scalar(c.L), c.mu, c.sd));
      // P(Z_I | I) = N(L I + (1 - L) mu, (1 - L)^2 sd^2); prior N(lG L I + (1 - lG L) mu, (1 - lG L)^2 sd^2).
      const mc = monteCarloKl(c.L * c.I + (1 - c.L) * c.mu, (1 - c.L) * c.sd, c.lG * c.L * c.I + (1 - c.lG * c.L) * c.mu, (1 - c.lG * c.L) * c.sd, 400_000, k + 2);
      expect(Math.abs(closed - mc)).toBeLessThan(0.01 + 0.01 * closed);
    }
  });

  it('with lambda_G = 0 the input prior is the plain IBA prior; with lambda_G = 1 the KL vanishes', async () => {
    const x = tf.tensor([0.9, 0.2, 0.55]);
    const lambda = tf.tensor([0.3, 0.8, 0.99]);
    const [mu, sd] = [0.45, 0.25];
    const plain = await (featureKl(x, lambda, tf.scalar(mu), tf.scalar(sd)) as tf.Tensor).data();
    const g0 = await inputIbaKl(x, tf.zerosLike(lambda), lambda, mu, sd).data();
    const g1 = await inputIbaKl(x, tf.onesLike(lambda), lambda, mu, sd).data();
    for (let i = 0; i < 3; i++) {
      expect(g0[i]).toBeCloseTo(plain[i], 4);
      expect(g1[i]).toBeCloseTo(0, 4);
    }
    tf.dispose([x, lambda]);
  });
});
