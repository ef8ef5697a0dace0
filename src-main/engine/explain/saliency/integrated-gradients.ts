// Integrated Gradients (Sundararajan et al. 2017): (x - x') times the path integral of the
// gradient from the baseline x' to x, here by the trapezoid rule over `steps` intervals
// (METHODS.md 3). Completeness says the map sums to P(x) - P(x'); the gap is reported per image
// as completenessDelta (and relative to |P(x) - P(x')|). All steps of all images are batched.
import * as tf from '@tensorflow/tfjs';
import { IntegratedGradientsSettingsSchema } from '../../../api/schemas/saliency';
import { AttributionMethod } from './base';
import { ranges, readMaps, targetGradient, targetProbabilities } from './common';
import type { AttributionInput, AttributionOutput, ExplainHooks } from './types';

type Settings = ReturnType<typeof IntegratedGradientsSettingsSchema.parse>;

export class IntegratedGradients extends AttributionMethod<typeof IntegratedGradientsSettingsSchema> {
  constructor() {
    super('integrated-gradients', 'Integrated Gradients', IntegratedGradientsSettingsSchema, { signed: true, hasConvergenceDelta: true });
  }

  protected async compute({ model, x, targets }: AttributionInput, s: Settings, hooks: ExplainHooks): Promise<AttributionOutput> {
    const n = x.shape[0];
    const m = s.steps;
    const points = m + 1;
    const baseline = tf.fill(x.shape, s.baseline) as tf.Tensor4D;
    const diff = x.sub(baseline) as tf.Tensor4D;
    // Trapezoid weights: 1/(2m) at both ends, 1/m inside.
    const weight = (k: number): number => (k === 0 || k === m ? 0.5 : 1) / m;
    let acc = tf.zerosLike(x) as tf.Tensor4D;
    // Rows are (image, step) pairs, image-major.
    const total = n * points;
    try {
      for (const [a, b] of ranges(total, s.internalBatchSize)) {
        await hooks.checkpoint?.();
        const img = Array.from({ length: b - a }, (_, j) => Math.floor((a + j) / points));
        const step = Array.from({ length: b - a }, (_, j) => (a + j) % points);
        const next = tf.tidy(() => {
          const idx = tf.tensor1d(img, 'int32');
          const alpha = tf.tensor4d(step.map((k) => k / m), [b - a, 1, 1, 1]);
          const rows = tf.gather(baseline, idx).add(tf.gather(diff, idx).mul(alpha)) as tf.Tensor4D;
          const g = targetGradient(model, rows, img.map((i) => targets[i]));
          const weighted = g.mul(tf.tensor4d(step.map(weight), [b - a, 1, 1, 1]));
          // Sum the weighted gradients back onto their images.
          return acc.add(tf.unsortedSegmentSum(weighted, idx, n)) as tf.Tensor4D;
        });
        acc.dispose();
        acc = next;
        hooks.progress?.(b / total, 'integrating');
      }
    } catch (e) {
      tf.dispose([acc, baseline, diff]);
      throw e;
    }
    const attr = tf.tidy(() => acc.mul(diff)) as tf.Tensor4D;
    acc.dispose();
    const sums = tf.tidy(() => attr.sum([1, 2, 3]));
    const [fx, fb] = [await targetProbabilities(model, x, targets), await targetProbabilities(model, baseline, targets)];
    const attrSums = (await sums.data()) as Float32Array;
    sums.dispose();
    tf.dispose([baseline, diff]);
    const maps = await readMaps(attr);
    const diagnostics = maps.map((_, i) => {
      const gap = fx[i] - fb[i];
      const delta = attrSums[i] - gap;
      return { completenessDelta: delta, relativeDelta: Math.abs(gap) > 1e-12 ? Math.abs(delta) / Math.abs(gap) : Number.NaN, outputGap: gap };
    });
    return { maps, diagnostics };
  }
}
