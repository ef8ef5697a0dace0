// The supervised VAE of seed 003 (Eqs. 6-7): q(z|x,y) for training, q(z|x) for inference, z = (z1, z2),
// the head p(y|z1) reading z1 only and the decoder p(x|z) reading all of z.
import * as tf from '@tensorflow/tfjs';
import { disposeGaussian, reparameterize, sliceDims, type DiagGaussian } from './gaussian';
import { ConvDecoder, ConvEncoder, Head, toGaussian } from './networks';
import { categoricalLogLik, pixelLogLik, svaeTerms } from './objective';
import { ParamStore } from './params';
import type { BatchTerms, DecisionTerm, Surrogate, SurrogateConfig } from './surrogate';

export class Svae implements Surrogate {
  readonly params: ParamStore;
  readonly z1: number;
  readonly z2: number;
  readonly d: number;
  private readonly qxy: ConvEncoder;
  private readonly qx: ConvEncoder;
  private readonly head: Head;
  private readonly decoder: ConvDecoder;

  constructor(readonly config: SurrogateConfig) {
    const a = config.architecture;
    const k = config.classNames.length;
    this.z1 = a.z1;
    this.z2 = a.z2;
    this.d = a.z1 + a.z2;
    this.params = new ParamStore(config.seed);
    // Two encoders with their own weights (seed 003 Fig. 1): the label enters q(z|x,y) after the convolutions.
    this.qxy = new ConvEncoder(this.params, 'qxy', config.size, a.widths, a.hidden, k, 2 * this.d);
    this.qx = new ConvEncoder(this.params, 'qx', config.size, a.widths, a.hidden, 0, 2 * this.d);
    this.head = new Head(this.params, 'head', a.z1, a.headHidden, k);
    this.decoder = new ConvDecoder(this.params, 'dec', config.size, a.widths, a.hidden, this.d);
  }

  /** q(z|x), the inference encoder. */
  encode(x: tf.Tensor4D): DiagGaussian {
    const out = this.qx.apply(x);
    const g = toGaussian(out, this.d);
    out.dispose();
    return g;
  }

  /** q(z|x,y), the training encoder. */
  encodeWithLabel(x: tf.Tensor4D, yOneHot: tf.Tensor2D): DiagGaussian {
    const out = this.qxy.apply(x, yOneHot);
    const g = toGaussian(out, this.d);
    out.dispose();
    return g;
  }

  decodeLogits(z: tf.Tensor2D): tf.Tensor4D {
    return this.decoder.apply(z);
  }

  /** Decoded images in 0..1 (the Bernoulli means). */
  decode(z: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => tf.sigmoid(this.decoder.apply(z)) as tf.Tensor4D);
  }

  headLogits(z1: tf.Tensor2D): tf.Tensor2D {
    return this.head.apply(z1);
  }

  /** p(y | z1) probabilities for latent codes z [N, d] (only z1 is read). */
  classifyLatent(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(this.head.apply(tf.slice(z, [0, 0], [-1, this.z1]) as tf.Tensor2D)) as tf.Tensor2D);
  }

  classify(x: tf.Tensor4D): tf.Tensor2D {
    // Eq. 7's integral over q(z1|x) approximated at its mean: deterministic and what the invariance test re-encodes with.
    return tf.tidy(() => {
      const q = this.encode(x);
      return tf.softmax(this.head.apply(sliceDims(q, 0, this.z1).mu)) as tf.Tensor2D;
    });
  }

  terms(x: tf.Tensor4D, yOneHot: tf.Tensor2D, seed: number, decision?: DecisionTerm): BatchTerms {
    const t: Record<string, tf.Tensor1D> = tf.tidy(() => {
      const qxy = this.encodeWithLabel(x, yOneHot);
      const qx = this.encode(x);
      const z = reparameterize(qxy, tf.randomNormal(qxy.mu.shape, 0, 1, 'float32', seed) as tf.Tensor2D);
      const headLogits = this.head.apply(tf.slice(z, [0, 0], [-1, this.z1]) as tf.Tensor2D);
      const reconLogits = this.decoder.apply(z);
      const r = svaeTerms({ x, reconLogits, qxy, qx, yOneHot, headLogits, beta: this.config.beta, alpha: this.config.alpha, likelihood: this.config });
      const parts = { objective: r.objective, recon: r.recon, kl_prior: r.klPrior, kl_sufficiency: r.klSufficiency, log_py: r.logPy };
      if (!decision || decision.weight <= 0) return parts;
      // log f(y | decoded x) of the audited classifier, probabilities floored so that the log stays finite.
      const logPModel = categoricalLogLik(yOneHot, tf.log(tf.clipByValue(decision.decide(tf.sigmoid(reconLogits) as tf.Tensor4D), 1e-7, 1)) as tf.Tensor2D);
      return { ...parts, objective: tf.add(r.objective, tf.mul(decision.weight, logPModel)) as tf.Tensor1D, log_p_model: logPModel };
    });
    const { objective, ...parts } = t;
    return { objective, parts };
  }

  reconstruction(x: tf.Tensor4D, yOneHot: tf.Tensor2D, seed: number): tf.Tensor1D {
    return tf.tidy(() => {
      const q = this.encodeWithLabel(x, yOneHot);
      const z = reparameterize(q, tf.randomNormal(q.mu.shape, 0, 1, 'float32', seed) as tf.Tensor2D);
      disposeGaussian(q);
      return pixelLogLik(x, this.decoder.apply(z), this.config);
    });
  }

  dispose(): void {
    this.params.dispose();
  }
}
