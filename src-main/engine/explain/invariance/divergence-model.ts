// Seed 003 Eq. 9 as a model the saliency suite can explain: for one fixed query x, the score of
// class 1 for an image x~ is d_k(x, x~) = KL(q(z_k|x) || q(z_k|x~)) (class 0 scores -d). Every
// registered attribution method (gradient, gradient x input, SmoothGrad, Integrated Gradients)
// then attributes the divergence with target 1, and the saliency metrics (deletion, insertion,
// pixel perturbation, EHR) read it like any model output. Not a probability: only gradient-type
// methods and the metrics that perturb the input are meaningful on it.
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../../jobs/errors';
import type { AuditedModel } from '../../models/audited-model';
import type { Sidecar } from '../../models/sidecar';
import { klDiag, sliceDims, type DiagGaussian } from './gaussian';
import { latentBlock } from './attribution';
import type { Svae } from './svae';

/** The class whose score is d_k(x, x~). */
export const DIVERGENCE_TARGET = 1;

export class DivergenceModel implements AuditedModel {
  readonly kind = 'graph' as const;
  readonly hasLayers = false;
  readonly hash = null;
  readonly sidecar: Sidecar;
  private readonly ref: DiagGaussian;
  private readonly from: number;
  private readonly size: number;

  /** `x` is one image [1, S, S, 1]; the model owns a copy of its posterior until dispose. */
  constructor(
    private readonly svae: Pick<Svae, 'encode' | 'z1' | 'z2' | 'config'>,
    x: tf.Tensor4D,
    readonly k: 1 | 2,
  ) {
    if (x.shape[0] !== 1) throw new EngineError('bad_input', `the divergence model compares with one query image (got ${x.shape[0]})`);
    ({ from: this.from, size: this.size } = latentBlock(svae, k));
    const q = svae.encode(x);
    this.ref = sliceDims(q, this.from, this.size);
    tf.dispose([q.mu, q.logvar]);
    const s = svae.config.size;
    this.sidecar = {
      format: 'xray-audit-model',
      version: 1,
      inputSize: s,
      channels: 1,
      normalization: { scale: 1 / 255, offset: 0 },
      classNames: ['-d', `d_k${k}`],
      positiveClass: DIVERGENCE_TARGET,
      output: 'logits',
      provenance: { source: 'seed 003 Eq. 9: KL(q(z_k|x) || q(z_k|x~)) of an invariance SVAE' },
    };
  }

  get inputSize(): number {
    return this.svae.config.size;
  }
  get channels(): 1 {
    return 1;
  }
  get classNames(): string[] {
    return this.sidecar.classNames;
  }
  get positiveClass(): number {
    return DIVERGENCE_TARGET;
  }

  /** [N, 2]: (-d, d) per image; differentiable in x~. */
  predict(xt: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const n = xt.shape[0];
      const q = sliceDims(this.svae.encode(xt), this.from, this.size);
      const ref = { mu: tf.tile(this.ref.mu, [n, 1]) as tf.Tensor2D, logvar: tf.tile(this.ref.logvar, [n, 1]) as tf.Tensor2D };
      const d = tf.reshape(klDiag(ref, q), [n, 1]);
      return tf.concat([tf.neg(d), d], 1) as tf.Tensor2D;
    });
  }

  gradient(xt: tf.Tensor4D, classIndex = DIVERGENCE_TARGET): tf.Tensor4D {
    return tf.tidy(() => tf.grad((xx: tf.Tensor) => tf.sum(tf.slice(this.predict(xx as tf.Tensor4D), [0, classIndex], [-1, 1])))(xt) as tf.Tensor4D);
  }

  private noLayers(): never {
    throw new EngineError('bad_input', 'the divergence of Eq. 9 has no named layers (Grad-CAM and IBA do not apply)');
  }
  layerNames(): string[] {
    return this.noLayers();
  }
  activations(): tf.Tensor {
    return this.noLayers();
  }
  head(): tf.Tensor2D {
    return this.noLayers();
  }

  /** Frees the query's posterior (the SVAE stays). */
  dispose(): void {
    tf.dispose([this.ref.mu, this.ref.logvar]);
  }
}
