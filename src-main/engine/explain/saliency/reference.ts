// Reference images and the statistics the bottleneck methods estimate on them: per-unit mean,
// sd and activity of a layer's output (IBA's Welford estimator, batched), and the grey-level
// mean and sd of the images (InputIBA's input noise). Statistics are cached on the reference
// per model and layer; disposeReference frees them with the images.
import * as tf from '@tensorflow/tfjs';
import type { AuditedModel } from '../../models/audited-model';
import { ranges } from './common';
import type { ReferenceImages } from './types';

export interface FeatureStats {
  /** [1, ...unit shape] tensors, owned by the reference's cache. */
  mean: tf.Tensor;
  std: tf.Tensor;
  /** Fraction of reference images in which each unit is non-zero. */
  activeFraction: tf.Tensor;
  samples: number;
}

export interface InputStats {
  mean: number;
  std: number;
}

export function makeReference(images: tf.Tensor4D): ReferenceImages {
  return { images, cache: new Map() };
}

export function disposeReference(ref: ReferenceImages): void {
  for (const v of ref.cache.values()) {
    const s = v as Partial<FeatureStats>;
    if (s.mean instanceof tf.Tensor) tf.dispose([s.mean, s.std!, s.activeFraction!]);
  }
  ref.cache.clear();
  ref.images.dispose();
}

const modelIds = new WeakMap<AuditedModel, number>();
let nextModelId = 1;
function modelKey(model: AuditedModel): string {
  if (model.hash) return model.hash;
  if (!modelIds.has(model)) modelIds.set(model, nextModelId++);
  return `unsaved-${modelIds.get(model)}`;
}

/** Per-unit statistics of `layer`'s output over the reference images (cached). */
export async function featureStats(model: AuditedModel, ref: ReferenceImages, layer: string, batchSize = 128): Promise<FeatureStats> {
  const key = `features:${modelKey(model)}:${layer}`;
  const hit = ref.cache.get(key) as FeatureStats | undefined;
  if (hit) return hit;
  const n = ref.images.shape[0];
  let sum: Float64Array | null = null;
  let sq: Float64Array | null = null;
  let nz: Float64Array | null = null;
  let unitShape: number[] = [];
  for (const [a, b] of ranges(n, batchSize)) {
    const parts = tf.tidy(() => {
      const act = model.activations(ref.images.slice([a, 0, 0, 0], [b - a, -1, -1, -1]), layer);
      unitShape = act.shape.slice(1);
      return [act.sum(0), act.square().sum(0), act.notEqual(0).toFloat().sum(0)];
    });
    const [s1, s2, s3] = await Promise.all(parts.map((t) => t.data()));
    tf.dispose(parts);
    sum ??= new Float64Array(s1.length);
    sq ??= new Float64Array(s1.length);
    nz ??= new Float64Array(s1.length);
    for (let i = 0; i < s1.length; i++) {
      sum[i] += s1[i];
      sq[i] += s2[i];
      nz[i] += s3[i];
    }
  }
  const mean = Float32Array.from(sum!, (v) => v / n);
  // Unbiased variance from the sums (float64 keeps the cancellation harmless at these sizes).
  const std = Float32Array.from(sq!, (v, i) => Math.sqrt(Math.max(0, (v - n * mean[i] * mean[i]) / Math.max(1, n - 1))));
  const shape = [1, ...unitShape];
  const stats: FeatureStats = {
    mean: tf.tensor(mean, shape),
    std: tf.tensor(std, shape),
    activeFraction: tf.tensor(Float32Array.from(nz!, (v) => v / n), shape),
    samples: n,
  };
  ref.cache.set(key, stats);
  return stats;
}

/** Grey-level mean and sd of the reference images (the input noise of InputIBA). */
export async function inputStats(ref: ReferenceImages): Promise<InputStats> {
  const key = 'input';
  const hit = ref.cache.get(key) as InputStats | undefined;
  if (hit) return hit;
  const m = tf.moments(ref.images);
  const [mean, variance] = await Promise.all([m.mean.data(), m.variance.data()]);
  tf.dispose([m.mean, m.variance]);
  const stats = { mean: mean[0], std: Math.sqrt(variance[0]) };
  ref.cache.set(key, stats);
  return stats;
}
