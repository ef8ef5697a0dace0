// One training step of seed 004's objective: an encoder+generator update on
//   lambda_cGAN L_G,adv + lambda_f L_f + lambda_rec (L_rec + L_cyc),
// then a discriminator update on the hinge loss, reusing the step's explanations as fakes (one
// generator pass fewer than generating them again).
import * as tf from '@tensorflow/tfjs';
import type { AuditedModel } from '../../models/audited-model';
import { binCentre } from './bins';
import type { LossWeights } from './config';
import type { ExaggerationExplainer } from './explainer';
import { bernoulliKl, discriminatorHinge, generatorAdversarial, l1 } from './losses';

/** The loss terms of one step (generator side after its update's forward pass). */
export interface StepLosses {
  /** Discriminator hinge loss, and its real and fake halves. */
  d: number;
  d_real: number;
  d_fake: number;
  /** -E[D(x_delta, c)]. */
  g_adv: number;
  /** KL(Bern(t) || Bern(f(x_delta))). */
  kl: number;
  /** |x - G(E(x), c_f(x, 0))|_1 and |x - G(E(x_delta), c_f(x, 0))|_1, in [-1, 1] units. */
  rec: number;
  cyc: number;
  /** The weighted generator objective. */
  g_total: number;
}

export const LOSS_KEYS: (keyof StepLosses)[] = ['d', 'd_real', 'd_fake', 'g_adv', 'kl', 'rec', 'cyc', 'g_total'];

export class ExaggerationStep {
  private readonly gVars: tf.Variable[];
  private readonly dVars: tf.Variable[];

  constructor(
    private readonly explainer: ExaggerationExplainer,
    private readonly model: AuditedModel,
    private readonly weights: LossWeights,
    readonly optG: tf.Optimizer,
    readonly optD: tf.Optimizer,
  ) {
    if (!explainer.discriminator) throw new Error('training needs an explainer built with its discriminator');
    this.gVars = explainer.store.trainable(['encoder', 'generator']);
    this.dVars = explainer.store.trainable(['discriminator']);
  }

  /**
   * x: [N, S, S, 1] in [0, 1]; identity: c_f(x, 0) per image; target: the drawn bins.
   * Disposes nothing it was given.
   */
  async run(x: tf.Tensor4D, identity: Int32Array, target: Int32Array): Promise<StepLosses> {
    const ex = this.explainer;
    const disc = ex.discriminator!;
    const w = this.weights;
    const k = ex.bins;
    const n = x.shape[0];
    const c0 = tf.tensor1d(identity, 'int32');
    const ct = tf.tensor1d(target, 'int32');
    const t = tf.tensor1d(Array.from(target, (b) => binCentre(b, k)));
    const xpm = tf.tidy(() => tf.sub(tf.mul(x, 2), 1) as tf.Tensor4D);
    // Tensors kept out of the gradient closures (explanations, loss terms), freed at the end.
    const kept: { fake?: tf.Tensor4D; g?: tf.Tensor1D; d?: tf.Tensor1D } = {};
    try {
      // The discriminator is not updated here: its normalised kernels are constants of this pass.
      const { value, grads } = disc.withFrozenKernels(() =>
        tf.variableGrads(() => {
          const z = ex.encoder.apply(xpm, 'train');
          // Explanation and reconstruction in one generator pass (batch statistics over both).
          const out = ex.generator.apply(tf.concat([z, z]), tf.concat([ct, c0]), 'train');
          const xd = out.slice([0, 0, 0, 0], [n, -1, -1, -1]);
          const xr = out.slice([n, 0, 0, 0], [n, -1, -1, -1]);
          const xc = ex.generator.apply(ex.encoder.apply(xd, 'train'), c0, 'train');
          const adv = generatorAdversarial(disc.apply(xd, ct));
          const p = this.model.predict(tf.div(tf.add(xd, 1), 2) as tf.Tensor4D).slice([0, this.model.positiveClass], [-1, 1]).reshape([-1]) as tf.Tensor1D;
          const kl = bernoulliKl(t, p);
          const rec = l1(xpm, xr);
          const cyc = l1(xpm, xc);
          const total = tf.addN([tf.mul(adv, w.cgan), tf.mul(kl, w.f), tf.mul(tf.add(rec, cyc), w.rec)]) as tf.Scalar;
          kept.fake = tf.keep(xd);
          kept.g = tf.keep(tf.stack([adv, kl, rec, cyc, total]) as tf.Tensor1D);
          return total;
        }, this.gVars),
      );
      this.optG.applyGradients(grads);
      tf.dispose([value, ...Object.values(grads)]);

      disc.powerIterate();
      const both = tf.concat([xpm, kept.fake!]);
      const bins = tf.concat([c0, ct]);
      const dLoss = this.optD.minimize(
        () => {
          const scores = disc.apply(both, bins);
          const real = scores.slice([0], [n]);
          const fk = scores.slice([n], [n]);
          const loss = discriminatorHinge(real, fk);
          kept.d = tf.keep(tf.stack([loss, tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fk)))]) as tf.Tensor1D);
          return loss;
        },
        true,
        this.dVars,
      );
      tf.dispose([both, bins, dLoss!]);
      // One read per part (a read inside tidy is slow on wasm).
      const g = await kept.g!.data();
      const d = await kept.d!.data();
      return { d: d[0], d_real: d[1], d_fake: d[2], g_adv: g[0], kl: g[1], rec: g[2], cyc: g[3], g_total: g[4] };
    } finally {
      tf.dispose([c0, ct, t, xpm, ...Object.values(kept)]);
    }
  }
}
