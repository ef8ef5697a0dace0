// The whole invariance analysis for one SVAE, as the job and the CLI show it: the invariance
// curves, and per query image a gallery of invariantly transformed samples, the latent
// counterfactual strip and the k = 1 / k = 2 divergence maps (PNG data URLs throughout).
import * as tf from '@tensorflow/tfjs';
import type { AttributionMaps, CounterfactualImage, CounterfactualStrip, GalleryEntry, InvarianceAnalysisParams, InvarianceCurves } from '../../../api/schemas/invariance';
import type { ImageSet } from '../../data/image-set';
import { subSeed } from '../../data/synthetic/rng';
import type { AuditedModel } from '../../models/audited-model';
import { imageBatch } from '../../models/batches';
import { attributeDivergence, divergenceFn } from './attribution';
import { surrogatePredictions } from './evaluate';
import { invarianceTest } from './invariance-test';
import type { M2Vae } from './m2';
import { divergingPng, greyPng } from './png';
import { invariantSamples, latentCounterfactuals } from './samples';
import type { Svae } from './svae';

export interface AnalysisRequest {
  svae: Svae;
  m2?: M2Vae | null;
  audited?: AuditedModel | null;
  set: ImageSet;
  /** Rows of the invariance test. */
  testRows: number[];
  params: InvarianceAnalysisParams;
  hooks?: { progress?(stage: string, fraction: number): void; checkpoint?(): Promise<void> };
}

export interface AnalysisOutput {
  curves: InvarianceCurves;
  gallery: GalleryEntry[];
  counterfactuals: CounterfactualStrip[];
  maps: AttributionMaps[];
}

/** The first test row the SVAE assigns to each class, up to `max` (so the gallery shows several classes). */
async function defaultQueries(svae: Svae, set: ImageSet, rows: number[], max: number): Promise<number[]> {
  const head = rows.slice(0, 400);
  const pred = await surrogatePredictions(svae, set, head);
  const seen = new Set<number>();
  const out: number[] = [];
  head.forEach((r, j) => {
    if (out.length < max && !seen.has(pred[j])) {
      seen.add(pred[j]);
      out.push(r);
    }
  });
  return out;
}

export async function analyseInvariances(req: AnalysisRequest): Promise<AnalysisOutput> {
  const { svae, set, params: p } = req;
  const size = svae.config.size;
  const names = svae.config.classNames;
  const name = (c: number | null): string | null => (c === null ? null : names[c]);
  const progress = (stage: string, f: number): void => req.hooks?.progress?.(stage, f);
  const curves = await invarianceTest({
    svae,
    set,
    rows: req.testRows,
    sigmas: p.sigmas,
    seed: p.seed,
    audited: req.audited,
    m2: req.m2,
    hooks: { progress: (f) => progress('invariance test', 0.6 * f), checkpoint: req.hooks?.checkpoint },
  });
  const queries = p.queries ?? (await defaultQueries(svae, set, req.testRows, 4));
  const gallery: GalleryEntry[] = [];
  const counterfactuals: CounterfactualStrip[] = [];
  const maps: AttributionMaps[] = [];
  for (const [qi, index] of queries.entries()) {
    await req.hooks?.checkpoint?.();
    progress(`query ${qi + 1}/${queries.length}`, 0.6 + (0.4 * qi) / queries.length);
    const x = imageBatch(set, [index], size);
    try {
      const g = await invariantSamples(svae, x, { count: p.galleryPerQuery, sigma: p.gallerySigma, seed: subSeed(p.seed, index), audited: req.audited });
      const original = await x.data();
      gallery.push({
        index,
        id: set.ids[index],
        label: set.classNames[set.labels[index]],
        predicted: names[g.predicted],
        audited: name(g.audited),
        original: await greyPng(original, size),
        reconstruction: await greyPng(g.reconstruction, size),
        samples: await Promise.all(g.samples.map((s) => greyPng(s, size))),
        draws: g.draws,
      });
      const cf = await latentCounterfactuals(svae, x, { step: p.counterfactualStep, audited: req.audited });
      const img = async (image: Float32Array, label: number, audited: number | null): Promise<CounterfactualImage> => ({ image: await greyPng(image, size), label: names[label], audited: name(audited) });
      counterfactuals.push({
        index,
        center: await greyPng(cf.center, size),
        predicted: names[cf.predicted],
        step: p.counterfactualStep,
        dimensions: await Promise.all(cf.dimensions.map(async (d) => ({ dim: d.dim, minus: await img(d.minus, d.minusLabel, d.minusAudited), plus: await img(d.plus, d.plusLabel, d.plusAudited) }))),
        perClass: await Promise.all(cf.perClass.flatMap((c) => (c ? [c] : [])).map(async (c) => ({ ...(await img(c.image, c.label, c.audited)), target: names[c.target], dim: c.dim, delta: c.delta }))),
      });
      // Eq. 9 at the first kept sample (the reconstruction when no draw kept the label).
      const sample = g.samples[0] ?? g.reconstruction;
      const xt = tf.tensor4d(sample, [1, size, size, 1]);
      const divergence = { k1: 0, k2: 0 };
      for (const k of [1, 2] as const) {
        const d = divergenceFn(svae, x, k);
        const v = d.f(xt);
        divergence[k === 1 ? 'k1' : 'k2'] = (await v.data())[0];
        tf.dispose(v);
        d.dispose();
      }
      for (const method of p.methods) {
        const a1 = attributeDivergence(svae, x, xt, 1, method, { igSteps: p.igSteps, smoothGradSamples: p.smoothGradSamples, smoothGradNoise: p.smoothGradNoise, seed: p.seed });
        const a2 = attributeDivergence(svae, x, xt, 2, method, { igSteps: p.igSteps, smoothGradSamples: p.smoothGradSamples, smoothGradNoise: p.smoothGradNoise, seed: p.seed });
        maps.push({ index, method, k1: await divergingPng(await a1.data(), size), k2: await divergingPng(await a2.data(), size), sample: await greyPng(sample, size), divergence });
        tf.dispose([a1, a2]);
      }
      xt.dispose();
    } finally {
      x.dispose();
    }
  }
  progress('done', 1);
  return { curves, gallery, counterfactuals, maps };
}
