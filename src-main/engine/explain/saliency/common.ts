// Small tensor helpers shared by the methods: per-image target scores and their gradients,
// reading maps back, Gaussian smoothing, batching rows.
import * as tf from '@tensorflow/tfjs';
import type { AuditedModel } from '../../models/audited-model';

/** One-hot rows [N, classes] selecting each image's target class. */
export function targetMask(targets: number[], classes: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(targets, 'int32'), classes).toFloat() as tf.Tensor2D);
}

/** P(target_i | row i) as [N], differentiable. */
export function targetProbability(probs: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.mul(probs, mask), 1) as tf.Tensor1D;
}

/** d P(target_i) / d x_i for every row (rows are independent in inference mode). */
export function targetGradient(model: AuditedModel, x: tf.Tensor4D, targets: number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const mask = targetMask(targets, model.classNames.length);
    return tf.grad((xx: tf.Tensor) => targetProbability(model.predict(xx as tf.Tensor4D), mask).sum())(x) as tf.Tensor4D;
  });
}

/** P(target_i) per row, read back. */
export async function targetProbabilities(model: AuditedModel, x: tf.Tensor4D, targets: number[]): Promise<Float32Array> {
  const p = tf.tidy(() => targetProbability(model.predict(x), targetMask(targets, model.classNames.length)));
  const out = (await p.data()) as Float32Array;
  p.dispose();
  return out;
}

/** A [N, S, S, 1] (or [N, S, S]) tensor -> one Float32Array per image; disposes the tensor. */
export async function readMaps(t: tf.Tensor): Promise<Float32Array[]> {
  const n = t.shape[0];
  const data = (await t.data()) as Float32Array;
  t.dispose();
  const px = data.length / n;
  return Array.from({ length: n }, (_, i) => data.slice(i * px, (i + 1) * px));
}

/** Each index of `targets` repeated `k` times (rows image-major). */
export function repeatEach<T>(values: T[], k: number): T[] {
  return values.flatMap((v) => Array<T>(k).fill(v));
}

/** [start, end) ranges of at most `size` covering 0..n. */
export function ranges(n: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += size) out.push([s, Math.min(n, s + size)]);
  return out;
}

/** IBA's smoothing kernel: size round(2 sigma) * 2 + 1 (about 2.5 sd each way), normalised. */
export function gaussianKernel1d(sigma: number, size = Math.round(2 * sigma) * 2 + 1): Float32Array {
  const k = new Float32Array(size);
  const c = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) sum += k[i] = Math.exp(-((i - c) ** 2) / (2 * sigma * sigma));
  return k.map((v) => v / sum);
}

/**
 * Per-channel 2-D Gaussian smoothing of [N, H, W, C] with reflection padding (as the IBA
 * authors' _SpatialGaussianKernel); differentiable. sigma <= 0 returns the input.
 */
export function gaussianSmooth(x: tf.Tensor4D, sigma: number): tf.Tensor4D {
  if (!(sigma > 0)) return x.clone();
  const [, h, w, c] = x.shape;
  // Reflection needs pad < side: tiny feature maps get a shorter kernel.
  const pad = Math.min(Math.round(2 * sigma), h - 1, w - 1);
  if (pad <= 0) return x.clone();
  const k1 = gaussianKernel1d(sigma, 2 * pad + 1);
  return tf.tidy(() => {
    const padded = tf.mirrorPad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]], 'reflect');
    const kv = tf.tensor4d(k1, [k1.length, 1, 1, 1]).tile([1, 1, c, 1]) as tf.Tensor4D;
    const kh = tf.tensor4d(k1, [1, k1.length, 1, 1]).tile([1, 1, c, 1]) as tf.Tensor4D;
    // Separable: vertical then horizontal pass (the 2-D Gaussian factorises).
    return tf.depthwiseConv2d(tf.depthwiseConv2d(padded, kv, 1, 'valid'), kh, 1, 'valid');
  });
}
