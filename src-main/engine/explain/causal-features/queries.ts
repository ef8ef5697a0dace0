// Causal queries for the human agent (seed 001: the MTurk experiment done by the auditor). Sets
// up C as the experiments do (observational network -> Algorithm 1 with the scripted agent's
// few representative queries -> C), then makes one Algorithm 2 batch: starting points from the
// observational data, a target in the other causal class, the manipulator's images. The
// auditor answers whether the causal feature is present in each manipulated image; the
// scripted agent's answer is kept beside it (`truth`) for the agreement in the report.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { CausalQueriesParams, StoredBatch } from '../../../api/schemas/causal-queries';
import { GRATING_WEIGHT_DECAY } from '../../../api/schemas/causal-features';
import { loadDemoPneumonia } from '../../data/importers/medmnist';
import { addMarker, markerBox, paintMarker, shortcutRates } from '../../data/synthetic/marker';
import { makeRng, subSeed } from '../../data/synthetic/rng';
import { EngineError } from '../../jobs/errors';
import { loadAuditedModel } from '../../models/load';
import { modelsDir, resourcesDir } from '../../resources';
import { gratingAgent, labelAgent, rescaledAgent, type Agent } from './agents';
import { causalPartition, trainCausalPredictor } from './algorithm1';
import { addFeature } from './grating-experiment';
import { hasHbar, hasVbar, paintHbar, paintVbar, pObservational, sampleGrating } from './grating';
import { auditVerdict, featureEffect, type Effect, type Verdict } from './effects';
import { countOf, imageAt, mapImages, pick, pixels, type Images } from './images';
import { manipulate } from './manipulator';
import { Mlp } from './mlp';
import { nearest } from './observational';
import { labelEffect, toImages } from './pneumonia-experiment';
import { pngDataUrl } from './png';

/** C trained by Algorithm 1 on an experiment's observational data; targets on a 0..1 scale. */
export interface CausalSetup {
  images: Images;
  /** D_csl targets rescaled to 0 (lowest causal class) .. 1 (highest). */
  unit: Float32Array;
  /** The observational row of every image (for the scripted agent). */
  sources: Int32Array;
  causalValues: [number, number];
  /** The scripted agent, answering on the 0..1 scale. */
  agent: Agent;
  c: Mlp;
  /** The classifier under audit (the observational network, or the shortcut demo model). */
  audited: (im: Images) => Promise<Float32Array>;
  binarise: boolean;
  /** Upscaling of the PNGs shown to the auditor. */
  scale: number;
  feature: string;
  question: string;
  /**
   * Feature effects on test images of `predictor` (C on its unit scale, mapped here to P(T | do))
   * and of the classifier under audit, with the verdicts (as the experiments report them).
   */
  effects(predictor: (im: Images) => Float32Array, o: { testImages: number; bootstrap: number }): Promise<{ effects: Record<string, Effect>; verdicts: { observational: Verdict; causal: Verdict } }>;
  dispose(): void;
}

type SetupParams = Pick<CausalQueriesParams, 'experiment' | 'seed' | 'observational' | 'hidden' | 'epochs'>;

function twoClasses(values: number[]): [number, number] {
  if (values.length !== 2) throw new EngineError('internal', `Algorithm 1 found ${values.length} causal classes; present/absent queries need exactly two`);
  return [values[0], values[1]];
}

async function gratingSetup(p: SetupParams): Promise<CausalSetup> {
  const obs = sampleGrating(p.observational, p.seed);
  const n = pixels(obs.images);
  const pObs = Float32Array.from({ length: p.observational }, (_, k) => pObservational(imageAt(obs.images, k)));
  const f = new Mlp(n, p.hidden, subSeed(p.seed, 1), 3e-3);
  try {
    await f.train(obs.images, pObs, { epochs: 20, seed: subSeed(p.seed, 2) });
    const cp = causalPartition(obs.images, f.predict(obs.images), gratingAgent);
    const [lo, hi] = twoClasses(cp.causalValues);
    const unit = Float32Array.from(cp.targets, (v) => (v - lo) / (hi - lo));
    const c = await trainCausalPredictor(obs.images, unit, { epochs: p.epochs, seed: subSeed(p.seed, 3), hidden: p.hidden, weightDecay: GRATING_WEIGHT_DECAY });
    return {
      images: obs.images,
      unit,
      sources: Int32Array.from({ length: p.observational }, (_, k) => k),
      causalValues: [lo, hi],
      agent: rescaledAgent(gratingAgent, lo, hi),
      c,
      audited: async (im) => f.predict(im),
      binarise: true,
      scale: 8,
      feature: 'a complete horizontal bar (h-bar)',
      question: 'Is the causal feature, a complete horizontal bar, present in the manipulated image?',
      effects: async (predictor, o) => {
        const test = sampleGrating(o.testImages, subSeed(p.seed, 6)).images;
        const h = addFeature(test, (im) => hasHbar(im, test.size), (im, r) => paintHbar(im, r, test.size), subSeed(p.seed, 7));
        const v = addFeature(test, (im) => hasVbar(im, test.size), (im, col) => paintVbar(im, col, test.size), subSeed(p.seed, 8));
        const bs = { resamples: o.bootstrap, seed: p.seed };
        const C = (im: Images): Float32Array => predictor(im).map((x) => lo + (hi - lo) * x);
        const F = (im: Images): Float32Array => f.predict(im);
        const effects = {
          hbar_causal: await featureEffect(C, h.originals, h.edited, bs),
          vbar_causal: await featureEffect(C, v.originals, v.edited, bs),
          hbar_observational: await featureEffect(F, h.originals, h.edited, bs),
          vbar_observational: await featureEffect(F, v.originals, v.edited, bs),
        };
        const names = { causal: 'an h-bar', nonCausal: 'a v-bar' };
        return {
          effects,
          verdicts: { observational: auditVerdict(effects.hbar_observational, effects.vbar_observational, names), causal: auditVerdict(effects.hbar_causal, effects.vbar_causal, names) },
        };
      },
      dispose: () => {
        c.dispose();
        f.dispose();
      },
    };
  } catch (e) {
    f.dispose();
    throw e;
  }
}

async function pneumoniaSetup(p: SetupParams): Promise<CausalSetup> {
  const raw = loadDemoPneumonia(resourcesDir());
  const set = addMarker(raw, { rates: { train: shortcutRates() }, seed: subSeed(p.seed, 1) });
  const trainRows = set.split.flatMap((x, i) => (x === 'train' ? [i] : []));
  if (!trainRows.length) throw new EngineError('bad_input', 'the demo set has no train split');
  const obs = toImages(set, trainRows);
  const labels = Int32Array.from(trainRows, (r) => (set.labels[r] === set.positiveClass ? 1 : 0));
  const model = await loadAuditedModel(path.join(modelsDir(), 'shortcut-demo'));
  const audited = async (im: Images): Promise<Float32Array> => {
    const out = new Float32Array(countOf(im));
    const px = pixels(im);
    for (let b = 0; b < out.length; b += 256) {
      const m = Math.min(256, out.length - b);
      const x = tf.tensor4d(im.data.subarray(b * px, (b + m) * px), [m, im.size, im.size, 1]);
      const y = model.predict(x);
      const v = await y.data();
      for (let k = 0; k < m; k++) out[b + k] = v[k * model.classNames.length + model.positiveClass];
      tf.dispose([x, y]);
    }
    return out;
  };
  try {
    const agent = labelAgent(labels);
    const cp = causalPartition(obs, await audited(obs), agent, { queriesPerClass: 50, tolerance: 0.1 });
    twoClasses(cp.causalValues);
    // The agent answers 0/1 labels: the causal values are already on the unit scale.
    const unit = Float32Array.from(cp.targets);
    const c = await trainCausalPredictor(obs, unit, { epochs: Math.min(p.epochs, 10), seed: subSeed(p.seed, 3), hidden: p.hidden, learningRate: 1e-3 });
    return {
      images: obs,
      unit,
      sources: Int32Array.from(trainRows, (_, k) => k),
      causalValues: [0, 1],
      agent: rescaledAgent(agent, 0, 1),
      c,
      audited,
      binarise: false,
      scale: 4,
      feature: 'signs of pneumonia',
      question: 'Is the causal feature, signs of pneumonia, present in the manipulated X-ray?',
      effects: async (predictor, o) => {
        const testRows = raw.split.flatMap((x, i) => (x === 'test' ? [i] : [])).slice(0, o.testImages);
        const test = toImages(raw, testRows);
        const labelsTest = Int32Array.from(testRows, (r) => (raw.labels[r] === raw.positiveClass ? 1 : 0));
        const box = markerBox(raw.size);
        const marked = mapImages(test, (img) => {
          const u = new Uint8Array(img.length);
          paintMarker(u, raw.size, box, 255);
          for (let q = 0; q < img.length; q++) if (u[q]) img[q] = 1;
        });
        const bs = { resamples: o.bootstrap, seed: p.seed };
        const effects = {
          marker_causal: await featureEffect(predictor, test, marked, bs),
          marker_observational: await featureEffect(audited, test, marked, bs),
          label_causal: labelEffect(predictor(test), labelsTest, bs),
          label_observational: labelEffect(await audited(test), labelsTest, bs),
        };
        const names = { causal: 'pneumonia (positive vs negative images)', nonCausal: 'the burned-in marker' };
        return {
          effects,
          verdicts: { observational: auditVerdict(effects.label_observational, effects.marker_observational, names), causal: auditVerdict(effects.label_causal, effects.marker_causal, names) },
        };
      },
      dispose: () => {
        c.dispose();
        model.dispose();
      },
    };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

export function causalSetup(p: SetupParams): Promise<CausalSetup> {
  return p.experiment === 'grating' ? gratingSetup(p) : pneumoniaSetup(p);
}

/** One manipulation batch: starting rows, originals, manipulated images, classes. */
export interface QueryBatchImages {
  rows: number[];
  originals: Images;
  manipulated: Images;
  fromClass: Int32Array;
  targetClass: Int32Array;
  prediction: Float32Array;
}

/** Algorithm 2 steps 3-7 once: `count` starting points, each pushed towards the other causal class. */
export function manipulationBatch(s: CausalSetup, count: number, alpha: number, seed: number): QueryBatchImages {
  const rng = makeRng(seed);
  const n = s.unit.length;
  const rows = Array.from({ length: count }, () => Math.floor(rng() * n));
  const fromClass = Int32Array.from(rows, (r) => nearest([0, 1], s.unit[r]));
  const targetClass = Int32Array.from(fromClass, (f) => 1 - f);
  const originals = pick(s.images, rows);
  const manipulated = manipulate(s.c, originals, Array.from(targetClass), { alpha, binarise: s.binarise });
  return { rows, originals, manipulated, fromClass, targetClass, prediction: s.c.predict(manipulated) };
}

const toBase64 = (im: Images): string => Buffer.from(Uint8Array.from(im.data, (v) => Math.round(255 * Math.min(1, Math.max(0, v))))).toString('base64');

export function fromBase64(b64: string, size: number): Images {
  const u = Buffer.from(b64, 'base64');
  return { size, data: Float32Array.from(u, (v) => v / 255) };
}

/** A stored batch (the blob) from a setup and its manipulations. */
export async function storedBatch(batchId: string, p: CausalQueriesParams, s: CausalSetup, b: QueryBatchImages): Promise<StoredBatch> {
  const truth = s.agent.query(b.manipulated, Int32Array.from(b.rows, (r) => s.sources[r]));
  const n = pixels(b.originals);
  const queries: StoredBatch['queries'] = [];
  for (let k = 0; k < b.rows.length; k++) {
    const o = imageAt(b.originals, k);
    const m = imageAt(b.manipulated, k);
    let changed = 0;
    for (let q = 0; q < n; q++) if (Math.abs(o[q] - m[q]) > 0.5) changed++;
    queries.push({
      index: k,
      original: await pngDataUrl(o, b.originals.size, s.scale),
      manipulated: await pngDataUrl(m, b.manipulated.size, s.scale),
      fromClass: b.fromClass[k],
      targetClass: b.targetClass[k],
      prediction: b.prediction[k],
      changed: changed / n,
      truth: truth[k] >= 0.5 ? 'present' : 'absent',
    });
  }
  return {
    batchId,
    experiment: p.experiment,
    seed: p.seed,
    question: s.question,
    feature: s.feature,
    causalValues: s.causalValues,
    params: { ...p },
    createdAt: new Date().toISOString(),
    size: b.originals.size,
    pixels: { originals: toBase64(b.originals), manipulated: toBase64(b.manipulated) },
    queries,
  };
}
