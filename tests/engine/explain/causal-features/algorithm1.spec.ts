// Algorithm 1 on GRATING, whose causal partition is known: four observational classes (v-bar x
// h-bar) merge into two causal classes (h-bar or not), and C learns the h-bar, not the v-bar.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src-main/engine/backend';
import {
  causalPartition, gratingAgent, hasHbar, imageAt, manipulate, pDo, pObservational, sampleGrating, trainCausalPredictor,
} from '../../../../src-main/engine/explain/causal-features';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm', wasmThreads: 1 });
});

describe('Algorithm 1', () => {
  const obs = sampleGrating(800, 5);
  // Observational outputs: P(T | i) with a little estimation noise.
  const outputs = Float32Array.from({ length: 800 }, (_, k) => pObservational(imageAt(obs.images, k)) + 0.02 * Math.sin(k));

  it('merges the four observational classes into the two causal ones with one query each', () => {
    let queries = 0;
    const counting = { name: 'count', query: (im: Parameters<typeof gratingAgent.query>[0]) => ((queries += im.data.length / 100), gratingAgent.query(im)) };
    const cp = causalPartition(obs.images, outputs, counting);
    expect(cp.observational.means.length).toBe(4);
    expect(queries).toBe(4);
    expect(cp.causalOfObservational).toEqual([0, 0, 1, 1]);
    expect(cp.causalValues.map((v) => Number(v.toFixed(2)))).toEqual([0.25, 0.85]);
    for (let k = 0; k < 800; k++) expect(cp.targets[k]).toBeCloseTo(pDo(imageAt(obs.images, k)), 5);
  });

  it('trains a causal predictor that follows the h-bar, and a manipulator that removes it', async () => {
    const cp = causalPartition(obs.images, outputs, gratingAgent);
    const targets = Float32Array.from(cp.causalClassOf);
    const c = await trainCausalPredictor(obs.images, targets, { epochs: 15, seed: 1, learningRate: 3e-3 });
    try {
      const p = c.predict(obs.images);
      let hit = 0;
      for (let k = 0; k < 800; k++) hit += (p[k] > 0.5) === hasHbar(imageAt(obs.images, k)) ? 1 : 0;
      expect(hit / 800).toBeGreaterThan(0.95);
      const rows = [...Array(800).keys()].filter((k) => hasHbar(imageAt(obs.images, k))).slice(0, 20);
      const start = { size: 10, data: Float32Array.from(rows.flatMap((k) => Array.from(imageAt(obs.images, k)))) };
      const out = manipulate(c, start, new Array(rows.length).fill(0), { binarise: true, steps: 60 });
      expect(out.data.every((v) => v === 0 || v === 1)).toBe(true);
      const removed = rows.filter((_, j) => !hasHbar(imageAt(out, j))).length;
      expect(removed / rows.length).toBeGreaterThan(0.8);
    } finally {
      c.dispose();
    }
  });
});
