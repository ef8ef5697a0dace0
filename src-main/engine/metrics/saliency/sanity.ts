// Model-randomisation sanity check (Adebayo et al. 2018, cited by seed 004): re-run the method
// on copies of the model whose weights are randomised layer by layer from the top; a method
// that explains the model must give different maps, i.e. a low rank correlation with the
// original maps. 'top' randomises only the last weighted layer (the headline value); 'cascade'
// every step down to the first layer; 'top-and-all' the first and the last step of the cascade.
import * as tf from '@tensorflow/tfjs';
import { SanitySettingsSchema } from '../../../api/schemas/saliency';
import type { ExplainHooks, ReferenceImages } from '../../explain/saliency/types';
import { SaliencyMetricBase } from './base';
import { randomisedCopy, weightedLayersTopDown } from './randomise';
import { spearman } from './ranking';
import type { MetricResult, SaliencyMetricInput } from './types';

type Settings = ReturnType<typeof SanitySettingsSchema.parse>;

/** A reference sharing the images but with its own statistics cache (randomised models' stats are freed after). */
function scratchReference(ref: ReferenceImages | undefined): ReferenceImages | undefined {
  return ref ? { images: ref.images, cache: new Map() } : undefined;
}

function freeCache(ref: ReferenceImages | undefined): void {
  for (const v of ref?.cache.values() ?? []) {
    const s = v as Record<string, unknown>;
    tf.dispose(Object.values(s).filter((t): t is tf.Tensor => t instanceof tf.Tensor));
  }
  ref?.cache.clear();
}

export class Sanity extends SaliencyMetricBase<typeof SanitySettingsSchema> {
  constructor() {
    super('sanity', 'Randomisation sanity check (rank correlation)', false, SanitySettingsSchema, false, true);
  }

  protected async compute(input: SaliencyMetricInput, s: Settings, hooks: ExplainHooks): Promise<MetricResult[]> {
    const { model, x, targets, maps, method } = input;
    const order = weightedLayersTopDown(model);
    const depths = s.mode === 'top' ? [1] : s.mode === 'cascade' ? order.map((_, i) => i + 1) : [...new Set([1, order.length])];
    const corr: number[][] = maps.map(() => []);
    const prep = (m: ArrayLike<number>): ArrayLike<number> => (s.absolute ? Float32Array.from(m, Math.abs) : m);
    for (const [di, depth] of depths.entries()) {
      await hooks.checkpoint?.();
      const copy = await randomisedCopy(model, order.slice(0, depth), s.seed);
      const ref = scratchReference(input.reference);
      try {
        const out = await method!.attribute({ model: copy, x, targets, reference: ref }, input.methodSettings as never);
        out.maps.forEach((m, i) => corr[i].push(spearman(prep(maps[i]), prep(m))));
      } finally {
        freeCache(ref);
        copy.dispose();
      }
      hooks.progress?.((di + 1) / depths.length);
    }
    return corr.map((c) => ({ value: c[0], details: { layers: depths.map((d) => order[d - 1]), depths, correlations: c } }));
  }
}
