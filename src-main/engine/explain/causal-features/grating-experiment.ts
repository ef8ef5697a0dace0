// GRATING end to end (seed 001 section 4.1): observational network -> observational partition ->
// Algorithm 1 (causal partition, C) -> Algorithm 2 (manipulator, MErr/MDist per iteration) ->
// effects of adding an h-bar (the cause) and a v-bar (the spurious correlate) on C and on the
// observational network, with the audit verdict on the latter.
import { EngineError } from '../../jobs/errors';
import { makeRng, subSeed } from '../../data/synthetic/rng';
import type { CausalFeaturesParams } from '../../../api/schemas/causal-features';
import { gratingAgent, rescaledAgent } from './agents';
import { causalPartition, trainCausalPredictor } from './algorithm1';
import { learnManipulator, type IterationStats } from './algorithm2';
import { auditVerdict, featureEffect, type Effect, type Verdict } from './effects';
import { hasHbar, hasVbar, paintHbar, paintVbar, pObservational, sampleGrating } from './grating';
import { countOf, imageAt, mapImages, pick, type Images } from './images';
import { Mlp } from './mlp';
import { examplePairs, type ExamplePair } from './png';

export interface RunHooks {
  progress?: (stage: string, fraction: number, metrics?: Record<string, number>) => void;
  checkpoint?: () => Promise<void>;
}

export interface ObservationalClassInfo {
  mean: number;
  size: number;
  /** The agent's answer P(T | do) for the class's representative(s). */
  answer: number;
  causalClass: number;
}

export interface CausalFeaturesResult {
  experiment: 'grating' | 'pneumonia-marker';
  seed: number;
  observationalClasses: ObservationalClassInfo[];
  /** P(T | do) per causal class. */
  causalValues: number[];
  curves: IterationStats[];
  /** Named feature effects (mean output change, 95% bootstrap interval). */
  effects: Record<string, Effect>;
  /** Verdicts on the classifier under audit (the observational one) and on C. */
  verdicts: { observational: Verdict; causal: Verdict };
  examples: { first: ExamplePair[]; last: ExamplePair[] };
  seconds: number;
}

/** Copies of the images lacking a feature, with it painted at a random place. */
export function addFeature(images: Images, has: (img: Float32Array) => boolean, paint: (img: Float32Array, at: number) => void, seed: number): { originals: Images; edited: Images } {
  const rows: number[] = [];
  for (let k = 0; k < countOf(images); k++) if (!has(imageAt(images, k))) rows.push(k);
  const originals = pick(images, rows);
  const rng = makeRng(seed);
  return { originals, edited: mapImages(originals, (img) => paint(img, Math.floor(rng() * images.size))) };
}

export async function runGrating(p: CausalFeaturesParams, hooks: RunHooks = {}): Promise<CausalFeaturesResult> {
  const t0 = Date.now();
  const say = hooks.progress ?? (() => undefined);
  const obs = sampleGrating(p.observational, p.seed);
  const n = obs.images.size * obs.images.size;
  // Observational data as in Algorithm 1's input: (i, p(T | i)).
  say('observational network', 0.02);
  const pObs = Float32Array.from({ length: p.observational }, (_, k) => pObservational(imageAt(obs.images, k)));
  const f = new Mlp(n, p.hidden, subSeed(p.seed, 1), 3e-3);
  try {
    await f.train(obs.images, pObs, { epochs: 20, seed: subSeed(p.seed, 2) });
    await hooks.checkpoint?.();
    say('causal queries (Algorithm 1)', 0.1);
    const cp = causalPartition(obs.images, f.predict(obs.images), gratingAgent);
    if (cp.causalValues.length < 2) throw new EngineError('internal', `Algorithm 1 found ${cp.causalValues.length} causal class; the manipulator needs two`);
    // C learns the causal value rescaled to 0..1 (lowest causal class 0, highest 1): sharper
    // targets than 0.25/0.85, and P(T | do) = lo + (hi - lo) C(i).
    const [lo, hi] = [cp.causalValues[0], cp.causalValues[cp.causalValues.length - 1]];
    const unit = Float32Array.from(cp.targets, (v) => (v - lo) / (hi - lo));
    const c = await trainCausalPredictor(obs.images, unit, { epochs: p.epochs, seed: subSeed(p.seed, 3), hidden: p.hidden, weightDecay: p.weightDecay });
    try {
      await hooks.checkpoint?.();
      const alg2 = await learnManipulator(c, { images: obs.images, targets: unit, sources: Int32Array.from({ length: p.observational }, (_, k) => k) }, cp.causalValues.map((v) => (v - lo) / (hi - lo)), rescaledAgent(gratingAgent, lo, hi), {
        iterations: p.iterations,
        queries: p.queries,
        alpha: p.alpha,
        epochs: p.retrainEpochs,
        binarise: true,
        seed: subSeed(p.seed, 4),
        onIteration: async (s) => {
          say(`manipulator iteration ${s.iteration}/${p.iterations}`, 0.15 + (0.75 * s.iteration) / p.iterations, { merr: s.merr, mdist: s.mdist });
          await hooks.checkpoint?.();
        },
      });
      // Retrain C on the final D_csl before measuring it.
      await c.train(alg2.data.images, alg2.data.targets, { epochs: p.retrainEpochs, seed: subSeed(p.seed, 5) });
      say('feature effects', 0.92);
      const test = sampleGrating(p.testImages, subSeed(p.seed, 6)).images;
      const h = addFeature(test, (im) => hasHbar(im, test.size), (im, r) => paintHbar(im, r, test.size), subSeed(p.seed, 7));
      const v = addFeature(test, (im) => hasVbar(im, test.size), (im, col) => paintVbar(im, col, test.size), subSeed(p.seed, 8));
      const bs = { resamples: p.bootstrap, seed: p.seed };
      const C = (im: Images): Float32Array => c.predict(im).map((v) => lo + (hi - lo) * v);
      const F = (im: Images): Float32Array => f.predict(im);
      const effects = {
        hbar_causal: await featureEffect(C, h.originals, h.edited, bs),
        vbar_causal: await featureEffect(C, v.originals, v.edited, bs),
        hbar_observational: await featureEffect(F, h.originals, h.edited, bs),
        vbar_observational: await featureEffect(F, v.originals, v.edited, bs),
      };
      const names = { causal: 'an h-bar', nonCausal: 'a v-bar' };
      const scale = 8;
      return {
        experiment: 'grating',
        seed: p.seed,
        observationalClasses: cp.observational.means.map((mean, m) => ({ mean, size: cp.observational.sizes[m], answer: cp.answers[m], causalClass: cp.causalOfObservational[m] })),
        causalValues: cp.causalValues,
        curves: alg2.iterations,
        effects,
        verdicts: {
          observational: auditVerdict(effects.hbar_observational, effects.vbar_observational, names),
          causal: auditVerdict(effects.hbar_causal, effects.vbar_causal, names),
        },
        examples: {
          first: alg2.first ? await examplePairs(alg2.first, p.examples, scale) : [],
          last: alg2.last ? await examplePairs(alg2.last, p.examples, scale) : [],
        },
        seconds: (Date.now() - t0) / 1000,
      };
    } finally {
      c.dispose();
    }
  } finally {
    f.dispose();
  }
}
