// A small configurable CNN family for grey X-ray classification, plain or residual.
// Layer names are stable so explainers can find them: `features` is the last conv block's
// output (Grad-CAM's usual layer), `pool` the global average, `logits` the class scores before
// the softmax `probs`. Every block output (`stage{s}_block{b}`) is a cut point of the graph.
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../../jobs/errors';

export { CnnConfigSchema, CnnOptionsSchema, type CnnConfig, type CnnConfigInput } from '../../../api/schemas/training';
import { CnnConfigSchema, type CnnConfig, type CnnConfigInput } from '../../../api/schemas/training';

export const CNN_DEFAULTS: CnnConfig = {
  family: 'residual',
  inputSize: 28,
  channels: 1,
  widths: [16, 32, 64],
  blocksPerStage: 1,
  stemStride: 1,
  batchNorm: true,
  dropout: 0,
  numClasses: 2,
  seed: 0,
};

/** Defaults, then the given options (undefined ones ignored), validated. */
export function cnnConfig(...inputs: CnnConfigInput[]): CnnConfig {
  const merged: Record<string, unknown> = { ...CNN_DEFAULTS };
  for (const input of inputs) for (const [k, v] of Object.entries(input)) if (v !== undefined) merged[k] = v;
  const r = CnnConfigSchema.safeParse(merged);
  if (!r.success) throw new EngineError('invalid_request', `architecture: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** Builds an (uncompiled) functional model taking normalised inputs [N, S, S, C]. */
export function buildCnn(input: CnnConfigInput = {}): tf.LayersModel {
  const cfg = cnnConfig(input);
  // tfjs treats seed 0 as "unseeded" (Math.random), so initialiser seeds start at 1.
  let seed = cfg.seed * 1000 + 1;
  const init = (): ReturnType<typeof tf.initializers.heNormal> => tf.initializers.heNormal({ seed: seed++ });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;

  const convBn = (x: tf.SymbolicTensor, filters: number, name: string, strides = 1, relu = true): tf.SymbolicTensor => {
    let h = apply(tf.layers.conv2d({ name: `${name}_conv`, filters, kernelSize: 3, strides, padding: 'same', useBias: !cfg.batchNorm, kernelInitializer: init() }), x);
    if (cfg.batchNorm) h = apply(tf.layers.batchNormalization({ name: `${name}_bn`, momentum: 0.9 }), h);
    return relu ? apply(tf.layers.activation({ name: `${name}_relu`, activation: 'relu' }), h) : h;
  };

  const inp = tf.input({ name: 'image', shape: [cfg.inputSize, cfg.inputSize, cfg.channels] });
  let x = convBn(inp, cfg.widths[0], 'stem', cfg.stemStride);
  cfg.widths.forEach((width, s) => {
    if (s > 0) x = apply(tf.layers.maxPooling2d({ name: `stage${s}_pool`, poolSize: 2, padding: 'same' }), x);
    for (let b = 0; b < cfg.blocksPerStage; b++) {
      const name = `stage${s}_block${b}`;
      const last = s === cfg.widths.length - 1 && b === cfg.blocksPerStage - 1;
      const outName = last ? 'features' : name;
      const h = convBn(convBn(x, width, `${name}_a`), width, `${name}_b`, 1, cfg.family === 'plain');
      if (cfg.family === 'plain') {
        x = apply(tf.layers.activation({ name: outName, activation: 'linear' }), h);
        continue;
      }
      const inWidth = x.shape[3];
      const skip = inWidth === width ? x : apply(tf.layers.conv2d({ name: `${name}_proj`, filters: width, kernelSize: 1, useBias: false, kernelInitializer: init() }), x);
      const sum = apply(tf.layers.add({ name: `${name}_add` }), [h, skip]);
      x = apply(tf.layers.activation({ name: outName, activation: 'relu' }), sum);
    }
  });
  let h = apply(tf.layers.globalAveragePooling2d({ name: 'pool' }), x);
  if (cfg.dropout > 0) h = apply(tf.layers.dropout({ name: 'dropout', rate: cfg.dropout }), h);
  const logits = apply(tf.layers.dense({ name: 'logits', units: cfg.numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }) }), h);
  const probs = apply(tf.layers.activation({ name: 'probs', activation: 'softmax' }), logits);
  return tf.model({ name: `cnn_${cfg.family}`, inputs: inp, outputs: probs });
}
