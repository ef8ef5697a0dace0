// The linear-Gaussian case of seed 000 Appendices B/C, used to check Algorithm 2:
// 2-D data x = alpha w_alpha + beta w_beta + e, alpha, beta ~ N(0, 1), e ~ N(0, 0.001 I)
// (covariance 0.001 I), unit vectors w at angles theta from a = (1, 0);
// classifier p(Y = 1 | x) = sigmoid(5 a.x).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../data/synthetic/rng';
import type { Classifier, Decoder } from './estimator';
import { gaussian } from './estimator';

export const LG_NOISE_VARIANCE = 0.001;
export const LG_SLOPE = 5;

const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Two-class classifier on the first column of x: [1 - p, p], p = sigmoid(slope x_0). */
export function sigmoidClassifier(slope = LG_SLOPE): Classifier {
  return (x) =>
    tf.tidy(() => {
      const p = tf.sigmoid(tf.mul(tf.slice(tf.reshape(x, [x.shape[0], -1]), [0, 0], [-1, 1]), slope));
      return tf.concat([tf.sub(1, p), p], 1) as tf.Tensor2D;
    });
}

/** g(alpha, beta) for latents [N, 2] (alpha, beta), with fresh noise e from `rng` per call. */
export function linearGaussianDecoder(thetaAlphaDeg: number, thetaBetaDeg: number, rng: Rng, noiseVariance = LG_NOISE_VARIANCE): Decoder {
  const w = [Math.cos(rad(thetaAlphaDeg)), Math.sin(rad(thetaAlphaDeg)), Math.cos(rad(thetaBetaDeg)), Math.sin(rad(thetaBetaDeg))];
  return (z) => {
    const n = z.shape[0];
    const e = gaussian(n * 2, rng);
    const sd = Math.sqrt(noiseVariance);
    for (let i = 0; i < e.length; i++) e[i] *= sd;
    return tf.tidy(() => tf.add(tf.matMul(z, tf.tensor2d(w, [2, 2])), tf.tensor2d(e, [n, 2])));
  };
}

const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));
const h2 = (p: number): number => (p <= 0 || p >= 1 ? 0 : -p * Math.log(p) - (1 - p) * Math.log(1 - p));

/** I(alpha; Y) in nats by quadrature (trapezoid on [-8, 8] in alpha and in the marginalised noise). */
export function linearGaussianInfluence(thetaAlphaDeg: number, thetaBetaDeg: number, noiseVariance = LG_NOISE_VARIANCE, slope = LG_SLOPE, n = 801): number {
  // Given alpha, a.x ~ N(alpha cos(theta_alpha), cos^2(theta_beta) + noise variance).
  const ca = Math.cos(rad(thetaAlphaDeg));
  const s = Math.sqrt(Math.cos(rad(thetaBetaDeg)) ** 2 + noiseVariance);
  const grid = Array.from({ length: n }, (_, i) => -8 + (16 * i) / (n - 1));
  const dx = 16 / (n - 1);
  const phi = grid.map((u) => (Math.exp(-0.5 * u * u) / Math.sqrt(2 * Math.PI)) * dx * (Math.abs(u) === 8 ? 0.5 : 1));
  let q = 0;
  let cond = 0;
  for (let i = 0; i < n; i++) {
    let p = 0;
    for (let j = 0; j < n; j++) p += phi[j] * sigmoid(slope * (grid[i] * ca + s * grid[j]));
    q += phi[i] * p;
    cond += phi[i] * h2(p);
  }
  return h2(q) - cond;
}
