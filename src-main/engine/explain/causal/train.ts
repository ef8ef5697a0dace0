// Training the explainer against a frozen classifier: maximise C(alpha; Y) + lambda * D
// (seed 000 objective (3)), D the evidence lower bound per image with the authors' Gaussian
// likelihood (sum of squared errors) and the KL to N(0, I), both averaged over the batch:
//   D = -(sum ||x - g(z)||^2 + KL(q(z|x) || N(0, I))) / batch.
// Adam with betas (0.5, 0.999) as in the seed. The classifier is used through AuditedModel.predict,
// which runs it in inference mode (dropout off, batch-norm running statistics): only the VAE's
// variables are updated.
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../data/image-set';
import { makeRng, subSeed } from '../../data/synthetic/rng';
import { EngineError } from '../../jobs/errors';
import type { AuditedModel } from '../../models/audited-model';
import { imageBatch } from '../../models/batches';
import { createVae, decode, encode, trainableVariables, type VaeParams } from './architecture';
import { causalInfluence, estimateInfluence, gaussian, type InfluenceVariant } from './estimator';

export interface ExplainerTrainOptions {
  k: number;
  l: number;
  filters: number;
  lambda: number;
  lr: number;
  batchSize: number;
  steps: number;
  /** Samples for C during training (the seed: 100 x 25; fewer is allowed for speed). */
  trainNAlpha: number;
  trainNBeta: number;
  variant: InfluenceVariant;
  seed: number;
}

export const EXPLAINER_DEFAULTS: ExplainerTrainOptions = {
  k: 2,
  l: 4,
  filters: 64,
  lambda: 0.05,
  lr: 5e-4,
  batchSize: 64,
  steps: 8000,
  trainNAlpha: 100,
  trainNBeta: 25,
  variant: 'joint',
  seed: 0,
};

export interface StepStats {
  step: number;
  /** Causal term C (nats, the training estimate). */
  C: number;
  /** Data fidelity D (negative loss per image). */
  D: number;
  loss: number;
  seconds: number;
}

export interface ExplainerTrainHooks {
  /** After every step. */
  onStep?(s: StepStats): void;
  /** Awaited between steps; throws to cancel. */
  checkpoint?(): Promise<void>;
}

export interface Explainer {
  vae: VaeParams;
  options: ExplainerTrainOptions;
  history: StepStats[];
  /** Steps done so far (resume continues from here). */
  step: number;
}

/** The classifier as the estimator sees it: probabilities, differentiable, inference mode. */
export function classifierFn(model: AuditedModel): (x: tf.Tensor) => tf.Tensor2D {
  return (x) => model.predict(x as tf.Tensor4D);
}

export function newExplainer(model: AuditedModel, options: Partial<ExplainerTrainOptions> = {}): Explainer {
  const o = { ...EXPLAINER_DEFAULTS, ...options };
  const vae = createVae({ inputSize: model.inputSize, k: o.k, l: o.l, filters: o.filters, seed: o.seed });
  return { vae, options: o, history: [], step: 0 };
}

/** The negative ELBO parts for a batch; differentiable. */
export function fidelity(vae: VaeParams, x: tf.Tensor4D, eps: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const n = x.shape[0];
    const { mu, logvar } = encode(vae, x);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps)) as tf.Tensor2D;
    const xr = decode(vae, z);
    const sse = tf.sum(tf.square(tf.sub(xr, x)));
    const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar))));
    return tf.neg(tf.div(tf.add(sse, kl), n)) as tf.Scalar;
  });
}

/**
 * Runs `steps` more optimisation steps (to options.steps in total) on the rows `train` of `set`.
 * The optimizer is created here (Adam, betas 0.5 / 0.999); pass the same one back to continue.
 */
export async function trainExplainer(
  ex: Explainer,
  model: AuditedModel,
  set: ImageSet,
  train: number[],
  hooks: ExplainerTrainHooks = {},
  optimizer: tf.Optimizer = tf.train.adam(ex.options.lr, 0.5, 0.999),
): Promise<tf.Optimizer> {
  const o = ex.options;
  if (train.length < 1) throw new EngineError('invalid_request', 'no training images for the explainer');
  const vars = trainableVariables(ex.vae);
  const clf = classifierFn(model);
  const z = o.k + o.l;
  const s = model.inputSize;
  while (ex.step < o.steps) {
    if (hooks.checkpoint) await hooks.checkpoint();
    const t0 = performance.now();
    const rng = makeRng(subSeed(o.seed, 1, ex.step));
    const rows = Array.from({ length: o.batchSize }, () => train[Math.floor(rng() * train.length)]);
    const x = imageBatch(set, rows, s);
    const eps = tf.tensor2d(gaussian(o.batchSize * z, rng), [o.batchSize, z]);
    let cVal: tf.Scalar | null = null;
    let dVal: tf.Scalar | null = null;
    const loss = optimizer.minimize(
      () => {
        const d = fidelity(ex.vae, x, eps);
        const c = causalInfluence((zz) => decode(ex.vae, zz), clf, o.k, o.l, { nAlpha: o.trainNAlpha, nBeta: o.trainNBeta, variant: o.variant, rng });
        cVal = tf.keep(c.clone());
        dVal = tf.keep(d.clone());
        return tf.neg(tf.add(c, tf.mul(d, o.lambda))) as tf.Scalar;
      },
      true,
      vars,
    );
    const [lv, cv, dv] = await Promise.all([loss!.data(), cVal!.data(), dVal!.data()]);
    tf.dispose([loss!, cVal!, dVal!, x, eps]);
    ex.step++;
    const st: StepStats = { step: ex.step, C: cv[0], D: dv[0], loss: lv[0], seconds: (performance.now() - t0) / 1000 };
    if (!Number.isFinite(st.loss)) throw new EngineError('internal', `explainer training diverged at step ${ex.step} (loss ${st.loss})`);
    ex.history.push(st);
    hooks.onStep?.(st);
  }
  return optimizer;
}

export interface InfluenceReport {
  /** I(alpha; Y), joint, nats. */
  joint: number;
  /** (1/K) sum_k I(alpha_k; Y). */
  independent: number;
  /** I(z_i; Y) for every factor i (alpha first, then beta; alpha only when so asked), nats. */
  perFactor: number[];
  nAlpha: number;
  nBeta: number;
}

/**
 * Evaluation-size estimates (at least N_alpha = 100, N_beta = 25), no gradients. factors 'all'
 * (default) also estimates I(beta_j; Y) for every non-causal factor; 'alpha' only the causal ones
 * (with K = 1 the joint estimate is I(alpha_1; Y) itself and is reused).
 */
export async function evaluateInfluence(
  ex: Explainer,
  model: AuditedModel,
  opts: { nAlpha?: number; nBeta?: number; seed?: number; factors?: 'all' | 'alpha'; onChunk?: () => Promise<void> } = {},
): Promise<InfluenceReport> {
  const nAlpha = Math.max(100, opts.nAlpha ?? 100);
  const nBeta = Math.max(25, opts.nBeta ?? 25);
  const { k, l } = ex.options;
  const dec = (zz: tf.Tensor2D): tf.Tensor => decode(ex.vae, zz);
  const clf = classifierFn(model);
  const rng = makeRng(subSeed(opts.seed ?? 0, 99));
  const base = { nAlpha, nBeta, rng, onChunk: opts.onChunk };
  const joint = await estimateInfluence(dec, clf, k + l, Array.from({ length: k }, (_, i) => i), base);
  const perFactor: number[] = [];
  const upTo = opts.factors === 'alpha' ? k : k + l;
  for (let i = 0; i < upTo; i++) perFactor.push(k === 1 && i === 0 ? joint : await estimateInfluence(dec, clf, k + l, [i], base));
  const independent = perFactor.slice(0, k).reduce((a, b) => a + b, 0) / k;
  return { joint, independent, perFactor, nAlpha, nBeta };
}
