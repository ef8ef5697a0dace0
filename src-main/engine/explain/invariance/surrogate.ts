// What the training loop, saving and the analyses need from either surrogate (SVAE or M2).
import type * as tf from '@tensorflow/tfjs';
import type { SurrogateArchitecture } from '../../../api/schemas/invariance';
import type { ParamStore } from './params';

export interface SurrogateConfig {
  kind: 'svae' | 'm2';
  /** Side of the square grey input images (the audited model's input size). */
  size: number;
  classNames: string[];
  /** Widths resolved for the size (never empty). */
  architecture: SurrogateArchitecture;
  beta: number;
  alpha: number;
  labels: 'model' | 'true';
  m2SumOverClasses: boolean;
  /** Absent in configs saved before the option existed: Bernoulli. */
  likelihood?: 'bernoulli' | 'gaussian';
  pixelSigma?: number;
  seed: number;
}

export interface BatchTerms {
  /** The objective to maximise, per example. */
  objective: tf.Tensor1D;
  /** Its named parts, per example (reported as progress metrics). */
  parts: Record<string, tf.Tensor1D>;
}

/** An added term of the SVAE objective: weight * sum_c y_c log f(c | decoded x), f differentiable (the audited classifier). */
export interface DecisionTerm {
  weight: number;
  /** Class probabilities [N, K] for decoded images [N, S, S, 1] in 0..1. */
  decide(x: tf.Tensor4D): tf.Tensor2D;
}

export interface Surrogate {
  readonly config: SurrogateConfig;
  readonly params: ParamStore;
  /**
   * The objective's terms for images x [N, S, S, 1] in 0..1 with one-hot (or soft) labels;
   * reparameterisation noise drawn from `seed`; `decision` adds the decision term (SVAE only).
   */
  terms(x: tf.Tensor4D, yOneHot: tf.Tensor2D, seed: number, decision?: DecisionTerm): BatchTerms;
  /** Class probabilities at inference (SVAE: p(y | mean of q(z1|x)); M2: q(y|x)). */
  classify(x: tf.Tensor4D): tf.Tensor2D;
  /** Table 1's R: E_q(z|x,y)[log p(x|z)] per image, one sample. */
  reconstruction(x: tf.Tensor4D, yOneHot: tf.Tensor2D, seed: number): tf.Tensor1D;
  dispose(): void;
}
