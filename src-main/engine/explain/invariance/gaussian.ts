// Diagonal Gaussians as (mean, log-variance) tensor pairs [N, d]: the closed-form KL divergences
// of seed 003's objective (Eq. 6c, 6d) and attribution (Eq. 9), and reparameterised samples.
import * as tf from '@tensorflow/tfjs';

export interface DiagGaussian {
  mu: tf.Tensor2D;
  logvar: tf.Tensor2D;
}

/** KL(N(mu1, e^lv1) || N(mu2, e^lv2)) per row, summed over the dimensions: [N]. */
export function klDiag(p: DiagGaussian, q: DiagGaussian): tf.Tensor1D {
  return tf.tidy(() => {
    const ratio = tf.exp(tf.sub(p.logvar, q.logvar));
    const mean = tf.div(tf.square(tf.sub(p.mu, q.mu)), tf.exp(q.logvar));
    return tf.mul(0.5, tf.sum(tf.sub(tf.add(ratio, mean), tf.add(1, tf.sub(p.logvar, q.logvar))), 1)) as tf.Tensor1D;
  });
}

/** KL(N(mu, e^lv) || N(0, I)) per row: [N]. */
export function klStdNormal(p: DiagGaussian): tf.Tensor1D {
  return tf.tidy(() => tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.exp(p.logvar), tf.square(p.mu)), tf.add(1, p.logvar)), 1)) as tf.Tensor1D);
}

/** mu + sigma * eps (eps standard normal, same shape): differentiable in mu and logvar. */
export function reparameterize(p: DiagGaussian, eps: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.add(p.mu, tf.mul(tf.exp(tf.mul(0.5, p.logvar)), eps)) as tf.Tensor2D);
}

/** Columns [from, from + size) of both parameters (z1 or z2 of z = (z1, z2)). */
export function sliceDims(p: DiagGaussian, from: number, size: number): DiagGaussian {
  return { mu: tf.slice(p.mu, [0, from], [-1, size]), logvar: tf.slice(p.logvar, [0, from], [-1, size]) };
}

export function disposeGaussian(p: DiagGaussian): void {
  tf.dispose([p.mu, p.logvar]);
}

/** Plain-number KL between diagonal Gaussians (tests, single rows). */
export function klDiagNumbers(mu1: ArrayLike<number>, lv1: ArrayLike<number>, mu2: ArrayLike<number>, lv2: ArrayLike<number>): number {
  let kl = 0;
  for (let i = 0; i < mu1.length; i++) kl += 0.5 * (lv2[i] - lv1[i] + (Math.exp(lv1[i]) + (mu1[i] - mu2[i]) ** 2) / Math.exp(lv2[i]) - 1);
  return kl;
}
