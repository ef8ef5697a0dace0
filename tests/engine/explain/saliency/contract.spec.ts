// The contract every registered attribution method and every registered metric keeps, run on a
// small untrained CNN of the project's family: one finite map per image of the image's size,
// diagnostics per image (a completeness delta where declared), no tensors left behind, seeded
// methods reproducible, cancellation through the hooks, settings validated; registries refuse
// duplicates.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MethodSettingsSchemas, SALIENCY_METHOD_IDS, SALIENCY_METRIC_IDS, type SaliencyMethodId } from '../../../../src-main/api/schemas/saliency';
import { AttributionRegistry, disposeReference, featureStats, Gradient, saliencyMethods } from '../../../../src-main/engine/explain/saliency';
import type { ReferenceImages } from '../../../../src-main/engine/explain/saliency/types';
import { boxMask, Deletion, SaliencyMetricRegistry, saliencyMetrics } from '../../../../src-main/engine/metrics/saliency';
import type { AuditedModel } from '../../../../src-main/engine/models';
import { demoImages, setupBackend, smallCnn, smallReference } from './helpers';

/** Settings that keep the contract run quick; everything else is each method's default. */
const QUICK: Partial<Record<SaliencyMethodId, object>> = {
  smoothgrad: { samples: 3 },
  'integrated-gradients': { steps: 8 },
  iba: { steps: 3, batchSize: 2 },
  'input-iba': { featureSteps: 2, steps: 3, batchSize: 2 },
};

let model: AuditedModel;
let ref: ReferenceImages;
let x: tf.Tensor4D;
const targets = [0, 1];

beforeAll(async () => {
  await setupBackend();
  model = smallCnn();
  ref = smallReference(32);
  x = demoImages(2, 3).x;
  // Warm the reference's statistics cache so that tensor counts below are flat.
  for (const layer of ['stage1_block0']) await featureStats(model, ref, layer);
});
afterAll(() => {
  disposeReference(ref);
  x.dispose();
  model.dispose();
});

describe('attribution contract', () => {
  it('registers every method id once, and the registry refuses duplicates', () => {
    expect(saliencyMethods.ids().sort()).toEqual([...SALIENCY_METHOD_IDS].sort());
    const r = new AttributionRegistry();
    r.register(new Gradient());
    expect(() => r.register(new Gradient())).toThrow(/already registered/);
  });

  for (const id of SALIENCY_METHOD_IDS) {
    it(`${id}: one finite map per image, diagnostics, no leaked tensors`, async () => {
      const method = saliencyMethods.get(id);
      expect(Object.keys(MethodSettingsSchemas)).toContain(id);
      await method.attribute({ model, x, targets, reference: ref }, QUICK[id] as never); // warm caches
      const before = tf.memory().numTensors;
      const out = await method.attribute({ model, x, targets, reference: ref }, QUICK[id] as never);
      expect(tf.memory().numTensors).toBe(before);
      expect(out.maps).toHaveLength(2);
      expect(out.diagnostics).toHaveLength(2);
      for (const m of out.maps) {
        expect(m).toHaveLength(28 * 28);
        expect(m.every(Number.isFinite)).toBe(true);
        if (!method.signed && id !== 'smoothgrad') expect(Math.min(...m)).toBeGreaterThanOrEqual(-1e-6);
      }
      if (method.hasConvergenceDelta) for (const d of out.diagnostics) expect(Number.isFinite(d.completenessDelta)).toBe(true);
      if (method.stochastic) {
        const again = await method.attribute({ model, x, targets, reference: ref }, QUICK[id] as never);
        expect(Array.from(again.maps[1])).toEqual(Array.from(out.maps[1]));
      }
    });
  }

  it('input-iba with the adversarial mask generator (a short run) keeps the contract', async () => {
    const settings = { ...QUICK['input-iba'], generator: { kind: 'adversarial' as const, epochs: 1, datasetSize: 16, batchSize: 8, criticIter: 1 } };
    const method = saliencyMethods.get('input-iba');
    const before = tf.memory().numTensors;
    const out = await method.attribute({ model, x, targets, reference: ref }, settings);
    expect(tf.memory().numTensors).toBe(before);
    expect(out.maps.every((m) => m.length === 784 && m.every((v) => v > 0 && v < 1))).toBe(true);
    expect(out.diagnostics.every((d) => d.meanPriorMask > 0 && d.meanPriorMask < 1)).toBe(true);
  });

  it('methods refuse bad input: wrong size, bad targets, missing reference, bad settings', async () => {
    const g = saliencyMethods.get('gradient');
    const small = tf.zeros([1, 8, 8, 1]) as tf.Tensor4D;
    await expect(g.attribute({ model, x: small, targets: [0] })).rejects.toThrow(/images must be/);
    small.dispose();
    await expect(g.attribute({ model, x, targets: [0] })).rejects.toThrow(/2 images/);
    await expect(g.attribute({ model, x, targets: [0, 5] })).rejects.toThrow(/out of range/);
    await expect(saliencyMethods.get('iba').attribute({ model, x, targets })).rejects.toThrow(/reference/);
    await expect(saliencyMethods.get('integrated-gradients').attribute({ model, x, targets }, { steps: 0 })).rejects.toThrow(/settings/);
    await expect(saliencyMethods.get('grad-cam').attribute({ model, x, targets }, { layer: 'nope' })).rejects.toThrow(/no layer "nope"/);
  });

  it('cancels through the hooks and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    let calls = 0;
    const hooks = {
      checkpoint: async () => {
        if (++calls > 1) throw new Error('cancelled');
      },
    };
    await expect(saliencyMethods.get('iba').attribute({ model, x, targets, reference: ref }, QUICK.iba, hooks)).rejects.toThrow('cancelled');
    calls = 0;
    await expect(saliencyMethods.get('integrated-gradients').attribute({ model, x, targets }, { steps: 8, internalBatchSize: 4 }, hooks)).rejects.toThrow('cancelled');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('metric contract', () => {
  it('registers every metric id once, and the registry refuses duplicates', () => {
    expect(saliencyMetrics.ids().sort()).toEqual([...SALIENCY_METRIC_IDS].sort());
    const r = new SaliencyMetricRegistry();
    r.register(new Deletion());
    expect(() => r.register(new Deletion())).toThrow(/already registered/);
  });

  it('every metric judges every method\'s maps: one result per image, no leaked tensors', async () => {
    const region = boxMask({ x1: 0, y1: 0, x2: 14, y2: 14 }, 28);
    const quickMetric: Record<string, object> = { deletion: { stepPixels: 98 }, insertion: { stepPixels: 98 }, sanity: { mode: 'top' }, 'pixel-perturbation': { randomMaps: 2 } };
    for (const id of SALIENCY_METHOD_IDS) {
      const method = saliencyMethods.get(id);
      const { maps } = await method.attribute({ model, x, targets, reference: ref }, QUICK[id] as never);
      for (const metric of saliencyMetrics.list()) {
        // The sanity check re-runs the method: once per method is enough for the contract.
        if (metric.id === 'sanity' && !['gradient', 'grad-cam', 'iba'].includes(id)) continue;
        const before = tf.memory().numTensors;
        const res = await metric.evaluate({ model, x, targets, labels: [0, 1], maps, regions: [region, null], method, methodSettings: QUICK[id], reference: ref }, quickMetric[metric.id] as never);
        expect(tf.memory().numTensors).toBe(before);
        expect(res).toHaveLength(2);
        if (metric.id === 'ehr') expect(res[1].value).toBeNull();
        else expect(res.every((r) => r.value === null || Number.isFinite(r.value))).toBe(true);
      }
    }
  });
});
