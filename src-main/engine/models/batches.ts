// ImageSet rows -> float batches. Augmentation runs in plain JS on the uint8 pixels: it is cheap
// at these sizes, exactly reproducible from a seed, and needs no image kernels from the backend.
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../data/image-set';
import type { Rng } from '../data/synthetic/rng';
import type { AuditedModel } from './audited-model';

export { AugmentSchema, type Augment } from '../../api/schemas/training';
import type { Augment } from '../../api/schemas/training';

/** Writes image `i` of the set as 0..1 floats into `out` at `offset`, augmented when asked. */
function fillImage(set: ImageSet, i: number, out: Float32Array, offset: number, aug: Augment | null, rng: Rng | null): void {
  const s = set.size;
  const src = set.images.subarray(i * s * s, (i + 1) * s * s);
  if (!aug || !rng) {
    for (let p = 0; p < s * s; p++) out[offset + p] = src[p] / 255;
    return;
  }
  const m = Math.round(aug.shift * s);
  const dx = m ? Math.floor(rng() * (2 * m + 1)) - m : 0;
  const dy = m ? Math.floor(rng() * (2 * m + 1)) - m : 0;
  const flip = aug.flip && rng() < 0.5;
  const gain = 1 + (2 * rng() - 1) * aug.contrast;
  const bias = (2 * rng() - 1) * aug.brightness;
  for (let y = 0; y < s; y++) {
    const sy = Math.min(s - 1, Math.max(0, y - dy));
    for (let x = 0; x < s; x++) {
      const sx0 = Math.min(s - 1, Math.max(0, x - dx));
      const sx = flip ? s - 1 - sx0 : sx0;
      const v = (src[sy * s + sx] / 255) * gain + bias;
      out[offset + y * s + x] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
}

/**
 * Grey 0..1 batch [N, size, size, 1] of the given rows, resized to `size` when the set's images
 * differ (bilinear). `aug` with `rng` augments each image.
 */
export function imageBatch(set: ImageSet, indices: ArrayLike<number>, size = set.size, aug: Augment | null = null, rng: Rng | null = null): tf.Tensor4D {
  const px = set.size * set.size;
  const data = new Float32Array(indices.length * px);
  for (let j = 0; j < indices.length; j++) fillImage(set, indices[j], data, j * px, aug, rng);
  const x = tf.tensor4d(data, [indices.length, set.size, set.size, 1]);
  if (size === set.size) return x;
  const r = tf.image.resizeBilinear(x, [size, size], true) as tf.Tensor4D;
  x.dispose();
  return r;
}

/** Class probabilities of every listed row, [N * classes] row-major, in batches. */
export async function predictRows(model: AuditedModel, set: ImageSet, indices: ArrayLike<number>, batchSize = 256): Promise<Float32Array> {
  const k = model.classNames.length;
  const out = new Float32Array(indices.length * k);
  for (let b = 0; b < indices.length; b += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, indices.length - b) }, (_, j) => indices[b + j]);
    const x = imageBatch(set, rows, model.inputSize);
    const p = model.predict(x);
    // Read outside tidy (on wasm a dataSync inside tidy is slow), then free both.
    out.set(await p.data(), b * k);
    tf.dispose([x, p]);
  }
  return out;
}

/** P(positive class) for every listed row. */
export async function predictPositive(model: AuditedModel, set: ImageSet, indices: ArrayLike<number>, batchSize = 256): Promise<Float32Array> {
  const k = model.classNames.length;
  const all = await predictRows(model, set, indices, batchSize);
  return Float32Array.from({ length: indices.length }, (_, i) => all[i * k + model.positiveClass]);
}
