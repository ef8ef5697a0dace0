// Model randomisation for the sanity check (Adebayo et al. 2018): a copy of a LayersModel whose
// weighted layers, from the top (output side) down to a given depth, get random weights with the
// sd of the trained ones (so activations keep their scale) and the original shape.
import * as tf from '@tensorflow/tfjs';
import { makeRng, subSeed } from '../../data/synthetic/rng';
import { EngineError } from '../../jobs/errors';
import { LayersAuditedModel, type AuditedModel } from '../../models/audited-model';

/** Weighted layers, output side first (the order of the cascade). */
export function weightedLayersTopDown(model: AuditedModel): string[] {
  if (!(model instanceof LayersAuditedModel)) throw new EngineError('bad_input', 'the randomisation sanity check needs a LayersModel (named layers with weights)');
  return model.model.layers.filter((l) => l.getWeights().length > 0).map((l) => l.name).reverse();
}

/** A copy of the model with the named layers' weights randomised (seeded); caller disposes it. */
export async function randomisedCopy(model: AuditedModel, layers: string[], seed: number): Promise<AuditedModel> {
  if (!(model instanceof LayersAuditedModel)) throw new EngineError('bad_input', 'the randomisation sanity check needs a LayersModel');
  const topology = model.model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'];
  const copy = await tf.models.modelFromJSON({ modelTopology: topology } as tf.io.ModelJSON);
  // Copy the trained weights (tensors are immutable, so the copy may share their buffers).
  copy.setWeights(model.model.getWeights());
  const chosen = new Set(layers);
  copy.layers.forEach((layer, li) => {
    if (!chosen.has(layer.name)) return;
    const rng = makeRng(subSeed(seed, li));
    const fresh = layer.getWeights().map((w) => {
      const values = w.dataSync() as Float32Array;
      let mean = 0;
      for (const v of values) mean += v / values.length;
      let sd = 0;
      for (const v of values) sd += (v - mean) ** 2 / values.length;
      sd = Math.sqrt(sd);
      // Box-Muller normals from the seeded generator.
      const out = new Float32Array(values.length);
      for (let i = 0; i < out.length; i++) out[i] = sd * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
      return tf.tensor(out, w.shape);
    });
    layer.setWeights(fresh);
    tf.dispose(fresh);
  });
  return new LayersAuditedModel(copy, model.sidecar, null);
}
