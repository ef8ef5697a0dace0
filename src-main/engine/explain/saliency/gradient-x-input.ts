// Gradient x input (Shrikumar et al. 2016): the first-order Taylor term of P(target) around a
// black image; signed.
import * as tf from '@tensorflow/tfjs';
import { GradientXInputSettingsSchema } from '../../../api/schemas/saliency';
import { AttributionMethod } from './base';
import { readMaps, targetGradient } from './common';
import type { AttributionInput, AttributionOutput } from './types';

export class GradientXInput extends AttributionMethod<typeof GradientXInputSettingsSchema> {
  constructor() {
    super('gradient-x-input', 'Gradient x input', GradientXInputSettingsSchema, { signed: true });
  }
  protected async compute({ model, x, targets }: AttributionInput): Promise<AttributionOutput> {
    const g = targetGradient(model, x, targets);
    const maps = await readMaps(tf.tidy(() => g.mul(x)));
    g.dispose();
    return { maps, diagnostics: maps.map(() => ({})) };
  }
}
