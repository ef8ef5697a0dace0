// The classifier under audit, as the rest of the engine sees it: a black box f(x) = P(y | x) with
// gradients, and (for LayersModels) access to named internal layers.
//
// Input convention for every method: a batch [N, S, S, 1] of grey images scaled to 0..1
// (raw / 255), S = inputSize. The wrapper replicates channels and applies the sidecar's
// normalisation itself, so explainers work in one image space whatever the model expects,
// and gradients come back in that space.
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../jobs/errors';
import { findLayer, headFrom, layerActivations, namedLayers } from './layers-graph';
import type { Sidecar } from './sidecar';

export interface AuditedModel {
  readonly kind: 'layers' | 'graph';
  readonly inputSize: number;
  readonly channels: 1 | 3;
  readonly classNames: string[];
  readonly positiveClass: number;
  readonly sidecar: Sidecar;
  /** SHA-256 of the model folder (see hash.ts); null for a model not yet saved. */
  readonly hash: string | null;
  /** Whether layerNames/activations/head are available (LayersModels only). */
  readonly hasLayers: boolean;
  /** Class probabilities [N, classes]. Differentiable: usable inside tf.grad. */
  predict(batch: tf.Tensor4D): tf.Tensor2D;
  /** d p_class / d x, same shape as x (default class: the positive class). */
  gradient(x: tf.Tensor4D, classIndex?: number): tf.Tensor4D;
  layerNames(): string[];
  /** Output of a named layer for the batch. */
  activations(x: tf.Tensor4D, layerName: string): tf.Tensor;
  /** Class probabilities computed from a named layer's output: head(activations(x, l), l) = predict(x). */
  head(activations: tf.Tensor, layerName: string): tf.Tensor2D;
  dispose(): void;
}

/** Grey 0..1 images -> the tensor the network expects (channels, normalisation). */
export function toModelInput(x: tf.Tensor4D, s: Sidecar): tf.Tensor4D {
  const [, h, w, c] = x.shape;
  if (h !== s.inputSize || w !== s.inputSize || (c !== 1 && c !== s.channels)) {
    throw new EngineError('bad_input', `model expects images [N, ${s.inputSize}, ${s.inputSize}, 1] (grey, 0..1); got [${x.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const v = c === s.channels ? x : tf.tile(x, [1, 1, 1, s.channels]);
    return v.mul(255 * s.normalization.scale).add(s.normalization.offset) as tf.Tensor4D;
  });
}

/** Raw network output -> probabilities [N, classes] (two-class models may have one sigmoid unit). */
export function toProbabilities(out: tf.Tensor, s: Sidecar): tf.Tensor2D {
  const k = s.classNames.length;
  if (out.rank !== 2 || (out.shape[1] !== k && !(out.shape[1] === 1 && k === 2))) {
    throw new EngineError('bad_input', `model output has shape [${out.shape.join(', ')}] but the sidecar declares ${k} classNames (expected [N, ${k}]${k === 2 ? ' or [N, 1]' : ''})`);
  }
  return tf.tidy(() => {
    if (out.shape[1] === 1) {
      const p = s.output === 'logits' ? tf.sigmoid(out) : out;
      return tf.concat([tf.sub(1, p), p], 1) as tf.Tensor2D;
    }
    return (s.output === 'logits' ? tf.softmax(out) : out) as tf.Tensor2D;
  });
}

abstract class Base implements AuditedModel {
  abstract readonly kind: 'layers' | 'graph';
  abstract readonly hasLayers: boolean;
  constructor(
    readonly sidecar: Sidecar,
    readonly hash: string | null,
  ) {}
  get inputSize(): number {
    return this.sidecar.inputSize;
  }
  get channels(): 1 | 3 {
    return this.sidecar.channels;
  }
  get classNames(): string[] {
    return this.sidecar.classNames;
  }
  get positiveClass(): number {
    return this.sidecar.positiveClass;
  }
  protected abstract forward(input: tf.Tensor4D): tf.Tensor;
  predict(batch: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => toProbabilities(this.forward(toModelInput(batch, this.sidecar)), this.sidecar));
  }
  gradient(x: tf.Tensor4D, classIndex = this.positiveClass): tf.Tensor4D {
    if (!(classIndex >= 0 && classIndex < this.classNames.length)) throw new EngineError('invalid_request', `class index ${classIndex} out of range 0..${this.classNames.length - 1}`);
    // Samples are independent in inference mode, so the gradient of the batch sum is per image.
    return tf.tidy(() => tf.grad((xx: tf.Tensor) => this.predict(xx as tf.Tensor4D).slice([0, classIndex], [-1, 1]).sum())(x) as tf.Tensor4D);
  }
  abstract layerNames(): string[];
  abstract activations(x: tf.Tensor4D, layerName: string): tf.Tensor;
  abstract head(activations: tf.Tensor, layerName: string): tf.Tensor2D;
  abstract dispose(): void;
}

export class LayersAuditedModel extends Base {
  readonly kind = 'layers' as const;
  readonly hasLayers = true;
  constructor(
    readonly model: tf.LayersModel,
    sidecar: Sidecar,
    hash: string | null = null,
  ) {
    super(sidecar, hash);
  }
  protected forward(input: tf.Tensor4D): tf.Tensor {
    return this.model.apply(input, { training: false }) as tf.Tensor;
  }
  layerNames(): string[] {
    return namedLayers(this.model);
  }
  activations(x: tf.Tensor4D, layerName: string): tf.Tensor {
    findLayer(this.model, layerName);
    return tf.tidy(() => layerActivations(this.model, toModelInput(x, this.sidecar), layerName));
  }
  head(activations: tf.Tensor, layerName: string): tf.Tensor2D {
    return tf.tidy(() => toProbabilities(headFrom(this.model, activations, layerName), this.sidecar));
  }
  dispose(): void {
    this.model.dispose();
  }
}

export class GraphAuditedModel extends Base {
  readonly kind = 'graph' as const;
  readonly hasLayers = false;
  constructor(
    readonly model: tf.GraphModel,
    sidecar: Sidecar,
    hash: string | null = null,
  ) {
    super(sidecar, hash);
  }
  protected forward(input: tf.Tensor4D): tf.Tensor {
    const out = this.model.predict(input);
    if (!(out instanceof tf.Tensor)) throw new EngineError('bad_input', 'graph model has several outputs; the audit needs a single class-score output');
    return out;
  }
  private noLayers(what: string): never {
    throw new EngineError(
      'bad_input',
      `${what} needs named internal layers, which a tfjs GraphModel does not expose; convert the model as a LayersModel (tensorflowjs_converter --output_format tfjs_layers_model) to use Grad-CAM or IBA`,
    );
  }
  layerNames(): string[] {
    return this.noLayers('listing layers');
  }
  activations(_x: tf.Tensor4D, layerName: string): tf.Tensor {
    return this.noLayers(`activations of "${layerName}"`);
  }
  head(_a: tf.Tensor, layerName: string): tf.Tensor2D {
    return this.noLayers(`running the model from "${layerName}"`);
  }
  dispose(): void {
    this.model.dispose();
  }
}
