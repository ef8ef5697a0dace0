// InputIBA (Zhang et al. 2021, seed 002), in the authors' three stages:
// 1. IBA at a feature layer (their config: beta 20, 10 steps) gives the feature mask lambda;
// 2. a mask generator learns an input mask lambda_G whose masked input reproduces the feature
//    bottleneck's distribution Z_G (mask-generator.ts; 'feature' skips the training and keeps
//    its initialisation, the upsampled feature capacity);
// 3. an input bottleneck Z_I = L x + (1 - L) eps_I, eps_I ~ N(mu_I, s_I^2), with the
//    feature-conditioned prior N(lG L x + (1 - lG L) mu_I, (1 - lG L)^2 s_I^2), minimising
//    CE + beta_in * mean KL (Eq. 10) over L (Adam, lr 1, 60 steps, beta_in 20, 10 noise samples).
// The map is the learned input mask sigmoid(alpha), as the authors' attributor returns it.
// The input mask's smoothing is the authors' 1 px at 224 px scaled to the image (none at 28 px).
// mu_I and s_I are the grey-level mean and sd of the reference images (the authors' N(0, 1) in
// ImageNet-normalised space).
import * as tf from '@tensorflow/tfjs';
import { InputIbaSettingsSchema } from '../../../api/schemas/saliency';
import { AttributionMethod } from './base';
import { bottleneck, crossEntropy, inputIbaKl, meanPerImage, optimiseMask } from './bottleneck';
import { readMaps, repeatEach, targetMask } from './common';
import { bottleneckStats, capacityToPixels, fitFeatureBottleneck } from './iba';
import { trainMaskGenerator } from './mask-generator';
import { inputStats } from './reference';
import type { AttributionInput, AttributionOutput, ExplainHooks } from './types';

type Settings = ReturnType<typeof InputIbaSettingsSchema.parse>;

export class InputIba extends AttributionMethod<typeof InputIbaSettingsSchema> {
  constructor() {
    super('input-iba', 'InputIBA', InputIbaSettingsSchema, { needsLayers: true, needsReference: true, stochastic: true });
  }

  protected async compute(input: AttributionInput, s: Settings, hooks: ExplainHooks): Promise<AttributionOutput> {
    const { model, x, targets } = input;
    const n = x.shape[0];
    const size = model.inputSize;
    const adversarial = s.generator.kind === 'adversarial' && s.generator.epochs > 0;
    const spans = adversarial ? { feature: [0, 0.1], generator: [0.1, 0.7], input: [0.7, 1] } : { feature: [0, 0.15], generator: [0.15, 0.15], input: [0.15, 1] };
    const fb = await fitFeatureBottleneck(input, { ...s, beta: s.featureBeta, steps: s.featureSteps, sigma: s.featureSigma }, hooks, spans.feature as [number, number]);
    const ist = await inputStats(input.reference!);
    let lambdaG: tf.Tensor4D;
    const initLogits = capacityToPixels(fb.capacity, size);
    try {
      if (!adversarial) lambdaG = tf.tidy(() => tf.sigmoid(initLogits)) as tf.Tensor4D;
      else {
        const st = await bottleneckStats(model, input.reference!, fb.layer, s.minStd, s.activeNeuronsThreshold);
        const parts: tf.Tensor4D[] = [];
        try {
          for (let i = 0; i < n; i++) {
            const [g0, g1] = spans.generator;
            const one = (t: tf.Tensor4D) => t.slice([i, 0, 0, 0], [1, -1, -1, -1]);
            const [xi, ri, li, ii] = [one(x), one(fb.r), one(fb.lambda), one(initLogits)];
            try {
              parts.push(
                await trainMaskGenerator(
                  { model, layer: fb.layer, x: xi, r: ri, lambda: li, featureMean: st.mean, featureStd: st.std, initialLogits: ii, inputMean: ist.mean, inputStd: ist.std, seed: s.seed * 1009 + i },
                  s.generator,
                  hooks,
                  [g0 + ((g1 - g0) * i) / n, g0 + ((g1 - g0) * (i + 1)) / n],
                ),
              );
            } finally {
              tf.dispose([xi, ri, li, ii]);
            }
          }
          lambdaG = tf.concat(parts) as tf.Tensor4D;
        } finally {
          tf.dispose(parts);
          st.dispose();
        }
      }
    } finally {
      tf.dispose([initLogits, fb.r, fb.lambda, fb.capacity]);
    }

    const k = s.batchSize;
    const rowIdx = tf.tensor1d(repeatEach(Array.from({ length: n }, (_, i) => i), k), 'int32');
    const onehot = targetMask(repeatEach(targets, k), model.classNames.length);
    const xRows = tf.gather(x, rowIdx);
    try {
      const alpha = await optimiseMask(
        {
          shape: [n, size, size, 1],
          initialAlpha: s.initialAlpha,
          sigma: s.sigma ?? size / 224,
          steps: s.steps,
          lr: s.lr,
          loss: (lambda, step) => {
            const info = inputIbaKl(x, lambdaG, lambda, ist.mean, ist.std).mean([1, 2, 3]) as tf.Tensor1D;
            const noise = tf.randomNormal(xRows.shape, 0, 1, 'float32', s.seed * 1_000_033 + step + 7);
            const z = bottleneck(xRows, tf.gather(lambda, rowIdx), ist.mean, ist.std, noise) as tf.Tensor4D;
            const ce = meanPerImage(crossEntropy(model.predict(z), onehot), n, k);
            return ce.add(info.mul(s.beta)) as tf.Tensor1D;
          },
        },
        hooks,
        spans.input as [number, number],
      );
      const means = tf.tidy(() => tf.stack([lambdaG.mean([1, 2, 3]), tf.sigmoid(alpha).mean([1, 2, 3])], 1));
      const m = (await means.data()) as Float32Array;
      means.dispose();
      const maps = await readMaps(tf.tidy(() => tf.sigmoid(alpha)));
      alpha.dispose();
      return { maps, diagnostics: maps.map((_, i) => ({ meanPriorMask: m[2 * i], meanMask: m[2 * i + 1] })) };
    } finally {
      tf.dispose([rowIdx, onehot, xRows, lambdaG]);
    }
  }
}
