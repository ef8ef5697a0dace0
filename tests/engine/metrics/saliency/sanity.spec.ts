// The randomisation sanity check: copies randomise exactly the named layers and leave the model
// alone; gradient maps of a model whose top layers are random no longer match the original.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { saliencyMethods } from '../../../../src-main/engine/explain/saliency';
import { randomisedCopy, saliencyMetrics, weightedLayersTopDown } from '../../../../src-main/engine/metrics/saliency';
import { imageBatch, loadAuditedModel, LayersAuditedModel } from '../../../../src-main/engine/models';
import { modelsDir } from '../../../../src-main/engine/resources';
import { demoSet, setupBackend } from '../../models/helpers';

beforeAll(setupBackend);

describe('randomisation sanity check', () => {
  it('randomises only the named layers, top first, and leaves the original model unchanged', async () => {
    const model = await loadAuditedModel(path.join(modelsDir(), 'pneumonia-demo'));
    const order = weightedLayersTopDown(model);
    expect(order[0]).toBe('logits');
    expect(order.at(-1)).toBe('stem_conv');
    const weightsOf = (m: LayersAuditedModel, name: string) => m.model.getLayer(name).getWeights()[0].dataSync().slice(0, 50);
    const orig = model as LayersAuditedModel;
    const before = { logits: weightsOf(orig, 'logits'), stem: weightsOf(orig, 'stem_conv') };
    const copy = (await randomisedCopy(model, ['logits'], 1)) as LayersAuditedModel;
    expect(Array.from(weightsOf(copy, 'logits'))).not.toEqual(Array.from(before.logits));
    expect(Array.from(weightsOf(copy, 'stem_conv'))).toEqual(Array.from(before.stem));
    copy.dispose();
    expect(Array.from(weightsOf(orig, 'logits'))).toEqual(Array.from(before.logits));
    model.dispose();
  });

  it('gradient maps lose their rank correlation when the model is randomised', async () => {
    const model = await loadAuditedModel(path.join(modelsDir(), 'pneumonia-demo'));
    const x = imageBatch(demoSet(), [5, 3000]);
    const targets = [0, 1];
    const method = saliencyMethods.get('gradient');
    const { maps } = await method.attribute({ model, x, targets });
    const before = tf.memory().numTensors;
    const res = await saliencyMetrics.get('sanity').evaluate({ model, x, targets, maps, method }, { mode: 'top-and-all' });
    expect(tf.memory().numTensors).toBe(before);
    for (const r of res) {
      const c = r.details.correlations as number[];
      expect(c).toHaveLength(2);
      expect(c[1]).toBeLessThan(0.6); // every layer random
    }
    x.dispose();
    model.dispose();
  });
});
