// Algorithm 1 of seed 001 (causal predictor training): one causal query per observational class
// (by the CCT the causal partition coarsens the observational one), observational classes with
// equal answers merged into causal classes, every observational image labelled with its class's
// causal value (the causal data set D_csl), and a predictor C trained on D_csl.
import type { Agent } from './agents';
import { countOf, pick, type Images } from './images';
import { Mlp, type TrainOptions } from './mlp';
import { observationalPartition, type ObservationalPartition } from './observational';

export interface CausalPartition {
  observational: ObservationalPartition;
  /** Images queried per observational class (rows of the observational data). */
  queried: number[][];
  /** The agent's mean answer P(T | do(I = i)) per observational class. */
  answers: number[];
  /** Causal class of each observational class. */
  causalOfObservational: number[];
  /** P(T | do) per causal class, ascending. */
  causalValues: number[];
  /** D_csl targets: the causal value of each observational image. */
  targets: Float32Array;
  /** Causal class of each observational image. */
  causalClassOf: Int32Array;
}

export interface Algorithm1Options {
  /** Queries per observational class (the seed: 1); their answers are averaged. */
  queriesPerClass?: number;
  /** Answers closer than this are one causal class. */
  tolerance?: number;
  bins?: number;
  minFraction?: number;
}

/** Steps 1-4: the causal partition and causal data set from observational outputs and an agent. */
export function causalPartition(images: Images, observedOutputs: ArrayLike<number>, agent: Agent, o: Algorithm1Options = {}): CausalPartition {
  const observational = observationalPartition(observedOutputs, { bins: o.bins, minFraction: o.minFraction });
  const m = observational.means.length;
  const perClass = o.queriesPerClass ?? 1;
  // Step 1: representatives, the members whose output is closest to their class mean.
  const queried: number[][] = [];
  for (let c = 0; c < m; c++) {
    const members: number[] = [];
    observational.classOf.forEach((cc, k) => cc === c && members.push(k));
    members.sort((a, b) => Math.abs(observedOutputs[a] - observational.means[c]) - Math.abs(observedOutputs[b] - observational.means[c]));
    queried.push(members.slice(0, perClass));
  }
  // Step 2: causal queries.
  const answers = queried.map((rows) => {
    const a = agent.query(pick(images, rows), rows);
    return a.reduce((s, v) => s + v, 0) / a.length;
  });
  // Merge equal answers (within tolerance) into causal classes.
  const tol = o.tolerance ?? 0.1;
  const order = answers.map((_, c) => c).sort((a, b) => answers[a] - answers[b]);
  const causalOfObservational = new Array<number>(m).fill(0);
  const groups: number[][] = [];
  for (const c of order) {
    const g = groups[groups.length - 1];
    if (g && answers[c] - answers[g[g.length - 1]] <= tol) g.push(c);
    else groups.push([c]);
  }
  groups.forEach((g, j) => g.forEach((c) => (causalOfObservational[c] = j)));
  const causalValues = groups.map((g) => g.reduce((s, c) => s + answers[c], 0) / g.length);
  // Steps 3-4: D_csl.
  const n = countOf(images);
  const causalClassOf = Int32Array.from({ length: n }, (_, k) => causalOfObservational[observational.classOf[k]]);
  const targets = Float32Array.from(causalClassOf, (j) => causalValues[j]);
  return { observational, queried, answers, causalOfObservational, causalValues, targets, causalClassOf };
}

/** Step 5: C <- Train(D_csl), a one-hidden-layer network (100 units). */
export async function trainCausalPredictor(images: Images, targets: Float32Array, o: TrainOptions & { hidden?: number; weightDecay?: number }): Promise<Mlp> {
  const c = new Mlp(images.size * images.size, o.hidden ?? 100, o.seed, o.learningRate, o.weightDecay ?? 0);
  await c.train(images, targets, o);
  return c;
}
