// Algorithm 2 of seed 001 (manipulator function learning): each iteration retrains C on D_csl
// (the first uses Algorithm 1's C as it is), picks Q starting points from D_csl with targets in
// another causal class, manipulates them, asks the agent, adds the answers to D_csl, and records
// MErr and MDist (Eqs. 2-3).
import type { Agent } from './agents';
import { concatImages, pick, type Images } from './images';
import { manipulate, type ManipulateOptions } from './manipulator';
import { merr, mdist } from './metrics';
import type { Mlp } from './mlp';
import { nearest } from './observational';
import { makeRng, subSeed } from '../../data/synthetic/rng';

/** The growing causal data set: images, causal targets, and the observational row each came from. */
export interface CausalData {
  images: Images;
  targets: Float32Array;
  sources: Int32Array;
}

export interface IterationStats {
  iteration: number;
  merr: number;
  mdist: number;
  /** MErr per direction, keyed by 'from->to' causal class indices. */
  merrByDirection: Record<string, number>;
}

export interface ManipulationBatch {
  originals: Images;
  manipulated: Images;
  fromClass: Int32Array;
  targetClass: Int32Array;
  answerClass: Int32Array;
}

export interface Algorithm2Options extends ManipulateOptions {
  iterations?: number;
  /** Queries per iteration (the seed: 100). */
  queries?: number;
  /** Epochs of each retraining of C. */
  epochs?: number;
  /** Share of each retraining epoch given to the queried (manipulated) images, by repeating them (default 0.5; 0: plain D_csl). */
  queryShare?: number;
  seed: number;
  /** Called after each iteration; may await a checkpoint (cancellation). */
  onIteration?: (s: IterationStats, batch: ManipulationBatch) => Promise<void> | void;
}

export interface Algorithm2Result {
  data: CausalData;
  iterations: IterationStats[];
  /** The first and the last iteration's manipulations. */
  first: ManipulationBatch | null;
  last: ManipulationBatch | null;
}

export async function learnManipulator(c: Mlp, data0: CausalData, causalValues: number[], agent: Agent, o: Algorithm2Options): Promise<Algorithm2Result> {
  const iterations = o.iterations ?? 20;
  const q = o.queries ?? 100;
  let data = data0;
  const stats: IterationStats[] = [];
  let first: ManipulationBatch | null = null;
  let last: ManipulationBatch | null = null;
  for (let l = 1; l <= iterations; l++) {
    const rng = makeRng(subSeed(o.seed, l));
    if (l > 1) {
      const t = retrainingSet(data, data0.targets.length, o.queryShare ?? 0.5);
      await c.train(t.images, t.targets, { epochs: o.epochs ?? 5, seed: subSeed(o.seed, l, 1) });
    }
    // Step 3-4: starting points and targets in another causal class.
    const n = data.targets.length;
    const rows = Array.from({ length: q }, () => Math.floor(rng() * n));
    const fromClass = Int32Array.from(rows, (r) => nearest(causalValues, data.targets[r]));
    const targetClass = Int32Array.from(fromClass, (f) => {
      const k = Math.floor(rng() * (causalValues.length - 1));
      return k >= f ? k + 1 : k;
    });
    const originals = pick(data.images, rows);
    // Steps 5-7: manipulations.
    const manipulated = manipulate(c, originals, Array.from(targetClass, (t) => causalValues[t]), o);
    // Step 8: causal queries, D_csl grows.
    const sources = Int32Array.from(rows, (r) => data.sources[r]);
    const answers = agent.query(manipulated, sources);
    const answerClass = Int32Array.from(answers, (a) => nearest(causalValues, a));
    data = {
      images: concatImages(data.images, manipulated),
      targets: Float32Array.from([...data.targets, ...answers]),
      sources: Int32Array.from([...data.sources, ...sources]),
    };
    const byDir: Record<string, number[]> = {};
    fromClass.forEach((f, k) => (byDir[`${f}->${targetClass[k]}`] ??= []).push(answerClass[k] === targetClass[k] ? 0 : 1));
    const s: IterationStats = {
      iteration: l,
      merr: merr(Array.from(answerClass, (a, k) => (a === targetClass[k] ? 0 : 1)), new Array<number>(q).fill(0)),
      mdist: mdist(originals, manipulated),
      merrByDirection: Object.fromEntries(Object.entries(byDir).map(([k, v]) => [k, v.reduce((x, y) => x + y, 0) / v.length])),
    };
    const batch = { originals, manipulated, fromClass, targetClass, answerClass };
    if (l === 1) first = batch;
    last = batch;
    stats.push(s);
    await o.onIteration?.(s, batch);
  }
  return { data, iterations: stats, first, last };
}

/** D_csl with its queried part (rows >= nObs) repeated to make up `share` of it. */
function retrainingSet(data: CausalData, nObs: number, share: number): { images: Images; targets: Float32Array } {
  const nq = data.targets.length - nObs;
  if (share <= 0 || nq <= 0) return data;
  const reps = Math.max(1, Math.round((share * nObs) / ((1 - share) * nq)));
  const rows = Array.from({ length: nObs }, (_, k) => k);
  for (let r = 0; r < reps; r++) for (let k = nObs; k < data.targets.length; k++) rows.push(k);
  return { images: pick(data.images, rows), targets: Float32Array.from(rows, (k) => data.targets[k]) };
}
