// How well a surrogate does on held-out images: its accuracy against the labels it learned
// (targets), against the true labels, its agreement with the audited classifier, and Table 1's
// reconstruction term R (nats per image, one sample of q(z|x,y) with the target label).
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../data/image-set';
import { imageBatch } from '../../models/batches';
import type { Surrogate } from './surrogate';

export interface SurrogateEvalRequest {
  set: ImageSet;
  rows: number[];
  /** Per set row, in the surrogate's class indices. */
  targets: Int32Array;
  trueLabels?: Int32Array | null;
  audited?: Int32Array | null;
  seed?: number;
  batchSize?: number;
}

export interface SurrogateEval {
  n: number;
  /** Agreement with the labels it was trained on. */
  target_accuracy: number;
  /** Against the data set's labels (when given). */
  accuracy?: number;
  /** With the audited classifier's decisions (when given). */
  agreement?: number;
  /** Mean E_q(z|x,y)[log p(x|z)] per image. */
  reconstruction: number;
}

export const argmaxRows = (p: ArrayLike<number>, k: number): Int32Array => {
  const n = p.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let a = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + a]) a = c;
    out[i] = a;
  }
  return out;
};

/** Surrogate predictions (class indices) for the rows. */
export async function surrogatePredictions(s: Surrogate, set: ImageSet, rows: number[], batchSize = 256): Promise<Int32Array> {
  const k = s.config.classNames.length;
  const out = new Int32Array(rows.length);
  for (let b = 0; b < rows.length; b += batchSize) {
    const x = imageBatch(set, rows.slice(b, b + batchSize), s.config.size);
    const p = s.classify(x);
    out.set(argmaxRows(await p.data(), k), b);
    tf.dispose([x, p]);
  }
  return out;
}

export async function evaluateSurrogate(s: Surrogate, r: SurrogateEvalRequest): Promise<SurrogateEval> {
  const k = s.config.classNames.length;
  const bs = r.batchSize ?? 256;
  const pred = await surrogatePredictions(s, r.set, r.rows, bs);
  let recon = 0;
  for (let b = 0; b < r.rows.length; b += bs) {
    const rows = r.rows.slice(b, b + bs);
    const x = imageBatch(r.set, rows, s.config.size);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(rows.map((i) => r.targets[i]), 'int32'), k).toFloat() as tf.Tensor2D);
    const rec = s.reconstruction(x, y, (r.seed ?? 0) + b);
    const sum = tf.sum(rec);
    recon += (await sum.data())[0];
    tf.dispose([x, y, rec, sum]);
  }
  const share = (ref: Int32Array): number => r.rows.filter((i, j) => ref[i] === pred[j]).length / Math.max(1, r.rows.length);
  const out: SurrogateEval = { n: r.rows.length, target_accuracy: share(r.targets), reconstruction: recon / Math.max(1, r.rows.length) };
  if (r.trueLabels) out.accuracy = share(r.trueLabels);
  if (r.audited) out.agreement = share(r.audited);
  return out;
}
