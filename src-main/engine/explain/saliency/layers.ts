// Default layers for the layer-based methods when the settings name none: Grad-CAM's is the last
// convolutional output (`features` in the project's CNN family); the bottlenecks' is the block
// output nearest to half the input resolution (`stage1_block0` at 28 px), the mid-level depth
// the IBA authors chose (VGG16 conv4_1, ResNet-50 conv2_3). Shapes are probed with one image.
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../../jobs/errors';
import type { AuditedModel } from '../../models/audited-model';

const BLOCK = /^(stage\d+_block\d+|features)$/;

const shapes = new WeakMap<AuditedModel, Map<string, number[]>>();

/** Spatial side of each candidate layer's output (4-D outputs only), in topological order. */
function spatialLayers(model: AuditedModel, names: string[]): { name: string; side: number }[] {
  if (!shapes.has(model)) shapes.set(model, new Map());
  const known = shapes.get(model)!;
  const missing = names.filter((n) => !known.has(n));
  if (missing.length) {
    const probe = tf.zeros([1, model.inputSize, model.inputSize, 1]) as tf.Tensor4D;
    try {
      for (const name of missing) {
        const a = model.activations(probe, name);
        known.set(name, a.shape);
        a.dispose();
      }
    } finally {
      probe.dispose();
    }
  }
  return names.flatMap((name) => {
    const shape = known.get(name)!;
    return shape.length === 4 ? [{ name, side: shape[1] }] : [];
  });
}

export function gradCamLayer(model: AuditedModel, requested: string | null): string {
  if (requested) return requested;
  const names = model.layerNames();
  if (names.includes('features')) return 'features';
  const conv = spatialLayers(model, names);
  if (!conv.length) throw new EngineError('bad_input', 'Grad-CAM needs a layer with [N, H, W, C] output; the model has none');
  return conv[conv.length - 1].name;
}

export function bottleneckLayer(model: AuditedModel, requested: string | null): string {
  if (requested) return requested;
  const names = model.layerNames();
  let candidates = spatialLayers(model, names.filter((n) => BLOCK.test(n)));
  if (!candidates.length) candidates = spatialLayers(model, names);
  if (!candidates.length) throw new EngineError('bad_input', 'IBA needs a layer with [N, H, W, C] output; the model has none');
  const half = model.inputSize / 2;
  // Nearest to half the input side; among equals the deepest (the last in topological order).
  return candidates.reduce((best, c) => (Math.abs(c.side - half) <= Math.abs(best.side - half) ? c : best)).name;
}
