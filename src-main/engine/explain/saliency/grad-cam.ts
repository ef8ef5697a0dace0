// Grad-CAM (Selvaraju et al. 2017): channel weights = spatial mean of d score / d A at a conv
// layer (default: the last conv block), map = ReLU(sum_k w_k A_k), upsampled bilinearly to the image. The score is the model's
// output P(target) (as captum does for a softmax model); for two classes this differs from the
// paper's logit only by a positive factor per image, which the ReLU and any normalisation ignore.
import * as tf from '@tensorflow/tfjs';
import { GradCamSettingsSchema } from '../../../api/schemas/saliency';
import { EngineError } from '../../jobs/errors';
import { AttributionMethod } from './base';
import { readMaps, targetMask, targetProbability } from './common';
import { gradCamLayer } from './layers';
import type { AttributionInput, AttributionOutput } from './types';

export class GradCam extends AttributionMethod<typeof GradCamSettingsSchema> {
  constructor() {
    super('grad-cam', 'Grad-CAM', GradCamSettingsSchema, { needsLayers: true });
  }

  protected async compute({ model, x, targets }: AttributionInput, settings: { layer: string | null }): Promise<AttributionOutput> {
    const s = { layer: gradCamLayer(model, settings.layer) };
    const act = model.activations(x, s.layer);
    if (act.rank !== 4) {
      act.dispose();
      throw new EngineError('invalid_request', `Grad-CAM needs a convolutional layer with [N, H, W, C] output; "${s.layer}" gives [${act.shape.join(', ')}]`);
    }
    const size = model.inputSize;
    const cam = tf.tidy(() => {
      const mask = targetMask(targets, model.classNames.length);
      const g = tf.grad((a: tf.Tensor) => targetProbability(model.head(a, s.layer), mask).sum())(act) as tf.Tensor4D;
      const w = g.mean([1, 2], true);
      const map = tf.relu(act.mul(w).sum(3, true)) as tf.Tensor4D;
      return tf.image.resizeBilinear(map, [size, size], false, true);
    });
    act.dispose();
    const maps = await readMaps(cam);
    return { maps, diagnostics: maps.map(() => ({})) };
  }
}
