// Pixel perturbation (seed 004 4.3, after Samek et al. 2016): the top 5, 10, 15, 20% most
// relevant pixels are replaced by uniform random values and the classifier re-run; the same
// with random maps gives the baseline a method must beat. Per image: P(target) and whether the
// model still predicts the target at each fraction, for the map and averaged over random maps.
// The headline value is the drop of P(target) at 10% (or the first fraction) minus the random
// maps' drop: positive = the map found pixels that matter more than random ones.
import * as tf from '@tensorflow/tfjs';
import { PixelPerturbationSettingsSchema } from '../../../api/schemas/saliency';
import { makeRng, permutation, subSeed } from '../../data/synthetic/rng';
import type { ExplainHooks } from '../../explain/saliency/types';
import { SaliencyMetricBase } from './base';
import { imageRows } from './perturbation-curve';
import { rankPixels } from './ranking';
import type { MetricResult, SaliencyMetricInput } from './types';

type Settings = ReturnType<typeof PixelPerturbationSettingsSchema.parse>;

export class PixelPerturbation extends SaliencyMetricBase<typeof PixelPerturbationSettingsSchema> {
  constructor() {
    super('pixel-perturbation', 'Pixel perturbation (drop vs random at 10%)', true, PixelPerturbationSettingsSchema);
  }

  protected async compute({ model, x, targets, labels, maps }: SaliencyMetricInput, s: Settings, hooks: ExplainHooks): Promise<MetricResult[]> {
    const size = model.inputSize;
    const px = size * size;
    const k = model.classNames.length;
    const images = await imageRows(x);
    const fr = s.fractions;
    const results: MetricResult[] = [];
    for (let i = 0; i < images.length; i++) {
      await hooks.checkpoint?.();
      const rng = makeRng(subSeed(s.seed, i));
      // Orderings: the map's, then `randomMaps` random ones; the noise is drawn once per ordering.
      const orders = [rankPixels(maps[i]), ...Array.from({ length: s.randomMaps }, () => Int32Array.from(permutation(px, rng)))];
      const rows: Float32Array[] = [images[i]];
      for (const order of orders) {
        const noise = Float32Array.from({ length: px }, () => rng());
        for (const f of fr) {
          const row = images[i].slice();
          const m = Math.round(f * px);
          for (let q = 0; q < m; q++) row[order[q]] = noise[order[q]];
          rows.push(row);
        }
      }
      const data = new Float32Array(rows.length * px);
      rows.forEach((r, j) => data.set(r, j * px));
      const t = tf.tensor4d(data, [rows.length, size, size, 1]);
      const p = model.predict(t);
      const probs = (await p.data()) as Float32Array;
      tf.dispose([t, p]);
      const target = targets[i];
      const pt = (row: number): number => probs[row * k + target];
      const predicted = (row: number): number => {
        let best = 0;
        for (let c = 1; c < k; c++) if (probs[row * k + c] > probs[row * k + best]) best = c;
        return best;
      };
      const mapP = fr.map((_, j) => pt(1 + j));
      const mapClass = fr.map((_, j) => predicted(1 + j));
      const randP = fr.map((_, j) => orders.slice(1).reduce((acc, _o, r) => acc + pt(1 + (r + 1) * fr.length + j), 0) / s.randomMaps);
      const randShare = (cls: number): number[] => fr.map((_, j) => orders.slice(1).reduce((acc, _o, r) => acc + (predicted(1 + (r + 1) * fr.length + j) === cls ? 1 : 0), 0) / s.randomMaps);
      const label = labels?.[i];
      const at = Math.max(0, fr.findIndex((f) => Math.abs(f - 0.1) < 1e-9));
      const p0 = pt(0);
      results.push({
        value: p0 - mapP[at] - (p0 - randP[at]),
        details: {
          fractions: fr,
          probability: p0,
          predicted: predicted(0),
          mapProbabilities: mapP,
          mapPredicted: mapClass,
          randomProbabilities: randP,
          randomKeepsTarget: randShare(target),
          // With a label: correct (1/0) after perturbation, and the share of random maps still correct.
          mapCorrect: label === undefined ? null : mapClass.map((c) => (c === label ? 1 : 0)),
          randomCorrect: label === undefined ? null : randShare(label),
        },
      });
      hooks.progress?.((i + 1) / images.length);
    }
    return results;
  }
}
