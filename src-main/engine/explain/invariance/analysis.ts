// The whole invariance analysis for one SVAE, as the job and the CLI show it: the invariance
// curves, and per query image a gallery of invariantly transformed samples, the latent
// counterfactual strip and the k = 1 / k = 2 divergence maps (PNG data URLs throughout).
import * as tf from '@tensorflow/tfjs';
import type { AttributionMaps, CounterfactualImage, CounterfactualStrip, GalleryEntry, InvarianceAnalysisParams, InvarianceCurves } from '../../../api/schemas/invariance';
import type { ImageSet } from '../../data/image-set';
import { subSeed } from '../../data/synthetic/rng';
import type { AuditedModel } from '../../models/audited-model';
import { imageBatch } from '../../models/batches';
import { saliencyMethods } from '../saliency/registry';
import type { AttributionMethod } from '../../../api/schemas/invariance';
import { DivergenceModel, DIVERGENCE_TARGET } from './divergence-model';
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

/** The saliency suite's settings for Eq. 9 (signed gradients: the sign says whether a pixel raises or lowers the divergence). */
export function divergenceSettings(method: AttributionMethod, p: Pick<InvarianceAnalysisParams, 'igSteps' | 'smoothGradSamples' | 'smoothGradNoise' | 'seed'>): Record<string, unknown> {
  if (method === 'gradient') return { absolute: false };
  if (method === 'integrated-gradients') return { steps: p.igSteps, baseline: 0 };
  if (method === 'smoothgrad') return { base: 'gradient', samples: p.smoothGradSamples, noise: p.smoothGradNoise, seed: p.seed };
  return {};
}

/**
 * Maps of d_k(x, x~) w.r.t. x~ for k = 1 and 2 through the saliency suite (x: one query
 * [1, S, S, 1]; xt: its transformed samples [M, S, S, 1]), with the divergences and diagnostics.
 */
export async function divergenceMaps(
  svae: Svae,
  x: tf.Tensor4D,
  xt: tf.Tensor4D,
  method: AttributionMethod,
  settings: Record<string, unknown>,
): Promise<Record<'k1' | 'k2', { maps: Float32Array[]; divergence: number[]; diagnostics: Record<string, number>[] }>> {
  const out = {} as Record<'k1' | 'k2', { maps: Float32Array[]; divergence: number[]; diagnostics: Record<string, number>[] }>;
  for (const k of [1, 2] as const) {
    const model = new DivergenceModel(svae, x, k);
    try {
      const r = await saliencyMethods.get(method).attribute({ model, x: xt, targets: Array(xt.shape[0]).fill(DIVERGENCE_TARGET) }, settings);
      const d = model.predict(xt);
      const v = await d.data();
      d.dispose();
      out[k === 1 ? 'k1' : 'k2'] = { maps: r.maps, divergence: Array.from({ length: xt.shape[0] }, (_, i) => v[2 * i + 1]), diagnostics: r.diagnostics };
    } finally {
      model.dispose();
    }
  }
  return out;
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
      try {
        for (const method of p.methods) {
          const m = await divergenceMaps(svae, x, xt, method, divergenceSettings(method, p));
          maps.push({
            index,
            method,
            k1: await divergingPng(m.k1.maps[0], size),
            k2: await divergingPng(m.k2.maps[0], size),
            sample: await greyPng(sample, size),
            divergence: { k1: m.k1.divergence[0], k2: m.k2.divergence[0] },
            diagnostics: { k1: m.k1.diagnostics[0], k2: m.k2.diagnostics[0] },
          });
        }
      } finally {
        xt.dispose();
      }
    } finally {
      x.dispose();
    }
  }
  progress('done', 1);
  return { curves, gallery, counterfactuals, maps };
}
