// InputIBA's second stage (seed 002 3.2 and D.1): learn an input mask lambda_G such that the
// masked input G(z) = m x + (1 - m)(s z + mu) reproduces, at the bottleneck layer, the feature
// bottleneck's distribution Z_G = lambda R + (1 - lambda) eps, by a Wasserstein GAN with weight
// clipping (the authors' VisionWGAN: 200 real samples, batch 32, 20 epochs, a generator step
// every 5 critic steps, RMSprop: critic 5e-5, mask 0.003, noise mean 0.1, noise sd 0.05).
// The mask starts from the upsampled feature capacity, as in the authors' generator.
//
// Departure: the authors' real samples draw the noise from random N(U(-2, 2), U(0, 5)^2) per
// sub-dataset; here eps ~ N(mean_R, std_R^2), the feature noise the paper defines Z_G with.
// One image at a time (each image has its own critic).
import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { InputIbaGeneratorSchema } from '../../../api/schemas/saliency';
import type { AuditedModel } from '../../models/audited-model';
import { makeRng, permutation } from '../../data/synthetic/rng';
import { bottleneck } from './bottleneck';
import { ranges } from './common';
import { Critic } from './critic';
import type { ExplainHooks } from './types';

export type GeneratorSettings = z.infer<typeof InputIbaGeneratorSchema>;

export interface GeneratorInput {
  model: AuditedModel;
  layer: string;
  /** One image [1, S, S, 1]. */
  x: tf.Tensor4D;
  /** Its layer output R and the feature bottleneck's mask lambda, [1, h, w, C]. */
  r: tf.Tensor4D;
  lambda: tf.Tensor4D;
  featureMean: tf.Tensor;
  featureStd: tf.Tensor;
  /** Initial mask logits [1, S, S, 1]. */
  initialLogits: tf.Tensor4D;
  inputMean: number;
  inputStd: number;
  seed: number;
}

const rmsprop = (lr: number): tf.Optimizer => tf.train.rmsprop(lr, 0.99, 0, 1e-8);

/** Trains the generator; returns lambda_G = sigmoid(mask logits) [1, S, S, 1] (caller disposes). */
export async function trainMaskGenerator(g: GeneratorInput, s: GeneratorSettings, hooks: ExplainHooks = {}, span: [number, number] = [0, 1]): Promise<tf.Tensor4D> {
  const [, h, w, c] = g.r.shape;
  const variable = (t: tf.Tensor): tf.Variable => {
    const v = tf.variable(t);
    t.dispose();
    return v;
  };
  const logits = variable(g.initialLogits.clone());
  const noiseMean = variable(tf.scalar(g.inputMean));
  const noiseStd = variable(tf.scalar(g.inputStd));
  const critic = new Critic(h, w, c, g.seed + 17);
  const optD = rmsprop(s.criticLr);
  const optMask = rmsprop(s.maskLr);
  const optMean = rmsprop(0.1);
  const optStd = rmsprop(0.05);
  const real = tf.tidy(() => {
    const rows = [s.datasetSize, h, w, c];
    const noise = tf.randomNormal(rows, 0, 1, 'float32', g.seed + 1);
    return bottleneck(g.r.tile([s.datasetSize, 1, 1, 1]), g.lambda.tile([s.datasetSize, 1, 1, 1]), g.featureMean, g.featureStd, noise) as tf.Tensor4D;
  });
  const generate = (zz: tf.Tensor4D): tf.Tensor4D =>
    tf.tidy(() => {
      const m = tf.sigmoid(logits);
      const noise = zz.mul(noiseStd).add(noiseMean);
      const input = m.mul(g.x).add(tf.sub(1, m).mul(noise)) as tf.Tensor4D;
      return g.model.activations(input, g.layer) as tf.Tensor4D;
    });
  const rng = makeRng(g.seed + 5);
  const batches = ranges(s.datasetSize, s.batchSize);
  let noiseSeed = g.seed * 7919 + 11;
  try {
    for (let epoch = 0; epoch < s.epochs; epoch++) {
      const order = tf.tensor1d(permutation(s.datasetSize, rng), 'int32');
      try {
        await epochSteps(order);
      } finally {
        order.dispose();
      }
      hooks.progress?.(span[0] + ((epoch + 1) / s.epochs) * (span[1] - span[0]), 'training the mask generator');
    }
    return tf.tidy(() => tf.sigmoid(logits)) as tf.Tensor4D;
  } finally {
    tf.dispose([real, logits, noiseMean, noiseStd]);
    critic.dispose();
    for (const o of [optD, optMask, optMean, optStd]) o.dispose();
  }

  /** One epoch: a critic step per batch, a generator step every criticIter batches. */
  async function epochSteps(order: tf.Tensor1D): Promise<void> {
    for (let i = 0; i < batches.length; i++) {
      await hooks.checkpoint?.();
      const [a, b] = batches[i];
      const zz = tf.randomNormal([b - a, g.x.shape[1], g.x.shape[2], 1], 0, 1, 'float32', noiseSeed++) as tf.Tensor4D;
      const realBatch = tf.tidy(() => tf.gather(real, order.slice(a, b - a)) as tf.Tensor4D);
      const fake = generate(zz);
      optD.minimize(() => critic.apply(realBatch).mean().neg().add(critic.apply(fake).mean()) as tf.Scalar, false, critic.vars);
      critic.clip(s.weightClip);
      tf.dispose([realBatch, fake]);
      if (i % s.criticIter === 0) {
        // One loss, three learning rates: gradients once, then each optimiser applies its share.
        const { grads, value } = tf.variableGrads(() => critic.apply(generate(zz)).mean().neg() as tf.Scalar, [logits, noiseMean, noiseStd]);
        optMask.applyGradients({ [logits.name]: grads[logits.name] });
        optMean.applyGradients({ [noiseMean.name]: grads[noiseMean.name] });
        optStd.applyGradients({ [noiseStd.name]: grads[noiseStd.name] });
        tf.dispose([value, ...Object.values(grads)]);
      }
      zz.dispose();
    }
  }
}
