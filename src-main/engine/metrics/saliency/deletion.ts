// Deletion (seed 002 D.3): the most relevant pixels first are set to black; the AUC of
// P(target) over the fraction deleted (lower is better: a faithful map destroys the evidence
// fast). Note that a black image need not score low: the curve need not be monotone.
import { DeletionSettingsSchema } from '../../../api/schemas/saliency';
import type { ExplainHooks } from '../../explain/saliency/types';
import { SaliencyMetricBase } from './base';
import { imageRows, perturbationCurves, scaledStep } from './perturbation-curve';
import type { MetricResult, SaliencyMetricInput } from './types';

type Settings = ReturnType<typeof DeletionSettingsSchema.parse>;

export class Deletion extends SaliencyMetricBase<typeof DeletionSettingsSchema> {
  constructor() {
    super('deletion', 'Deletion AUC', false, DeletionSettingsSchema);
  }
  protected async compute({ model, x, targets, maps }: SaliencyMetricInput, s: Settings, hooks: ExplainHooks): Promise<MetricResult[]> {
    const images = await imageRows(x);
    const black = new Float32Array(images[0]?.length ?? 0);
    const curves = await perturbationCurves(
      model,
      images.map((img, i) => ({ from: img, to: black, map: maps[i], target: targets[i] })),
      s.stepPixels ?? scaledStep(model.inputSize),
      s.internalBatchSize,
      hooks,
    );
    return curves.map((c) => ({ value: c.auc, details: { fractions: c.fractions, scores: c.scores } }));
  }
}
