// The information bottleneck pieces shared by IBA and InputIBA: the Gaussian KL divergences
// (IBA's per-unit capacity; seed 002 Eq. 7 and Eq. 10), the noisy bottleneck itself, and the
// per-image mask optimisation (Adam on alpha, lambda = smooth(sigmoid(alpha))).
import * as tf from '@tensorflow/tfjs';
import { gaussianSmooth } from './common';
import type { ExplainHooks } from './types';

/** KL(N(mu1, s1^2) || N(mu2, s2^2)) (seed 002 Eq. 7), for plain numbers. */
export function gaussianKl(mu1: number, s1: number, mu2: number, s2: number): number {
  return Math.log(s2 / s1) + (s1 * s1 + (mu1 - mu2) ** 2) / (2 * s2 * s2) - 0.5;
}

/** Keeps 1 - lambda away from 0 so that the logs stay finite. */
const ONE_MINUS_MIN = 1e-6;

/**
 * IBA's capacity per unit: KL(P(Z|R) || N(mean, std^2)) with Z = lambda R + (1 - lambda) eps,
 * eps ~ N(mean, std^2): in units of std, P(Z|R) = N(lambda r, (1 - lambda)^2) against N(0, 1).
 */
export function featureKl(r: tf.Tensor, lambda: tf.Tensor, mean: tf.Tensor, std: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const rNorm = r.sub(mean).div(std);
    const oneMinus = tf.maximum(tf.sub(1, lambda), ONE_MINUS_MIN);
    const varZ = oneMinus.square();
    const muZ = rNorm.mul(lambda);
    return tf.mul(-0.5, tf.add(1, varZ.log()).sub(muZ.square()).sub(varZ));
  });
}

/**
 * InputIBA's per-element KL (seed 002 Eq. 10) between P(Z_I | I) = N(L I + (1 - L) mu,
 * (1 - L)^2 s^2) and the feature-conditioned prior N(lG L I + (1 - lG L) mu, (1 - lG L)^2 s^2):
 * log((1 - lG L) / (1 - L)) + (1 - L)^2 / (2 (1 - lG L)^2)
 *   + (I - mu)^2 (L - lG L)^2 / (2 (1 - lG L)^2 s^2) - 1/2.
 * With lG = 0 it is IBA's KL against N(mu, s^2); with lG = 1 the prior equals the posterior (0).
 */
export function inputIbaKl(x: tf.Tensor, lambdaG: tf.Tensor, lambda: tf.Tensor, mean: tf.Tensor | number, std: tf.Tensor | number): tf.Tensor {
  return tf.tidy(() => {
    const oneMinusL = tf.maximum(tf.sub(1, lambda), ONE_MINUS_MIN);
    const gl = lambdaG.mul(lambda);
    const oneMinusGL = tf.maximum(tf.sub(1, gl), ONE_MINUS_MIN);
    const denom = oneMinusGL.square().mul(2);
    const d = x.sub(mean);
    const term3 = d.square().mul(lambda.sub(gl).square()).div(denom.mul(tf.square(std)));
    return oneMinusGL.div(oneMinusL).log().add(oneMinusL.square().div(denom)).add(term3).sub(0.5);
  });
}

/** Z = lambda R + (1 - lambda) (std * noise + mean): the bottleneck's output. */
export function bottleneck(r: tf.Tensor, lambda: tf.Tensor, mean: tf.Tensor | number, std: tf.Tensor | number, noise: tf.Tensor): tf.Tensor {
  return tf.tidy(() => lambda.mul(r).add(tf.sub(1, lambda).mul(noise.mul(std).add(mean))));
}

/** lambda = smooth(sigmoid(alpha)) over the spatial axes of [N, H, W, C]. */
export function maskFromAlpha(alpha: tf.Tensor4D, sigma: number): tf.Tensor4D {
  return tf.tidy(() => gaussianSmooth(tf.sigmoid(alpha) as tf.Tensor4D, sigma));
}

export interface MaskOptimisation {
  shape: [number, number, number, number];
  initialAlpha: number;
  sigma: number;
  steps: number;
  lr: number;
  /** Per-image losses [N] for the mask lambda at this step; their sum is minimised. */
  loss(lambda: tf.Tensor4D, step: number): tf.Tensor1D;
}

/**
 * Adam on alpha for `steps` steps. The images' masks are independent parameters and Adam works
 * element-wise, so optimising the sum of per-image losses equals optimising each image alone.
 * Returns alpha (caller disposes).
 */
export async function optimiseMask(o: MaskOptimisation, hooks: ExplainHooks = {}, progressSpan: [number, number] = [0, 1]): Promise<tf.Tensor4D> {
  const init = tf.fill(o.shape, o.initialAlpha);
  const alpha = tf.variable(init, true, undefined, 'float32');
  init.dispose();
  const opt = tf.train.adam(o.lr);
  try {
    for (let step = 0; step < o.steps; step++) {
      await hooks.checkpoint?.();
      const loss = opt.minimize(() => o.loss(maskFromAlpha(alpha as tf.Variable as unknown as tf.Tensor4D, o.sigma), step).sum() as tf.Scalar, false, [alpha]);
      loss?.dispose();
      hooks.progress?.(progressSpan[0] + ((step + 1) / o.steps) * (progressSpan[1] - progressSpan[0]), 'optimising the bottleneck');
    }
    return alpha.clone() as tf.Tensor4D;
  } finally {
    opt.dispose();
    alpha.dispose();
  }
}

/** -log P(target) per row, from probabilities (clamped so a zero probability stays finite). */
export function crossEntropy(probs: tf.Tensor2D, onehot: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.log(tf.maximum(tf.sum(probs.mul(onehot), 1), 1e-12))) as tf.Tensor1D);
}

/** Mean of [N * k] per-row values over each image's k consecutive rows -> [N]. */
export function meanPerImage(values: tf.Tensor1D, n: number, k: number): tf.Tensor1D {
  return tf.tidy(() => values.reshape([n, k]).mean(1) as tf.Tensor1D);
}
