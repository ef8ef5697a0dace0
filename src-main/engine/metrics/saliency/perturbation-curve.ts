// The game behind deletion and insertion (seed 002 D.3): starting from one canvas, pixels take
// their values from another canvas in the map's order, a fixed number per step; the curve is
// P(target) after each step, its AUC the trapezoid area over the fraction of pixels changed.
// The rows of all images' curves go through the model together, in batches.
import * as tf from '@tensorflow/tfjs';
import { ranges } from '../../explain/saliency/common';
import type { ExplainHooks } from '../../explain/saliency/types';
import type { AuditedModel } from '../../models/audited-model';
import { rankPixels, trapezoid } from './ranking';

/** Seed 002's 10 pixels per step at 224 px, as the same fraction of an S px image (at least 1). */
export function scaledStep(size: number): number {
  return Math.max(1, Math.round((10 * size * size) / (224 * 224)));
}

export interface CurveJob {
  /** Canvas at fraction 0 and the values pixels take, each S*S. */
  from: Float32Array;
  to: Float32Array;
  map: ArrayLike<number>;
  target: number;
}

export interface Curve {
  fractions: number[];
  scores: number[];
  auc: number;
}

/** Runs the games of several images; returns one curve per job. */
export async function perturbationCurves(model: AuditedModel, jobs: CurveJob[], stepPixels: number, batchSize: number, hooks: ExplainHooks = {}): Promise<Curve[]> {
  const size = model.inputSize;
  const px = size * size;
  const steps = Math.ceil(px / stepPixels);
  const fractions = Array.from({ length: steps + 1 }, (_, k) => Math.min(px, k * stepPixels) / px);
  const rowsPer = steps + 1;
  const total = jobs.length * rowsPer;
  const scores = new Float32Array(total);
  const orders = jobs.map((j) => rankPixels(j.map));
  // Canvas state per job, advanced as rows are generated in order.
  const canvases = jobs.map((j) => j.from.slice());
  const k = model.classNames.length;
  for (const [a, b] of ranges(total, batchSize)) {
    await hooks.checkpoint?.();
    const data = new Float32Array((b - a) * px);
    const targets = new Int32Array(b - a);
    for (let r = a; r < b; r++) {
      const j = Math.floor(r / rowsPer);
      const step = r % rowsPer;
      const canvas = canvases[j];
      if (step > 0) {
        const order = orders[j];
        for (let q = (step - 1) * stepPixels; q < Math.min(px, step * stepPixels); q++) canvas[order[q]] = jobs[j].to[order[q]];
      }
      data.set(canvas, (r - a) * px);
      targets[r - a] = jobs[j].target;
    }
    const x = tf.tensor4d(data, [b - a, size, size, 1]);
    const p = model.predict(x);
    const probs = (await p.data()) as Float32Array;
    tf.dispose([x, p]);
    for (let r = 0; r < b - a; r++) scores[a + r] = probs[r * k + targets[r]];
    hooks.progress?.(b / total);
  }
  return jobs.map((_, j) => {
    const s = Array.from(scores.subarray(j * rowsPer, (j + 1) * rowsPer));
    return { fractions, scores: s, auc: trapezoid(s, fractions) };
  });
}

/** The images of a [N, S, S, 1] batch as S*S arrays. */
export async function imageRows(x: tf.Tensor4D): Promise<Float32Array[]> {
  const data = (await x.data()) as Float32Array;
  const px = x.shape[1] * x.shape[2];
  return Array.from({ length: x.shape[0] }, (_, i) => data.slice(i * px, (i + 1) * px));
}
