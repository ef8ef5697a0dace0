// The objectives, as per-example terms [N] so that progress can report each one:
//   SVAE (seed 003 Eqs. 6-7): L_beta = beta E[log p(x|z)] - beta KL(q(z|x,y) || p(z))
//                                     - (1 - beta) KL(q(z|x,y) || q(z|x)) + alpha E[log p(y|z1)]
//   M2 (Eq. 8): U(x,y) + sum_c q(c|x) U(x,c) + H(q(y|x)) + alpha log q(y|x),
//               U(x,y) = E_q(z|x,y)[log p(x|y,z)] - KL(q(z|x,y) || p(z))
// with one reparameterised sample per expectation and a Bernoulli (or Gaussian) pixel likelihood.
import * as tf from '@tensorflow/tfjs';
import { klDiag, klStdNormal, type DiagGaussian } from './gaussian';

/** log p(x | logits) of Bernoulli pixels (x in 0..1), summed per image: [N]. */
export function bernoulliLogLik(x: tf.Tensor, logits: tf.Tensor): tf.Tensor1D {
  // x * l - softplus(l), the numerically stable form of x log s(l) + (1 - x) log(1 - s(l)).
  return tf.tidy(() => {
    const n = x.shape[0];
    return tf.sum(tf.reshape(tf.sub(tf.mul(x, logits), tf.softplus(logits)), [n, -1]), 1) as tf.Tensor1D;
  });
}

/** log N(x; sigmoid(logits), sigma^2) per pixel, summed per image: [N]. */
export function gaussianLogLik(x: tf.Tensor, logits: tf.Tensor, sigma: number): tf.Tensor1D {
  return tf.tidy(() => {
    const n = x.shape[0];
    const sq = tf.sum(tf.reshape(tf.squaredDifference(x, tf.sigmoid(logits)), [n, -1]), 1);
    const pixels = x.size / n;
    return tf.sub(tf.div(sq, -2 * sigma * sigma), pixels * Math.log(sigma * Math.sqrt(2 * Math.PI))) as tf.Tensor1D;
  });
}

/** The configured pixel likelihood log p(x | decoder logits): [N]. */
export function pixelLogLik(x: tf.Tensor, logits: tf.Tensor, c: { likelihood?: 'bernoulli' | 'gaussian'; pixelSigma?: number }): tf.Tensor1D {
  return c.likelihood === 'gaussian' ? gaussianLogLik(x, logits, c.pixelSigma ?? 0.1) : bernoulliLogLik(x, logits);
}

/** log p(y | logits) for one-hot y: [N]. */
export function categoricalLogLik(yOneHot: tf.Tensor2D, logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(yOneHot, tf.logSoftmax(logits)), 1) as tf.Tensor1D);
}

export interface SvaeTerms {
  /** E[log p(x|z)] (Eq. 6b without beta). */
  recon: tf.Tensor1D;
  /** KL(q(z|x,y) || p(z)) (Eq. 6c without beta). */
  klPrior: tf.Tensor1D;
  /** KL(q(z|x,y) || q(z|x)), the sufficiency term (Eq. 6d without 1 - beta). */
  klSufficiency: tf.Tensor1D;
  /** E[log p(y|z1)] (Eq. 7, without alpha). */
  logPy: tf.Tensor1D;
  /** L_beta per example. */
  objective: tf.Tensor1D;
}

export interface SvaeTermInputs {
  x: tf.Tensor;
  /** Decoder logits for z ~ q(z|x,y). */
  reconLogits: tf.Tensor;
  qxy: DiagGaussian;
  qx: DiagGaussian;
  yOneHot: tf.Tensor2D;
  /** Head logits p(y | z1) for the same z. */
  headLogits: tf.Tensor2D;
  beta: number;
  alpha: number;
  /** Default: Bernoulli. */
  likelihood?: { likelihood?: 'bernoulli' | 'gaussian'; pixelSigma?: number };
}

export function svaeTerms(i: SvaeTermInputs): SvaeTerms {
  const recon = pixelLogLik(i.x, i.reconLogits, i.likelihood ?? {});
  const klPrior = klStdNormal(i.qxy);
  const klSufficiency = klDiag(i.qxy, i.qx);
  const logPy = categoricalLogLik(i.yOneHot, i.headLogits);
  const objective = tf.tidy(() =>
    tf.addN([tf.mul(i.beta, recon), tf.mul(-i.beta, klPrior), tf.mul(-(1 - i.beta), klSufficiency), tf.mul(i.alpha, logPy)]) as tf.Tensor1D,
  );
  return { recon, klPrior, klSufficiency, logPy, objective };
}

export interface M2Terms {
  /** E[log p(x|y,z)] for the observed label. */
  recon: tf.Tensor1D;
  /** KL(q(z|x,y) || p(z)) for the observed label. */
  klPrior: tf.Tensor1D;
  /** sum_c q(c|x) U(x,c) + H(q(y|x)) (zero when the sum over classes is off). */
  unlabelled: tf.Tensor1D;
  /** log q(y|x). */
  logPy: tf.Tensor1D;
  objective: tf.Tensor1D;
}

export interface M2TermInputs {
  /** U(x, y) parts for the observed label. */
  recon: tf.Tensor1D;
  klPrior: tf.Tensor1D;
  /** U(x, c) for every class c: [N, K], or null to leave out the unlabelled part. */
  uPerClass: tf.Tensor2D | null;
  yOneHot: tf.Tensor2D;
  /** q(y|x) logits. */
  classLogits: tf.Tensor2D;
  alpha: number;
}

export function m2Terms(i: M2TermInputs): M2Terms {
  const logPy = categoricalLogLik(i.yOneHot, i.classLogits);
  const unlabelled = tf.tidy(() => {
    if (!i.uPerClass) return tf.zeros([i.recon.shape[0]]) as tf.Tensor1D;
    const logq = tf.logSoftmax(i.classLogits);
    const q = tf.exp(logq);
    const entropy = tf.neg(tf.sum(tf.mul(q, logq), 1));
    return tf.add(tf.sum(tf.mul(q, i.uPerClass), 1), entropy) as tf.Tensor1D;
  });
  const objective = tf.tidy(() => tf.addN([i.recon, tf.neg(i.klPrior), unlabelled, tf.mul(i.alpha, logPy)]) as tf.Tensor1D);
  return { recon: i.recon, klPrior: i.klPrior, unlabelled, logPy, objective };
}
