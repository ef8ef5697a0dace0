// The invariance test of seed 003 section 3.0.1: encode test images, replace z2 by draws from
// N(0, sigma^2), decode, classify again, and count per sigma the samples whose label equals the
// original prediction: by the SVAE head (re-encoding the decoded image with q(z|x)) and by the
// audited classifier on the decoded image (does the invariance hold for the real model?). The
// same curve for M2 (all of z resampled, decoded with the predicted label), and the control that
// resamples z1 instead, which should fall toward chance.
import * as tf from '@tensorflow/tfjs';
import type { InvarianceCurves, SigmaCurve } from '../../../api/schemas/invariance';
import type { ImageSet } from '../../data/image-set';
import { subSeed } from '../../data/synthetic/rng';
import { EngineError } from '../../jobs/errors';
import type { AuditedModel } from '../../models/audited-model';
import { imageBatch } from '../../models/batches';
import { argmaxRows } from './evaluate';
import { disposeGaussian } from './gaussian';
import type { M2Vae } from './m2';
import type { Svae } from './svae';

/** The part of the SVAE the test needs (a stub with a decoder that ignores z2 tests the bookkeeping). */
export type InvarianceSubject = Pick<Svae, 'encode' | 'decode' | 'classify' | 'classifyLatent' | 'z1' | 'z2' | 'config'>;

export interface InvarianceTestRequest {
  svae: InvarianceSubject;
  set: ImageSet;
  rows: number[];
  sigmas: number[];
  seed?: number;
  audited?: AuditedModel | null;
  m2?: M2Vae | null;
  batchSize?: number;
  hooks?: { progress?(fraction: number): void; checkpoint?(): Promise<void> };
}

// Keys like "1.0", not "1": integer-like keys would jump to the front of a JS object.
export const sigmaKey = (s: number): string => (Number.isInteger(s) ? s.toFixed(1) : String(Math.round(s * 1000) / 1000));

async function labels(p: tf.Tensor2D): Promise<Int32Array> {
  const v = argmaxRows(await p.data(), p.shape[1]);
  p.dispose();
  return v;
}

const same = (a: Int32Array, b: Int32Array): number => a.reduce((n, v, i) => n + (v === b[i] ? 1 : 0), 0);

/** [N, d]: the given columns of `keep` and, for the other block, sigma * eps (eps seeded). */
function mixLatent(mu: tf.Tensor2D, z1: number, resample: 'z1' | 'z2', sigma: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const n = mu.shape[0];
    const d = mu.shape[1];
    const a = tf.slice(mu, [0, 0], [-1, z1]);
    const b = tf.slice(mu, [0, z1], [-1, d - z1]);
    const draw = (cols: number): tf.Tensor => tf.mul(sigma, tf.randomNormal([n, cols], 0, 1, 'float32', seed));
    return (resample === 'z2' ? tf.concat([a, draw(d - z1)], 1) : tf.concat([draw(z1), b], 1)) as tf.Tensor2D;
  });
}

export async function invarianceTest(req: InvarianceTestRequest): Promise<InvarianceCurves> {
  const { svae, set, rows, sigmas } = req;
  const seed = req.seed ?? 0;
  const size = svae.config.size;
  const k = svae.config.classNames.length;
  if (req.audited && req.audited.inputSize !== size) throw new EngineError('bad_input', `the surrogate works on ${size} px images but the audited model on ${req.audited.inputSize} px`);
  if (!rows.length) throw new EngineError('bad_input', 'the invariance test needs at least one image');
  const bs = req.batchSize ?? 128;
  const count = (): number[] => sigmas.map(() => 0);
  const head = count();
  const audited = count();
  const residual = count();
  const control = count();
  // Label histograms of the originals and of the z1-control labels, for the independence baseline.
  const hist0 = new Array(k).fill(0);
  const hist1 = sigmas.map(() => new Array(k).fill(0));
  let reconSame = 0;
  const batches = Math.ceil(rows.length / bs);
  for (let b = 0; b < batches; b++) {
    await req.hooks?.checkpoint?.();
    const x = imageBatch(set, rows.slice(b * bs, (b + 1) * bs), size);
    const q = svae.encode(x);
    const pred0 = await labels(svae.classifyLatent(q.mu));
    pred0.forEach((c) => hist0[c]++);
    let audited0: Int32Array | null = null;
    // x - decode(mu): the detail the decoder does not reproduce, added back for the residual curve.
    let detail: tf.Tensor4D | null = null;
    if (req.audited) {
      audited0 = await labels(req.audited.predict(x));
      const rec = svae.decode(q.mu);
      reconSame += same(await labels(req.audited.predict(rec)), audited0);
      detail = tf.sub(x, rec) as tf.Tensor4D;
      rec.dispose();
    }
    for (let s = 0; s < sigmas.length; s++) {
      const sg = sigmas[s];
      const z = mixLatent(q.mu, svae.z1, 'z2', sg, subSeed(seed, b, s, 1));
      const xt = svae.decode(z);
      head[s] += same(await labels(svae.classify(xt)), pred0);
      if (req.audited && audited0 && detail) {
        audited[s] += same(await labels(req.audited.predict(xt)), audited0);
        const xr = tf.tidy(() => tf.clipByValue(tf.add(xt, detail!), 0, 1) as tf.Tensor4D);
        residual[s] += same(await labels(req.audited.predict(xr)), audited0);
        xr.dispose();
      }
      tf.dispose([z, xt]);
      const zc = mixLatent(q.mu, svae.z1, 'z1', sg, subSeed(seed, b, s, 2));
      const xc = svae.decode(zc);
      const lc = await labels(svae.classify(xc));
      control[s] += same(lc, pred0);
      lc.forEach((c) => hist1[s][c]++);
      tf.dispose([zc, xc]);
    }
    tf.dispose(detail ? [x, detail] : [x]);
    disposeGaussian(q);
    req.hooks?.progress?.(((b + 1) / batches) * (req.m2 ? 0.7 : 1));
  }
  const n = rows.length;
  const curve = (c: number[]): SigmaCurve => Object.fromEntries(sigmas.map((sg, s) => [sigmaKey(sg), c[s] / n]));
  const independent: SigmaCurve = Object.fromEntries(sigmas.map((sg, s) => [sigmaKey(sg), hist0.reduce((a, h, c) => a + (h / n) * (hist1[s][c] / n), 0)]));
  return {
    sigmas: [...sigmas],
    n,
    svaeHead: curve(head),
    auditedClassifier: req.audited ? curve(audited) : null,
    auditedClassifierResidual: req.audited ? curve(residual) : null,
    m2: req.m2 ? await m2Invariance(req.m2, set, rows, sigmas, seed, { ...req.hooks, progress: (f) => req.hooks?.progress?.(0.7 + 0.3 * f) }, bs) : null,
    z1Control: curve(control),
    chance: { uniform: 1 / k, independent },
    reconstructionAgreement: req.audited ? reconSame / n : null,
  };
}

/**
 * M2's curve: its prediction y0 = argmax q(y|x); all of z drawn from N(0, sigma^2) (M2 has no
 * z1: the label is y itself), decoded with y0, classified again by q(y|x).
 */
export async function m2Invariance(m2: M2Vae, set: ImageSet, rows: number[], sigmas: number[], seed = 0, hooks: InvarianceTestRequest['hooks'] = {}, batchSize = 128): Promise<SigmaCurve> {
  const k = m2.config.classNames.length;
  const kept = sigmas.map(() => 0);
  const batches = Math.ceil(rows.length / batchSize);
  for (let b = 0; b < batches; b++) {
    await hooks.checkpoint?.();
    const x = imageBatch(set, rows.slice(b * batchSize, (b + 1) * batchSize), m2.config.size);
    const pred0 = await labels(m2.classify(x));
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(pred0, 'int32'), k).toFloat() as tf.Tensor2D);
    for (let s = 0; s < sigmas.length; s++) {
      const z = tf.tidy(() => tf.mul(sigmas[s], tf.randomNormal([x.shape[0], m2.d], 0, 1, 'float32', subSeed(seed, b, s, 3))) as tf.Tensor2D);
      const xm = m2.decode(z, y);
      kept[s] += same(await labels(m2.classify(xm)), pred0);
      tf.dispose([z, xm]);
    }
    tf.dispose([x, y]);
    hooks.progress?.((b + 1) / batches);
  }
  return Object.fromEntries(sigmas.map((sg, s) => [sigmaKey(sg), kept[s] / rows.length]));
}
