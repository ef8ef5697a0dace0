// The explainer I_f(x, delta) = G(E(x), c_f(x, delta)) of seed 004, bound to the classifier it
// was trained against (by the classifier's model hash). Images outside are grey [N, S, S, 1] in
// [0, 1] like everywhere in the engine; the networks work in [-1, 1].
import * as tf from '@tensorflow/tfjs';
import type { AuditedModel } from '../../models/audited-model';
import { EngineError } from '../../jobs/errors';
import type { ExplainerArch, LossWeights } from './config';
import { Discriminator } from './discriminator';
import { Encoder } from './encoder';
import { Generator } from './generator';
import type { Mode } from './layers';
import { ParamStore } from './params';

/** What the explainer knows of its classifier. */
export interface ClassifierRef {
  /** Model hash (models/hash.ts); null only for unsaved test models. */
  hash: string | null;
  inputSize: number;
  classNames: string[];
  positiveClass: number;
}

export function classifierRef(model: AuditedModel): ClassifierRef {
  return { hash: model.hash, inputSize: model.inputSize, classNames: [...model.classNames], positiveClass: model.positiveClass };
}

export class ExaggerationExplainer {
  readonly store: ParamStore;
  readonly encoder: Encoder;
  readonly generator: Generator;
  /** Only while training (a saved explainer keeps encoder and generator). */
  readonly discriminator: Discriminator | null;

  constructor(
    readonly arch: ExplainerArch,
    readonly classifier: ClassifierRef,
    readonly weights: LossWeights,
    opts: { discriminator?: boolean } = {},
  ) {
    this.store = new ParamStore(arch.seed);
    this.encoder = new Encoder(this.store, arch);
    this.generator = new Generator(this.store, arch);
    this.discriminator = opts.discriminator ? new Discriminator(this.store, arch) : null;
  }

  get bins(): number {
    return this.arch.bins;
  }

  /** Throws unless `model` is the classifier this explainer was trained for. */
  checkClassifier(model: AuditedModel, where = 'the explainer'): void {
    const want = this.classifier.hash;
    if (want !== null && model.hash !== want) {
      throw new EngineError(
        'bad_input',
        `${where} was trained for the classifier with hash ${want.slice(0, 12)}…, not this one (${model.hash ? `${model.hash.slice(0, 12)}…` : 'unsaved'}): an exaggeration explainer explains one classifier only; train one for this classifier`,
      );
    }
    if (model.inputSize !== this.arch.imageSize) throw new EngineError('bad_input', `${where} works on ${this.arch.imageSize} px images; the classifier takes ${model.inputSize} px`);
  }

  /** E(x) for images in [0, 1]. */
  encode(x: tf.Tensor4D, mode: Mode = 'eval'): tf.Tensor4D {
    return tf.tidy(() => this.encoder.apply(tf.sub(tf.mul(x, 2), 1), mode));
  }

  /** G(z, c) as images in [0, 1]; `bins` as in Generator.apply. */
  decode(z: tf.Tensor4D, bins: tf.Tensor1D | tf.Tensor2D, mode: Mode = 'eval'): tf.Tensor4D {
    return tf.tidy(() => tf.div(tf.add(this.generator.apply(z, bins, mode), 1), 2));
  }

  /** I_f(x, .) for one target bin per image: [N, S, S, 1] in [0, 1]. */
  explain(x: tf.Tensor4D, bins: ArrayLike<number>): tf.Tensor4D {
    if (bins.length !== x.shape[0]) throw new EngineError('invalid_request', `explain: ${x.shape[0]} images but ${bins.length} target bins`);
    return tf.tidy(() => this.decode(this.encode(x), tf.tensor1d(Array.from(bins), 'int32')));
  }

  /** The series: for each image, one frame per bin 0..K-1; [N * K, S, S, 1], image-major. */
  series(x: tf.Tensor4D): tf.Tensor4D {
    const k = this.bins;
    const n = x.shape[0];
    return tf.tidy(() => {
      const z = this.encode(x);
      // Each latent repeated K times (gather of rows: cheap, no Tile).
      const zr = tf.gather(z, tf.tensor1d(Array.from({ length: n * k }, (_, j) => Math.floor(j / k)), 'int32'));
      const bins = tf.tensor1d(Array.from({ length: n * k }, (_, j) => j % k), 'int32');
      return this.decode(zr as tf.Tensor4D, bins);
    });
  }

  /**
   * G(z, c) at continuous knob positions c (one per row of z): c = k is bin k's condition, and
   * between bins (or up to half a bin beyond the ends) the two nearest bins' cBN scale and shift
   * are interpolated (extrapolated) linearly.
   */
  decodeAt(z: tf.Tensor4D, knob: ArrayLike<number>): tf.Tensor4D {
    const k = this.bins;
    const w = new Float32Array(knob.length * k);
    for (let i = 0; i < knob.length; i++) {
      const c = Math.max(-0.5, Math.min(k - 0.5, knob[i]));
      const i0 = Math.max(0, Math.min(k - 2, Math.floor(c)));
      const t = c - i0;
      w[i * k + i0] = 1 - t;
      w[i * k + i0 + 1] = t;
    }
    return tf.tidy(() => this.decode(z, tf.tensor2d(w, [knob.length, k])));
  }

  /** Scalars in the saved explainer (encoder + generator, running statistics included). */
  parameterCount(): number {
    return this.store.size(['encoder', 'generator']);
  }

  dispose(): void {
    this.discriminator?.dispose();
    this.store.dispose();
  }
}
