// PneumoniaMNIST with a burned-in marker (the demo's shortcut) as the spurious correlate. The
// observational data are the train split marked on 90% of positives and 10% of negatives; the
// classifier under audit is the shipped shortcut-demo model; the scripted agent answers with the
// label of the image without the marker (the label of the image a query was made from). C (one
// hidden layer) comes from Algorithm 1 (answers averaged over 50 queries per observational class)
// and Algorithm 2 (continuous manipulations projected to 0..1).
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { CausalFeaturesParams } from '../../../api/schemas/causal-features';
import { loadDemoPneumonia } from '../../data/importers/medmnist';
import { addMarker, markerBox, paintMarker, shortcutRates } from '../../data/synthetic/marker';
import { subSeed } from '../../data/synthetic/rng';
import type { ImageSet } from '../../data/image-set';
import { EngineError } from '../../jobs/errors';
import { loadAuditedModel } from '../../models/load';
import { modelsDir, resourcesDir } from '../../resources';
import { labelAgent, rescaledAgent } from './agents';
import { causalPartition, trainCausalPredictor } from './algorithm1';
import { learnManipulator } from './algorithm2';
import { auditVerdict, featureEffect, type Effect } from './effects';
import type { CausalFeaturesResult, RunHooks } from './grating-experiment';
import { mapImages, type Images } from './images';
import { examplePairs } from './png';
import { quantileSorted, resampleStatistics } from '../../metrics/bootstrap';

/** Rows of an ImageSet as 0..1 images. */
export function toImages(set: ImageSet, rows: ArrayLike<number>): Images {
  const n = set.size * set.size;
  const data = new Float32Array(rows.length * n);
  for (let j = 0; j < rows.length; j++) for (let p = 0; p < n; p++) data[j * n + p] = set.images[rows[j] * n + p] / 255;
  return { size: set.size, data };
}

/** Mean output on positives minus on negatives, with a class-stratified bootstrap interval. */
export function labelEffect(out: Float32Array, labels: Int32Array, o: { resamples: number; seed: number }): Effect {
  const diff = (idx: ArrayLike<number>): number => {
    let sp = 0, np = 0, sn = 0, nn = 0;
    for (let k = 0; k < idx.length; k++) {
      const v = out[idx[k]];
      if (labels[idx[k]]) {
        sp += v;
        np++;
      } else {
        sn += v;
        nn++;
      }
    }
    return sp / np - sn / nn;
  };
  const draws = Float64Array.from(resampleStatistics(out.length, (idx) => [diff(idx)], { ...o, strata: labels })[0]).sort();
  return { mean: diff(Array.from({ length: out.length }, (_, k) => k)), lo: quantileSorted(draws, 0.025), hi: quantileSorted(draws, 0.975), n: out.length };
}

export async function runPneumoniaMarker(p: CausalFeaturesParams, hooks: RunHooks = {}): Promise<CausalFeaturesResult> {
  const t0 = Date.now();
  const say = hooks.progress ?? (() => undefined);
  say('loading PneumoniaMNIST and the shortcut model', 0.02);
  const raw = loadDemoPneumonia(resourcesDir());
  const set = addMarker(raw, { rates: { train: shortcutRates() }, seed: subSeed(p.seed, 1) });
  const rowsOf = (s: string): number[] => set.split.flatMap((x, i) => (x === s ? [i] : []));
  const trainRows = rowsOf('train');
  const testRows = rowsOf('test').slice(0, p.testImages);
  if (!trainRows.length || !testRows.length) throw new EngineError('bad_input', 'the demo set needs train and test splits');
  const obs = toImages(set, trainRows);
  const labels = Int32Array.from(trainRows, (r) => (set.labels[r] === set.positiveClass ? 1 : 0));
  const model = await loadAuditedModel(path.join(modelsDir(), 'shortcut-demo'));
  const F = async (im: Images): Promise<Float32Array> => {
    const out = new Float32Array(im.data.length / (im.size * im.size));
    for (let b = 0; b < out.length; b += 256) {
      const m = Math.min(256, out.length - b);
      const x = tf.tensor4d(im.data.subarray(b * im.size * im.size, (b + m) * im.size * im.size), [m, im.size, im.size, 1]);
      const y = model.predict(x);
      const v = await y.data();
      for (let k = 0; k < m; k++) out[b + k] = v[k * model.classNames.length + model.positiveClass];
      tf.dispose([x, y]);
    }
    return out;
  };
  try {
    say('causal queries (Algorithm 1)', 0.1);
    const agent = labelAgent(labels);
    const cp = causalPartition(obs, await F(obs), agent, { queriesPerClass: 50, tolerance: 0.1 });
    if (cp.causalValues.length < 2) throw new EngineError('internal', `Algorithm 1 found ${cp.causalValues.length} causal class; the manipulator needs two`);
    const [lo, hi] = [0, 1]; // the agent answers 0/1 labels: no rescaling
    const unit = Float32Array.from(cp.targets, (v) => (v - lo) / (hi - lo));
    const c = await trainCausalPredictor(obs, unit, { epochs: Math.min(p.epochs, 10), seed: subSeed(p.seed, 3), hidden: p.hidden, learningRate: 1e-3 });
    try {
      await hooks.checkpoint?.();
      const alg2 = await learnManipulator(c, { images: obs, targets: unit, sources: Int32Array.from(trainRows, (_, k) => k) }, cp.causalValues.map((v) => (v - lo) / (hi - lo)), rescaledAgent(agent, lo, hi), {
        iterations: p.iterations,
        queries: p.queries,
        alpha: p.alpha,
        epochs: Math.min(p.retrainEpochs, 3),
        binarise: false,
        seed: subSeed(p.seed, 4),
        onIteration: async (s) => {
          say(`manipulator iteration ${s.iteration}/${p.iterations}`, 0.15 + (0.75 * s.iteration) / p.iterations, { merr: s.merr, mdist: s.mdist });
          await hooks.checkpoint?.();
        },
      });
      say('feature effects', 0.92);
      const test = toImages(raw, testRows);
      const testLabels = Int32Array.from(testRows, (r) => (raw.labels[r] === raw.positiveClass ? 1 : 0));
      const box = markerBox(set.size);
      const marked = mapImages(test, (img) => {
        const u = new Uint8Array(img.length);
        paintMarker(u, set.size, box, 255);
        for (let q = 0; q < img.length; q++) if (u[q]) img[q] = 1;
      });
      const bs = { resamples: p.bootstrap, seed: p.seed };
      const C = (im: Images): Float32Array => c.predict(im).map((v) => lo + (hi - lo) * v);
      const effects = {
        marker_causal: await featureEffect(C, test, marked, bs),
        marker_observational: await featureEffect(F, test, marked, bs),
        label_causal: labelEffect(C(test), testLabels, bs),
        label_observational: labelEffect(await F(test), testLabels, bs),
      };
      const names = { causal: 'pneumonia (positive vs negative images)', nonCausal: 'the burned-in marker' };
      return {
        experiment: 'pneumonia-marker',
        seed: p.seed,
        observationalClasses: cp.observational.means.map((mean, m) => ({ mean, size: cp.observational.sizes[m], answer: cp.answers[m], causalClass: cp.causalOfObservational[m] })),
        causalValues: cp.causalValues,
        curves: alg2.iterations,
        effects,
        verdicts: {
          observational: auditVerdict(effects.label_observational, effects.marker_observational, names),
          causal: auditVerdict(effects.label_causal, effects.marker_causal, names),
        },
        examples: {
          first: alg2.first ? await examplePairs(alg2.first, p.examples, 4) : [],
          last: alg2.last ? await examplePairs(alg2.last, p.examples, 4) : [],
        },
        seconds: (Date.now() - t0) / 1000,
      };
    } finally {
      c.dispose();
    }
  } finally {
    model.dispose();
  }
}
