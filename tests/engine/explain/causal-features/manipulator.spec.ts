// The manipulator of Algorithm 2 on binary GRATING images: the greedy search never ends at a
// higher objective than the top-m projection it starts from, stays binary, and is reproducible.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { GRATING_WEIGHT_DECAY } from '../../../../src-main/api/schemas/causal-features';
import { gratingAgent } from '../../../../src-main/engine/explain/causal-features/agents';
import { hasHbar, sampleGrating } from '../../../../src-main/engine/explain/causal-features/grating';
import { countOf, imageAt, pick, type Images } from '../../../../src-main/engine/explain/causal-features/images';
import { manipulate } from '../../../../src-main/engine/explain/causal-features/manipulator';
import { Mlp } from '../../../../src-main/engine/explain/causal-features/mlp';

const a = 0.5;

function objectives(c: Mlp, start: Images, out: Images, targets: number[]): number[] {
  const p = c.predict(out);
  const n = start.size * start.size;
  return targets.map((t, k) => {
    let d = 0;
    for (let x = 0; x < n; x++) d += (out.data[k * n + x] - start.data[k * n + x]) ** 2;
    return (1 - a) * (p[k] - t) ** 2 + (a * d) / n;
  });
}

describe('GRATING manipulator', () => {
  let c: Mlp;
  let start: Images;
  let targets: number[];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const obs = sampleGrating(1500, 5);
    // C learns the causal class (1 with an h-bar), the weight decay as in the experiment.
    const unit = Float32Array.from(gratingAgent.query(obs.images), (v) => (v > 0.5 ? 1 : 0));
    c = new Mlp(100, 100, 7, 3e-3, GRATING_WEIGHT_DECAY);
    await c.train(obs.images, unit, { epochs: 15, seed: 8 });
    const rows = Array.from({ length: 40 }, (_, k) => k);
    start = pick(obs.images, rows);
    targets = rows.map((r) => (hasHbar(imageAt(obs.images, r)) ? 0 : 1));
  }, 120_000);
  afterAll(() => c.dispose());

  it('greedy search: binary, no worse than the projection for every image, reproducible', () => {
    const projection = manipulate(c, start, targets, { alpha: a, binarise: true, binarySearch: 'projection' });
    const greedy = manipulate(c, start, targets, { alpha: a, binarise: true, seed: 3 });
    expect(countOf(greedy)).toBe(40);
    expect(greedy.data.every((v) => v === 0 || v === 1)).toBe(true);
    const og = objectives(c, start, greedy, targets);
    const op = objectives(c, start, projection, targets);
    og.forEach((v, k) => expect(v).toBeLessThanOrEqual(op[k] + 1e-6));
    // It does better than the projection on average, and most removals of an h-bar succeed.
    expect(og.reduce((s, v) => s + v, 0)).toBeLessThan(op.reduce((s, v) => s + v, 0));
    const removed = targets.map((t, k) => (t === 0 ? (hasHbar(imageAt(greedy, k)) ? 0 : 1) : NaN)).filter((v) => !Number.isNaN(v));
    expect(removed.reduce((s, v) => s + v, 0) / removed.length).toBeGreaterThan(0.8);
    const again = manipulate(c, start, targets, { alpha: a, binarise: true, seed: 3 });
    expect(Array.from(again.data)).toEqual(Array.from(greedy.data));
  }, 120_000);
});
