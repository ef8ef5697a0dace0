// L_beta (seed 003 Eqs. 6-7) and M2's objective (Eq. 8) term by term against a hand computation
// on a two-pixel, two-dimensional, two-class case.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianLogLik, m2Terms, svaeTerms } from '../../../../src-main/engine/explain/invariance/objective';
import { setupBackend, values } from './helpers';

beforeAll(setupBackend);

const sigmoid = (l: number): number => 1 / (1 + Math.exp(-l));
/** KL between univariate normals in the (mean, standard deviation) form, summed over dimensions. */
const kl = (m1: number[], s1: number[], m2: number[], s2: number[]): number => m1.reduce((a, _, i) => a + Math.log(s2[i] / s1[i]) + (s1[i] ** 2 + (m1[i] - m2[i]) ** 2) / (2 * s2[i] ** 2) - 0.5, 0);

describe('L_beta', () => {
  it('matches a hand computation of each term and of the weighted sum', async () => {
    const px = [0.2, 0.9];
    const logits = [0.5, 2];
    const qxy = { mu: [0.5, -1], sd: [1, 0.5] };
    const qx = { mu: [0, 0.3], sd: [2, 1] };
    const head = [2, 0.5];
    const beta = 0.9;
    const alpha = 60;
    const t = svaeTerms({
      x: tf.tensor4d(px, [1, 1, 2, 1]),
      reconLogits: tf.tensor4d(logits, [1, 1, 2, 1]),
      qxy: { mu: tf.tensor2d([qxy.mu]), logvar: tf.tensor2d([qxy.sd.map((s) => Math.log(s * s))]) },
      qx: { mu: tf.tensor2d([qx.mu]), logvar: tf.tensor2d([qx.sd.map((s) => Math.log(s * s))]) },
      yOneHot: tf.tensor2d([[1, 0]]),
      headLogits: tf.tensor2d([head]),
      beta,
      alpha,
    });
    const recon = px.reduce((a, x, i) => a + x * Math.log(sigmoid(logits[i])) + (1 - x) * Math.log(1 - sigmoid(logits[i])), 0);
    const klPrior = kl(qxy.mu, qxy.sd, [0, 0], [1, 1]);
    const klSuff = kl(qxy.mu, qxy.sd, qx.mu, qx.sd);
    const logPy = head[0] - Math.log(Math.exp(head[0]) + Math.exp(head[1]));
    expect((await values(t.recon))[0]).toBeCloseTo(recon, 5);
    expect((await values(t.klPrior))[0]).toBeCloseTo(klPrior, 5);
    expect((await values(t.klSufficiency))[0]).toBeCloseTo(klSuff, 5);
    expect((await values(t.logPy))[0]).toBeCloseTo(logPy, 5);
    expect((await values(t.objective))[0]).toBeCloseTo(beta * recon - beta * klPrior - (1 - beta) * klSuff + alpha * logPy, 4);
  });

  it('reduces to the classification ELBO (Eq. 2) at beta = 0 and to the joint ELBO (Eq. 3) at beta = 1', async () => {
    const mk = (beta: number) =>
      svaeTerms({
        x: tf.tensor4d([0.3], [1, 1, 1, 1]),
        reconLogits: tf.tensor4d([-1], [1, 1, 1, 1]),
        qxy: { mu: tf.tensor2d([[1]]), logvar: tf.tensor2d([[0]]) },
        qx: { mu: tf.tensor2d([[0]]), logvar: tf.tensor2d([[0]]) },
        yOneHot: tf.tensor2d([[0, 1]]),
        headLogits: tf.tensor2d([[0, 0]]),
        beta,
        alpha: 1,
      });
    const at0 = mk(0);
    // KL(N(1,1) || N(0,1)) = 0.5 for both KL terms; log p(y|z1) = log 0.5.
    expect((await values(at0.objective))[0]).toBeCloseTo(-0.5 + Math.log(0.5), 5);
    const at1 = mk(1);
    const recon = 0.3 * Math.log(sigmoid(-1)) + 0.7 * Math.log(1 - sigmoid(-1));
    expect((await values(at1.objective))[0]).toBeCloseTo(recon - 0.5 + Math.log(0.5), 5);
    tf.dispose([at0.recon, at0.klPrior, at0.klSufficiency, at0.logPy, at1.recon, at1.klPrior, at1.klSufficiency, at1.logPy]);
  });
});

describe('pixel likelihoods', () => {
  it('gives the Gaussian log-density around the decoded mean', async () => {
    const px = [0.2, 0.9];
    const logits = [0.5, 2];
    const sigma = 0.1;
    const want = px.reduce((a, x, i) => a - (x - sigmoid(logits[i])) ** 2 / (2 * sigma * sigma) - Math.log(sigma * Math.sqrt(2 * Math.PI)), 0);
    expect((await values(gaussianLogLik(tf.tensor4d(px, [1, 1, 2, 1]), tf.tensor4d(logits, [1, 1, 2, 1]), sigma)))[0]).toBeCloseTo(want, 4);
  });
});

describe("M2's objective (Eq. 8)", () => {
  it('adds the class-weighted U(x, c), the entropy of q(y|x) and alpha log q(y|x)', async () => {
    const u = [-3, -5];
    const logits = [0.2, -0.4];
    const t = m2Terms({ recon: tf.tensor1d([-2.5]), klPrior: tf.tensor1d([0.5]), uPerClass: tf.tensor2d([u]), yOneHot: tf.tensor2d([[0, 1]]), classLogits: tf.tensor2d([logits]), alpha: 10 });
    const z = Math.exp(logits[0]) + Math.exp(logits[1]);
    const q = logits.map((l) => Math.exp(l) / z);
    const unl = q[0] * u[0] + q[1] * u[1] - (q[0] * Math.log(q[0]) + q[1] * Math.log(q[1]));
    expect((await values(t.unlabelled))[0]).toBeCloseTo(unl, 5);
    expect((await values(t.objective))[0]).toBeCloseTo(-2.5 - 0.5 + unl + 10 * Math.log(q[1]), 4);
    tf.dispose([t.recon, t.klPrior, t.logPy]);
  });
});
