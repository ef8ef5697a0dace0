// The loss terms of seed 004 section 2.4 (hinge cGAN, KL compatibility, L1 self-consistency).
// Images are compared in the generator's [-1, 1] space, as in the paper's implementation; the
// quality metrics report L1 in [0, 1] (half these values).
import * as tf from '@tensorflow/tfjs';

/** L_D = E[max(0, 1 - D(x, c_f(x, 0)))] + E[max(0, 1 + D(x_delta, c))]. */
export function discriminatorHinge(real: tf.Tensor1D, fake: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake)))) as tf.Scalar);
}

/** L_G,adv = -E[D(x_delta, c)]. */
export function generatorAdversarial(fake: tf.Tensor1D): tf.Scalar {
  return tf.neg(tf.mean(fake)) as tf.Scalar;
}

const P_EPS = 1e-6;

/**
 * Compatibility L_f = E[KL(Bern(t) || Bern(p))], t the target bin's centre, p = f(x_delta);
 * the gradient flows through p (the classifier stays frozen: only E and G are updated).
 */
export function bernoulliKl(target: tf.Tensor1D, p: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const q = tf.clipByValue(p, P_EPS, 1 - P_EPS);
    const t = tf.clipByValue(target, P_EPS, 1 - P_EPS);
    const pos = tf.mul(t, tf.sub(tf.log(t), tf.log(q)));
    const neg = tf.mul(tf.sub(1, t), tf.sub(tf.log(tf.sub(1, t)), tf.log(tf.sub(1, q))));
    return tf.mean(tf.add(pos, neg)) as tf.Scalar;
  });
}

/** Mean absolute difference (L_rec, L_cyc). */
export function l1(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar;
}

/** Plain-number KL(Bern(t) || Bern(p)), for metrics and tests. */
export function bernoulliKlValue(t: number, p: number): number {
  const q = Math.min(1 - P_EPS, Math.max(P_EPS, p));
  const tt = Math.min(1 - P_EPS, Math.max(P_EPS, t));
  return tt * Math.log(tt / q) + (1 - tt) * Math.log((1 - tt) / (1 - q));
}
