// Occlusion (Zeiler & Fergus 2014): slide a black square over the image; a pixel's attribution
// is the mean drop of P(target) over the windows that cover it (as captum averages). Every
// window of every image is one row of a batched forward pass.
import * as tf from '@tensorflow/tfjs';
import { OcclusionSettingsSchema } from '../../../api/schemas/saliency';
import { EngineError } from '../../jobs/errors';
import type { AuditedModel } from '../../models/audited-model';
import { AttributionMethod } from './base';
import { ranges, targetMask, targetProbability } from './common';
import type { AttributionInput, AttributionOutput, ExplainHooks } from './types';

type Settings = ReturnType<typeof OcclusionSettingsSchema.parse>;

/** Window origins along one side: every `stride`, plus the last one flush with the edge. */
export function windowOrigins(size: number, window: number, stride: number): number[] {
  const out: number[] = [];
  for (let o = 0; o + window <= size; o += stride) out.push(o);
  if (out[out.length - 1] !== size - window) out.push(size - window);
  return out;
}

export class Occlusion extends AttributionMethod<typeof OcclusionSettingsSchema> {
  constructor() {
    super('occlusion', 'Occlusion', OcclusionSettingsSchema, { signed: true });
  }

  protected async compute({ model, x, targets }: AttributionInput, s: Settings, hooks: ExplainHooks): Promise<AttributionOutput> {
    const size = model.inputSize;
    const win = s.window ?? Math.max(1, Math.round(size / 7));
    const stride = s.stride ?? Math.max(1, Math.floor(win / 2));
    if (win > size) throw new EngineError('invalid_request', `occlusion window ${win} is larger than the image (${size} px)`);
    const origins = windowOrigins(size, win, stride);
    const windows = origins.flatMap((y) => origins.map((xx) => [y, xx] as const));
    const n = x.shape[0];
    const px = size * size;
    const maskFor = (y: number, xx: number): Float32Array => {
      const m = new Float32Array(px).fill(1);
      for (let r = y; r < y + win; r++) m.fill(0, r * size + xx, r * size + xx + win);
      return m;
    };
    const windowMasks = windows.map(([y, xx]) => maskFor(y, xx));
    const onehot = targetMask(targets, model.classNames.length);
    const full = tf.tidy(() => targetProbability(model.predict(x), onehot));
    const p0 = (await full.data()) as Float32Array;
    full.dispose();
    const sums = Array.from({ length: n }, () => new Float64Array(px));
    const counts = new Float64Array(px);
    for (const m of windowMasks) for (let p = 0; p < px; p++) counts[p] += 1 - m[p];
    try {
      await this.occlude(model, x, onehot, p0, windowMasks, sums, s, size, hooks);
    } finally {
      onehot.dispose();
    }
    const maps = sums.map((acc) => Float32Array.from(acc, (v, q) => (counts[q] > 0 ? v / counts[q] : 0)));
    return { maps, diagnostics: maps.map(() => ({ window: win, stride })) };
  }

  /** Adds each window's drop of P(target) onto the pixels it covers. */
  private async occlude(model: AuditedModel, x: tf.Tensor4D, onehot: tf.Tensor2D, p0: Float32Array, windowMasks: Float32Array[], sums: Float64Array[], s: Settings, size: number, hooks: ExplainHooks): Promise<void> {
    const px = size * size;
    const windows = windowMasks;
    const total = x.shape[0] * windows.length;
    for (const [a, b] of ranges(total, s.internalBatchSize)) {
      await hooks.checkpoint?.();
      const img = Array.from({ length: b - a }, (_, j) => Math.floor((a + j) / windows.length));
      const win_ = Array.from({ length: b - a }, (_, j) => (a + j) % windows.length);
      const masks = new Float32Array((b - a) * px);
      win_.forEach((w, j) => masks.set(windows[w], j * px));
      const probs = tf.tidy(() => {
        const idx = tf.tensor1d(img, 'int32');
        const keep = tf.tensor4d(masks, [b - a, size, size, 1]);
        // occluded = x where kept, baseline inside the window
        const rows = tf.gather(x, idx).mul(keep).add(tf.sub(1, keep).mul(s.baseline)) as tf.Tensor4D;
        return targetProbability(model.predict(rows), tf.gather(onehot, idx) as tf.Tensor2D);
      });
      const p = (await probs.data()) as Float32Array;
      probs.dispose();
      for (let j = 0; j < b - a; j++) {
        const drop = p0[img[j]] - p[j];
        const m = windows[win_[j]];
        const acc = sums[img[j]];
        for (let q = 0; q < px; q++) if (m[q] === 0) acc[q] += drop;
      }
      hooks.progress?.(b / total, 'occluding');
    }
  }
}
