// Per-sample IBA (Schulz et al. 2020), as in the authors' code: at a layer with output R, replace
// R by Z = lambda R + (1 - lambda) eps, eps ~ N(mean_R, std_R^2) estimated on reference images;
// lambda = smooth(sigmoid(alpha)); minimise CE(target, head(Z)) + beta * mean KL over alpha
// (Adam, lr 1, 10 steps, 10 noise samples, alpha0 = 5, sigma 1). The map is the KL per
// location summed over channels, in bits, spread over the pixels it covers (bilinear).
//
// Default layer (layers.ts): the authors put the bottleneck at a mid-level block (VGG16 conv4_1,
// ResNet-50 conv2_3, at 1/8 of 224 px); at 28 px the matching block output is the 1/2-resolution
// stage (`stage1_block0`, 14 x 14 x 32); `features` is only 7 x 7.
//
// Departure: the authors also zero Z at units inactive in the reference data; here only their
// information cost is dropped, so that lambda = 1 reproduces the model exactly.
import * as tf from '@tensorflow/tfjs';
import { IbaSettingsSchema } from '../../../api/schemas/saliency';
import { EngineError } from '../../jobs/errors';
import type { AuditedModel } from '../../models/audited-model';
import { AttributionMethod } from './base';
import { bottleneck, crossEntropy, featureKl, maskFromAlpha, meanPerImage, optimiseMask } from './bottleneck';
import { readMaps, repeatEach, targetMask } from './common';
import { bottleneckLayer } from './layers';
import { featureStats } from './reference';
import type { AttributionInput, AttributionOutput, ExplainHooks, ReferenceImages } from './types';

type Settings = ReturnType<typeof IbaSettingsSchema.parse>;

export interface FeatureBottleneckResult {
  /** The bottleneck layer (the settings' or the default). */
  layer: string;
  /** Layer output R [N, h, w, C] (caller disposes). */
  r: tf.Tensor4D;
  /** Final smoothed mask lambda [N, h, w, C] (caller disposes). */
  lambda: tf.Tensor4D;
  /** KL per unit at the final mask, zero at inactive units [N, h, w, C] (caller disposes). */
  capacity: tf.Tensor4D;
}

/** The statistics IBA uses: mean, std clamped to minStd, and the active-unit mask. */
export async function bottleneckStats(model: AuditedModel, ref: ReferenceImages, layer: string, minStd: number, threshold: number): Promise<{ mean: tf.Tensor; std: tf.Tensor; active: tf.Tensor; dispose(): void }> {
  const s = await featureStats(model, ref, layer);
  const std = tf.tidy(() => tf.maximum(s.std, minStd));
  const active = tf.tidy(() => s.activeFraction.greater(threshold).toFloat());
  return { mean: s.mean, std, active, dispose: () => tf.dispose([std, active]) };
}

/** Runs the feature bottleneck optimisation for a batch (shared with InputIBA's first stage). */
export async function fitFeatureBottleneck(
  input: AttributionInput,
  s: Pick<Settings, 'layer' | 'beta' | 'steps' | 'lr' | 'batchSize' | 'initialAlpha' | 'sigma' | 'minStd' | 'activeNeuronsThreshold' | 'seed'>,
  hooks: ExplainHooks,
  span: [number, number] = [0, 1],
): Promise<FeatureBottleneckResult> {
  const { model, x, targets } = input;
  const layer = bottleneckLayer(model, s.layer);
  const r = model.activations(x, layer) as tf.Tensor4D;
  if (r.rank !== 4) {
    r.dispose();
    throw new EngineError('invalid_request', `IBA needs a layer with [N, H, W, C] output; "${layer}" gives [${r.shape.join(', ')}]`);
  }
  const st = await bottleneckStats(model, input.reference!, layer, s.minStd, s.activeNeuronsThreshold);
  const n = x.shape[0];
  const k = s.batchSize;
  const rowIdx = tf.tensor1d(repeatEach(Array.from({ length: n }, (_, i) => i), k), 'int32');
  const onehot = targetMask(repeatEach(targets, k), model.classNames.length);
  const rRows = tf.gather(r, rowIdx);
  try {
    const alpha = await optimiseMask(
      {
        shape: r.shape as [number, number, number, number],
        initialAlpha: s.initialAlpha,
        sigma: s.sigma,
        steps: s.steps,
        lr: s.lr,
        loss: (lambda, step) => {
          const info = featureKl(r, lambda, st.mean, st.std).mul(st.active).mean([1, 2, 3]) as tf.Tensor1D;
          const noise = tf.randomNormal(rRows.shape, 0, 1, 'float32', s.seed * 1_000_003 + step + 1);
          const z = bottleneck(rRows, tf.gather(lambda, rowIdx), st.mean, st.std, noise);
          const ce = meanPerImage(crossEntropy(model.head(z, layer), onehot), n, k);
          return ce.add(info.mul(s.beta)) as tf.Tensor1D;
        },
      },
      hooks,
      span,
    );
    const lambda = maskFromAlpha(alpha, s.sigma);
    alpha.dispose();
    const capacity = tf.tidy(() => featureKl(r, lambda, st.mean, st.std).mul(st.active)) as tf.Tensor4D;
    return { layer, r, lambda, capacity };
  } catch (e) {
    r.dispose();
    throw e;
  } finally {
    tf.dispose([rowIdx, onehot, rRows]);
    st.dispose();
  }
}

/** Capacity [N, h, w, C] in nats -> per-pixel bits [N, S, S, 1] (the authors' to_saliency_map). */
export function capacityToPixels(capacity: tf.Tensor4D, size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = capacity.shape;
    const bits = capacity.sum(3, true).div(Math.LN2).mul((h * w) / (size * size)) as tf.Tensor4D;
    return tf.image.resizeBilinear(bits, [size, size], false, true);
  });
}

export class Iba extends AttributionMethod<typeof IbaSettingsSchema> {
  constructor() {
    super('iba', 'IBA', IbaSettingsSchema, { needsLayers: true, needsReference: true, stochastic: true });
  }

  protected async compute(input: AttributionInput, s: Settings, hooks: ExplainHooks): Promise<AttributionOutput> {
    const fb = await fitFeatureBottleneck(input, s, hooks);
    const info = tf.tidy(() => fb.capacity.mean([1, 2, 3]));
    const bits = (await info.data()) as Float32Array;
    info.dispose();
    const maps = await readMaps(capacityToPixels(fb.capacity, input.model.inputSize));
    tf.dispose([fb.r, fb.lambda, fb.capacity]);
    return { maps, diagnostics: maps.map((_, i) => ({ meanCapacityNats: bits[i] })) };
  }
}
