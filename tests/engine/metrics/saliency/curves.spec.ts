// Deletion, insertion and pixel perturbation on a model whose evidence is known: P(class 1)
// rises with the brightness of the top-left quadrant only. A map pointing at that quadrant must
// beat the reversed map (deletion lower, insertion higher) and random maps.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saliencyMetrics } from '../../../../src-main/engine/metrics/saliency';
import { wrapLayersModel, type AuditedModel } from '../../../../src-main/engine/models';
import { setupBackend, sidecar } from '../../models/helpers';

const S = 16;
let model: AuditedModel;
const quadrant = Float32Array.from({ length: S * S }, (_, p) => (Math.floor(p / S) < S / 2 && p % S < S / 2 ? 1 : 0));

beforeAll(async () => {
  await setupBackend();
  // logits = [0, w . x - b]: softmax gives P(1) = sigmoid(w . x - b), w = the quadrant's pixels.
  const inp = tf.input({ shape: [S, S, 1] });
  const flat = tf.layers.flatten().apply(inp) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: 2, name: 'logits' });
  const out = tf.layers.activation({ activation: 'softmax', name: 'probs' }).apply(dense.apply(flat) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const net = tf.model({ inputs: inp, outputs: out });
  const w = new Float32Array(S * S * 2);
  quadrant.forEach((q, p) => (w[p * 2 + 1] = q * (12 / (S * S / 4))));
  dense.setWeights([tf.tensor2d(w, [S * S, 2]), tf.tensor1d([0, -6])]);
  model = wrapLayersModel(net, sidecar({ inputSize: S }));
});
afterAll(() => model.dispose());

/** Bright quadrant (the evidence), black elsewhere. */
function brightImage(): tf.Tensor4D {
  return tf.tidy(() => tf.randomUniform([1, S, S, 1], 0.7, 1, 'float32', 3).mul(tf.tensor4d(quadrant, [1, S, S, 1]))) as tf.Tensor4D;
}

describe('deletion, insertion, pixel perturbation', () => {
  it('a map on the evidence deletes faster and inserts faster than the reversed map', async () => {
    const x = brightImage();
    const good = quadrant.map((q, p) => q + p * 1e-6);
    const bad = good.map((v) => -v);
    const input = (maps: Float32Array[]) => ({ model, x, targets: [1], maps });
    const [dg, db] = [await saliencyMetrics.get('deletion').evaluate(input([good])), await saliencyMetrics.get('deletion').evaluate(input([bad]))];
    // A wide blur, so that the blurred canvas has lost the quadrant's evidence.
    const blur = { blurKernel: 15, blurSigma: 8 };
    const [ig, ib] = [await saliencyMetrics.get('insertion').evaluate(input([good]), blur), await saliencyMetrics.get('insertion').evaluate(input([bad]), blur)];
    expect((ig[0].details.scores as number[])[0]).toBeLessThan(0.6);
    expect(dg[0].value!).toBeLessThan(db[0].value! - 0.2);
    expect(ig[0].value!).toBeGreaterThan(ib[0].value! + 0.2);
    // One pixel per step at 16 px: 257 points from fraction 0 to 1.
    expect((dg[0].details.fractions as number[]).length).toBe(S * S + 1);
    expect((dg[0].details.scores as number[]).at(-1)).toBeCloseTo(1 / (1 + Math.exp(6)), 4); // black image
    x.dispose();
  });

  it('pixel perturbation: the evidence map drops P(target) more than random maps', async () => {
    const x = brightImage();
    const good = quadrant.map((q, p) => q + p * 1e-6);
    const [r] = await saliencyMetrics.get('pixel-perturbation').evaluate({ model, x, targets: [1], labels: [1], maps: [good] }, { fractions: [0.1, 0.2], randomMaps: 5 });
    expect(r.value!).toBeGreaterThan(0);
    const mapP = r.details.mapProbabilities as number[];
    const randP = r.details.randomProbabilities as number[];
    expect(mapP[1]).toBeLessThan(randP[1]);
    expect(r.details.mapCorrect).toHaveLength(2);
    x.dispose();
  });
});
