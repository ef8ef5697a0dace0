// Attribution of the divergence of seed 003 Eq. 9, d(x, x~) = KL(q(z_k|x) || q(z_k|x~)) for
// k = 1 (z1: what the classifier relies on) and k = 2 (z2: what it ignores), as a function of the
// transformed sample x~ with x fixed. The analysis and the benchmark go through the saliency
// suite (divergence-model.ts makes d(x, .) an explainable model); this file keeps the divergence
// itself, a row-paired batch variant of the gradient methods (x_i against x~_i, for batch
// statistics and tests; a Map refusing duplicates) and the box share of a map's mass.
import * as tf from '@tensorflow/tfjs';
import type { AttributionMethod } from '../../../api/schemas/invariance';
import { klDiag, sliceDims, type DiagGaussian } from './gaussian';
import type { Svae } from './svae';

/** A scalar per image [N] of images [N, S, S, 1]; images must not interact (no batch statistics). */
export type ScalarFn = (x: tf.Tensor4D) => tf.Tensor1D;

export interface AttributionSettings {
  igSteps: number;
  /** Integrated gradients baseline: 'zeros' (black) or a given batch. */
  baseline?: tf.Tensor4D;
  smoothGradSamples: number;
  /** SmoothGrad noise standard deviation, in the 0..1 pixel range. */
  smoothGradNoise: number;
  seed: number;
}

export const DEFAULT_ATTRIBUTION: AttributionSettings = { igSteps: 32, smoothGradSamples: 16, smoothGradNoise: 0.15, seed: 0 };

export type Attributor = (f: ScalarFn, x: tf.Tensor4D, s: AttributionSettings) => tf.Tensor4D;

/** d sum_i f(x_i) / dx: per image, since images do not interact. */
function gradient(f: ScalarFn, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.grad((xx: tf.Tensor) => tf.sum(f(xx as tf.Tensor4D)))(x) as tf.Tensor4D);
}

const methods = new Map<AttributionMethod, Attributor>();

export function registerAttribution(name: AttributionMethod, a: Attributor): void {
  if (methods.has(name)) throw new Error(`attribution method '${name}' is already registered`);
  methods.set(name, a);
}

export function attributionMethod(name: AttributionMethod): Attributor {
  const a = methods.get(name);
  if (!a) throw new Error(`no attribution method '${name}'`);
  return a;
}

export function attributionMethods(): AttributionMethod[] {
  return [...methods.keys()];
}

registerAttribution('gradient', (f, x) => gradient(f, x));
registerAttribution('gradient-x-input', (f, x) => tf.tidy(() => tf.mul(gradient(f, x), x) as tf.Tensor4D));
registerAttribution('integrated-gradients', (f, x, s) =>
  tf.tidy(() => {
    // Midpoint Riemann sum along the straight path from the baseline to x.
    const base = s.baseline ?? tf.zerosLike(x);
    const delta = tf.sub(x, base);
    let acc = tf.zerosLike(x) as tf.Tensor4D;
    for (let i = 0; i < s.igSteps; i++) {
      const g = gradient(f, tf.add(base, tf.mul((i + 0.5) / s.igSteps, delta)) as tf.Tensor4D);
      const next = tf.add(acc, g) as tf.Tensor4D;
      tf.dispose([acc, g]);
      acc = next;
    }
    return tf.mul(delta, tf.div(acc, s.igSteps)) as tf.Tensor4D;
  }),
);
registerAttribution('smoothgrad', (f, x, s) =>
  tf.tidy(() => {
    let acc = tf.zerosLike(x) as tf.Tensor4D;
    for (let i = 0; i < s.smoothGradSamples; i++) {
      const noisy = tf.add(x, tf.randomNormal(x.shape, 0, s.smoothGradNoise, 'float32', s.seed * 1000 + i + 1)) as tf.Tensor4D;
      const g = gradient(f, noisy);
      const next = tf.add(acc, g) as tf.Tensor4D;
      tf.dispose([acc, g, noisy]);
      acc = next;
    }
    return tf.div(acc, s.smoothGradSamples) as tf.Tensor4D;
  }),
);

/** Latent block k of the SVAE: 1 = z1, 2 = z2. */
export function latentBlock(svae: Pick<Svae, 'z1' | 'z2'>, k: 1 | 2): { from: number; size: number } {
  return k === 1 ? { from: 0, size: svae.z1 } : { from: svae.z1, size: svae.z2 };
}

/**
 * x~ -> KL(q(z_k|x) || q(z_k|x~)) for a fixed batch x (row i of x~ against row i of x). The
 * returned function owns the reference posterior; call `dispose` when done.
 */
export function divergenceFn(svae: Pick<Svae, 'encode' | 'z1' | 'z2'>, x: tf.Tensor4D, k: 1 | 2): { f: ScalarFn; dispose(): void } {
  const { from, size } = latentBlock(svae, k);
  const q = svae.encode(x);
  const ref: DiagGaussian = sliceDims(q, from, size);
  tf.dispose([q.mu, q.logvar]);
  return {
    f: (xt) =>
      tf.tidy(() => {
        const q = sliceDims(svae.encode(xt), from, size);
        return klDiag(ref, q);
      }),
    dispose: () => tf.dispose([ref.mu, ref.logvar]),
  };
}

/** Attributions of d(x, x~) w.r.t. x~ for block k with the named method: [N, S, S, 1]. */
export function attributeDivergence(svae: Pick<Svae, 'encode' | 'z1' | 'z2'>, x: tf.Tensor4D, xt: tf.Tensor4D, k: 1 | 2, method: AttributionMethod, settings: Partial<AttributionSettings> = {}): tf.Tensor4D {
  const d = divergenceFn(svae, x, k);
  try {
    return attributionMethod(method)(d.f, xt, { ...DEFAULT_ATTRIBUTION, ...settings });
  } finally {
    d.dispose();
  }
}

/** The share of a map's |attribution| (side x side, row-major) inside a box (x, y, side in pixels). */
export function boxShare(map: ArrayLike<number>, side: number, box: { x: number; y: number; side: number }): number {
  let inside = 0;
  let total = 0;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const a = Math.abs(map[r * side + c]);
      total += a;
      if (r >= box.y && r < box.y + box.side && c >= box.x && c < box.x + box.side) inside += a;
    }
  }
  return total > 0 ? inside / total : 0;
}
