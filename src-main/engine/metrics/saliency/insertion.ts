// Insertion (seed 002 D.3): starting from a Gaussian-blurred copy (not a black canvas, which is
// itself adversarial), the most relevant pixels first get their original values back; the AUC
// of P(target) over the fraction inserted (higher is better).
import { InsertionSettingsSchema } from '../../../api/schemas/saliency';
import type { ExplainHooks } from '../../explain/saliency/types';
import { SaliencyMetricBase } from './base';
import { gaussianBlur, scaledBlur } from './blur';
import { imageRows, perturbationCurves, scaledStep } from './perturbation-curve';
import type { MetricResult, SaliencyMetricInput } from './types';

type Settings = ReturnType<typeof InsertionSettingsSchema.parse>;

export class Insertion extends SaliencyMetricBase<typeof InsertionSettingsSchema> {
  constructor() {
    super('insertion', 'Insertion AUC', true, InsertionSettingsSchema);
  }
  protected async compute({ model, x, targets, maps }: SaliencyMetricInput, s: Settings, hooks: ExplainHooks): Promise<MetricResult[]> {
    const size = model.inputSize;
    const scaled = scaledBlur(size);
    const kernel = s.blurKernel ?? scaled.kernel;
    const sigma = s.blurSigma ?? scaled.sigma;
    const images = await imageRows(x);
    const curves = await perturbationCurves(
      model,
      images.map((img, i) => ({ from: gaussianBlur(img, size, kernel, sigma), to: img, map: maps[i], target: targets[i] })),
      s.stepPixels ?? scaledStep(size),
      s.internalBatchSize,
      hooks,
    );
    return curves.map((c) => ({ value: c.auc, details: { fractions: c.fractions, scores: c.scores, blurKernel: kernel, blurSigma: sigma } }));
  }
}
