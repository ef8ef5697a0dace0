// Gradient saliency (Simonyan et al. 2014): |d P(target) / d x|, one backward pass per batch.
import * as tf from '@tensorflow/tfjs';
import { GradientSettingsSchema } from '../../../api/schemas/saliency';
import { AttributionMethod } from './base';
import { readMaps, targetGradient } from './common';
import type { AttributionInput, AttributionOutput } from './types';

export class Gradient extends AttributionMethod<typeof GradientSettingsSchema> {
  constructor() {
    super('gradient', 'Gradient', GradientSettingsSchema);
  }
  protected async compute({ model, x, targets }: AttributionInput, s: { absolute: boolean }): Promise<AttributionOutput> {
    const g = targetGradient(model, x, targets);
    const maps = await readMaps(s.absolute ? tf.tidy(() => g.abs()) : g.clone());
    g.dispose();
    return { maps, diagnostics: maps.map(() => ({})) };
  }
}
