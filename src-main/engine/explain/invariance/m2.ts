// The semi-supervised VAE M2 of Kingma et al. as seed 003 uses it for comparison (Eq. 8), with
// the SVAE's encoder and decoder: q(z|x,y) is the SVAE's q(z|x,y); q(y|x) is the SVAE's q(z|x)
// architecture with K logits out; the decoder p(x|y,z) reads [z, one-hot y].
import * as tf from '@tensorflow/tfjs';
import { klStdNormal, reparameterize, type DiagGaussian } from './gaussian';
import { ConvDecoder, ConvEncoder, toGaussian } from './networks';
import { m2Terms, pixelLogLik } from './objective';
import { ParamStore } from './params';
import type { BatchTerms, Surrogate, SurrogateConfig } from './surrogate';

export class M2Vae implements Surrogate {
  readonly params: ParamStore;
  /** Latent size: the SVAE's z1 + z2, so both models have the same latent space. */
  readonly d: number;
  readonly k: number;
  private readonly qzxy: ConvEncoder;
  private readonly qyx: ConvEncoder;
  private readonly decoder: ConvDecoder;

  constructor(readonly config: SurrogateConfig) {
    const a = config.architecture;
    this.k = config.classNames.length;
    this.d = a.z1 + a.z2;
    this.params = new ParamStore(config.seed);
    this.qzxy = new ConvEncoder(this.params, 'qxy', config.size, a.widths, a.hidden, this.k, 2 * this.d);
    this.qyx = new ConvEncoder(this.params, 'qyx', config.size, a.widths, a.hidden, 0, this.k);
    this.decoder = new ConvDecoder(this.params, 'dec', config.size, a.widths, a.hidden, this.d + this.k);
  }

  encodeWithLabel(x: tf.Tensor4D, yOneHot: tf.Tensor2D): DiagGaussian {
    const out = this.qzxy.apply(x, yOneHot);
    const g = toGaussian(out, this.d);
    out.dispose();
    return g;
  }

  classLogits(x: tf.Tensor4D): tf.Tensor2D {
    return this.qyx.apply(x);
  }

  classify(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(this.qyx.apply(x)) as tf.Tensor2D);
  }

  decodeLogits(z: tf.Tensor2D, yOneHot: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => this.decoder.apply(tf.concat([z, yOneHot], 1) as tf.Tensor2D));
  }

  decode(z: tf.Tensor2D, yOneHot: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => tf.sigmoid(this.decodeLogits(z, yOneHot)) as tf.Tensor4D);
  }

  terms(x: tf.Tensor4D, yOneHot: tf.Tensor2D, seed: number): BatchTerms {
    const t = tf.tidy(() => {
      const n = x.shape[0];
      const f = this.qzxy.features(x);
      const u = (y: tf.Tensor2D, s: number): { recon: tf.Tensor1D; kl: tf.Tensor1D } => {
        const q = toGaussian(this.qzxy.fromFeatures(f, y), this.d);
        const z = reparameterize(q, tf.randomNormal([n, this.d], 0, 1, 'float32', s) as tf.Tensor2D);
        return { recon: pixelLogLik(x, this.decodeLogits(z, y), this.config), kl: klStdNormal(q) };
      };
      const labelled = u(yOneHot, seed);
      let uPerClass: tf.Tensor2D | null = null;
      if (this.config.m2SumOverClasses) {
        // All K labels in one decoder pass: rows c*N..(c+1)*N-1 hold class c.
        const ys = tf.oneHot(tf.range(0, this.k, 1, 'int32').reshape([this.k, 1]).tile([1, n]).reshape([-1]), this.k).toFloat() as tf.Tensor2D;
        const fk = tf.tile(f, [this.k, 1]) as tf.Tensor2D;
        const q = toGaussian(this.qzxy.fromFeatures(fk, ys), this.d);
        const z = reparameterize(q, tf.randomNormal([n * this.k, this.d], 0, 1, 'float32', seed + 7919) as tf.Tensor2D);
        const xk = tf.tile(x, [this.k, 1, 1, 1]);
        const uk = tf.sub(pixelLogLik(xk, this.decodeLogits(z, ys), this.config), klStdNormal(q));
        uPerClass = tf.transpose(tf.reshape(uk, [this.k, n])) as tf.Tensor2D;
      }
      const r = m2Terms({ recon: labelled.recon, klPrior: labelled.kl, uPerClass, yOneHot, classLogits: this.qyx.apply(x), alpha: this.config.alpha });
      return { objective: r.objective, recon: r.recon, klPrior: r.klPrior, unlabelled: r.unlabelled, logPy: r.logPy };
    });
    return { objective: t.objective, parts: { recon: t.recon, kl_prior: t.klPrior, unlabelled: t.unlabelled, log_py: t.logPy } };
  }

  reconstruction(x: tf.Tensor4D, yOneHot: tf.Tensor2D, seed: number): tf.Tensor1D {
    return tf.tidy(() => {
      const q = this.encodeWithLabel(x, yOneHot);
      const z = reparameterize(q, tf.randomNormal(q.mu.shape, 0, 1, 'float32', seed) as tf.Tensor2D);
      return pixelLogLik(x, this.decodeLogits(z, yOneHot), this.config);
    });
  }

  dispose(): void {
    this.params.dispose();
  }
}
