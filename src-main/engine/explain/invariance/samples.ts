// Invariantly transformed samples (seed 003 Fig. 3: z2 resampled with sigma < 2, label kept) and
// latent counterfactuals (Fig. 7: single z1 dimensions perturbed), for one query image.
import * as tf from '@tensorflow/tfjs';
import { subSeed } from '../../data/synthetic/rng';
import type { AuditedModel } from '../../models/audited-model';
import { argmaxRows } from './evaluate';
import { disposeGaussian } from './gaussian';
import { rowOf } from './png';
import type { Svae } from './svae';

type SampleSubject = Pick<Svae, 'encode' | 'decode' | 'classify' | 'headLogits' | 'z1' | 'z2' | 'config'>;

async function labelsOf(p: tf.Tensor2D): Promise<Int32Array> {
  const v = argmaxRows(await p.data(), p.shape[1]);
  p.dispose();
  return v;
}

export interface InvariantSamples {
  /** The SVAE's label for the query (head on the mean of q(z1|x)) and the audited classifier's decision. */
  predicted: number;
  audited: number | null;
  reconstruction: Float32Array;
  /** Decoded images whose label (SVAE head after re-encoding, and the audited classifier when given) equals the query's. */
  samples: Float32Array[];
  draws: number;
}

/** z2 ~ N(0, sigma^2) with z1 kept at the query's mean; up to `maxDraws` draws to find `count` label-keeping samples. */
export async function invariantSamples(svae: SampleSubject, x: tf.Tensor4D, opts: { count: number; sigma: number; seed: number; audited?: AuditedModel | null; maxDraws?: number }): Promise<InvariantSamples> {
  const size = svae.config.size;
  const q = svae.encode(x);
  const predicted = (await labelsOf(svae.classify(x)))[0];
  const audited = opts.audited ? (await labelsOf(opts.audited.predict(x)))[0] : null;
  const recon = svae.decode(q.mu);
  const reconstruction = rowOf(await recon.data(), 0, size);
  recon.dispose();
  const samples: Float32Array[] = [];
  const maxDraws = opts.maxDraws ?? opts.count * 4;
  let draws = 0;
  for (let round = 0; samples.length < opts.count && draws < maxDraws; round++) {
    const m = Math.min(opts.count * 2, maxDraws - draws);
    const z = tf.tidy(() => tf.concat([tf.tile(tf.slice(q.mu, [0, 0], [1, svae.z1]), [m, 1]), tf.mul(opts.sigma, tf.randomNormal([m, svae.z2], 0, 1, 'float32', subSeed(opts.seed, round)))], 1) as tf.Tensor2D);
    const xt = svae.decode(z);
    const head = await labelsOf(svae.classify(xt));
    const aud = opts.audited ? await labelsOf(opts.audited.predict(xt)) : null;
    const data = await xt.data();
    for (let i = 0; i < m && samples.length < opts.count; i++) {
      if (head[i] === predicted && (!aud || aud[i] === audited)) samples.push(rowOf(data, i, size));
    }
    tf.dispose([z, xt]);
    draws += m;
  }
  disposeGaussian(q);
  return { predicted, audited, reconstruction, samples, draws };
}

export interface LatentCounterfactuals {
  center: Float32Array;
  predicted: number;
  /** Each z1 dimension moved by -step and +step (prior standard deviations): images and their labels (SVAE head after re-encoding; audited classifier). */
  dimensions: { dim: number; minus: Float32Array; plus: Float32Array; minusLabel: number; plusLabel: number; minusAudited: number | null; plusAudited: number | null }[];
  /** Per other class, the smallest single-dimension move of z1 that makes the head predict it (null when none within +-maxDelta). */
  perClass: ({ target: number; dim: number; delta: number; image: Float32Array; label: number; audited: number | null } | null)[];
}

export async function latentCounterfactuals(svae: SampleSubject, x: tf.Tensor4D, opts: { step: number; audited?: AuditedModel | null; maxDelta?: number; deltaStep?: number }): Promise<LatentCounterfactuals> {
  const size = svae.config.size;
  const k = svae.config.classNames.length;
  const q = svae.encode(x);
  const mu = Array.from(await q.mu.data());
  disposeGaussian(q);
  const centerT = svae.decode(tf.tensor2d([mu]));
  const center = rowOf(await centerT.data(), 0, size);
  centerT.dispose();
  const predicted = (await labelsOf(svae.classify(x)))[0];

  // Decodes latent rows, then labels the images by the SVAE (re-encoded) and the audited classifier.
  const render = async (rows: number[][]): Promise<{ images: Float32Array[]; labels: Int32Array; audited: Int32Array | null }> => {
    const z = tf.tensor2d(rows);
    const xt = svae.decode(z);
    const labels = await labelsOf(svae.classify(xt));
    const audited = opts.audited ? await labelsOf(opts.audited.predict(xt)) : null;
    const data = await xt.data();
    tf.dispose([z, xt]);
    return { images: rows.map((_, i) => rowOf(data, i, size)), labels, audited };
  };
  const moved = (dim: number, delta: number): number[] => mu.map((v, j) => (j === dim ? v + delta : v));

  const rows: number[][] = [];
  for (let d = 0; d < svae.z1; d++) rows.push(moved(d, -opts.step), moved(d, opts.step));
  const r = await render(rows);
  const dimensions = Array.from({ length: svae.z1 }, (_, d) => ({
    dim: d,
    minus: r.images[2 * d],
    plus: r.images[2 * d + 1],
    minusLabel: r.labels[2 * d],
    plusLabel: r.labels[2 * d + 1],
    minusAudited: r.audited ? r.audited[2 * d] : null,
    plusAudited: r.audited ? r.audited[2 * d + 1] : null,
  }));

  // The head reads z1 directly, so the search over (dimension, delta) needs no decoding.
  const maxDelta = opts.maxDelta ?? 8;
  const dstep = opts.deltaStep ?? 0.25;
  const deltas: number[] = [];
  for (let a = dstep; a <= maxDelta + 1e-9; a += dstep) deltas.push(-a, a);
  const cands: { dim: number; delta: number }[] = [];
  for (let d = 0; d < svae.z1; d++) for (const delta of deltas) cands.push({ dim: d, delta });
  const z1rows = tf.tensor2d(cands.map((c) => moved(c.dim, c.delta).slice(0, svae.z1)));
  const headLabels = await labelsOf(tf.tidy(() => tf.softmax(svae.headLogits(z1rows)) as tf.Tensor2D));
  z1rows.dispose();
  const best: ({ dim: number; delta: number } | null)[] = Array.from({ length: k }, () => null);
  cands.forEach((c, i) => {
    const t = headLabels[i];
    if (t !== predicted && (!best[t] || Math.abs(c.delta) < Math.abs(best[t]!.delta))) best[t] = c;
  });
  const chosen = best.flatMap((b, t) => (b ? [{ ...b, target: t }] : []));
  const rc = chosen.length ? await render(chosen.map((c) => moved(c.dim, c.delta))) : null;
  const perClass = best.map((b, t) => {
    if (!b || !rc) return null;
    const i = chosen.findIndex((c) => c.target === t);
    return { target: t, dim: b.dim, delta: b.delta, image: rc.images[i], label: rc.labels[i], audited: rc.audited ? rc.audited[i] : null };
  });
  return { center, predicted, dimensions, perClass };
}
