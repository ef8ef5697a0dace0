// SmoothGrad (Smilkov et al. 2017) as a wrapper around another method (captum's NoiseTunnel):
// the base method's maps averaged over noisy copies of the image. Noisy copies of several
// images go through the base method together, in batches.
import * as tf from '@tensorflow/tfjs';
import { SmoothGradSettingsSchema, type SaliencyMethodId } from '../../../api/schemas/saliency';
import { EngineError } from '../../jobs/errors';
import { AttributionMethod } from './base';
import { ranges } from './common';
import type { Attribution, AttributionInput, AttributionOutput, ExplainHooks } from './types';

type Settings = ReturnType<typeof SmoothGradSettingsSchema.parse>;

/** Rows (noisy copies) per call of the base method. */
const ROWS_PER_CALL = 100;

export class SmoothGrad extends AttributionMethod<typeof SmoothGradSettingsSchema> {
  /** `resolve` finds the base method by id (the registry), so any registered method can be wrapped. */
  constructor(private readonly resolve: (id: SaliencyMethodId) => Attribution) {
    super('smoothgrad', 'SmoothGrad', SmoothGradSettingsSchema, { stochastic: true });
  }

  protected async compute(input: AttributionInput, s: Settings, hooks: ExplainHooks): Promise<AttributionOutput> {
    const base = this.resolve(s.base);
    if (base.id === this.id) throw new EngineError('invalid_request', 'SmoothGrad cannot wrap itself');
    const { x, targets } = input;
    const n = x.shape[0];
    const px = x.shape[1] * x.shape[2];
    const sums = Array.from({ length: n }, () => new Float64Array(px));
    const total = n * s.samples;
    // Rows are image-major: row r is noisy copy (r % samples) of image floor(r / samples).
    let done = 0;
    for (const [a, b] of ranges(total, Math.max(s.samples, Math.floor(ROWS_PER_CALL / s.samples) * s.samples))) {
      await hooks.checkpoint?.();
      const rows = Array.from({ length: b - a }, (_, j) => Math.floor((a + j) / s.samples));
      const noisy = tf.tidy(() => {
        const src = tf.gather(x, tf.tensor1d(rows, 'int32')) as tf.Tensor4D;
        // One seed per chunk, derived from the settings' seed (tfjs treats seed 0 as unseeded).
        return src.add(tf.randomNormal(src.shape, 0, s.noise, 'float32', s.seed * 100_003 + a + 1)) as tf.Tensor4D;
      });
      const out = await base.attribute({ ...input, x: noisy, targets: rows.map((i) => targets[i]) });
      noisy.dispose();
      out.maps.forEach((m, j) => {
        const acc = sums[rows[j]];
        for (let p = 0; p < px; p++) acc[p] += m[p];
      });
      done += b - a;
      hooks.progress?.(done / total, 'noisy copies');
    }
    return { maps: sums.map((acc) => Float32Array.from(acc, (v) => v / s.samples)), diagnostics: sums.map(() => ({ samples: s.samples })) };
  }
}
