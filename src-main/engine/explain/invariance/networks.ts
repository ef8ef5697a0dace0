// The convolutional encoder and decoder shared by the SVAE and M2 (seed 003 compares them with
// the same architectures), in the spirit of seed 000's Table 2, slimmed for CPU training:
//   encoder: L x [conv 4x4 stride 2 'same' + ReLU] (widths[0..L-1]) -> flatten [-> concat extra
//            inputs, e.g. the one-hot label of q(z|x,y)] -> dense `hidden` + ReLU -> dense out
//   decoder: dense `hidden` + ReLU -> dense (S/2^L)^2 * widths[L-1] + ReLU -> reshape ->
//            L x [conv-transpose 4x4 stride 2 'same'] (ReLU between, last one to 1 channel): logits
// At 28 px with widths [32, 64]: 28 -> 14 -> 7, as in Table 2 (which has 64, 64).
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../../jobs/errors';
import type { DiagGaussian } from './gaussian';
import type { ParamStore } from './params';

const K = 4;

/** Encoder widths for an image size: the given ones, else [32, 64] and more 64s until the side is at most 8. */
export function resolveWidths(size: number, widths: number[]): number[] {
  let w = widths;
  if (!w.length) {
    w = [32, 64];
    for (let side = size / 4; side > 8 && side % 2 === 0; side /= 2) w.push(64);
  }
  if (size % 2 ** w.length !== 0) throw new EngineError('invalid_request', `image size ${size} is not divisible by 2^${w.length} (one halving per encoder width)`);
  return w;
}

export class ConvEncoder {
  private readonly side: number;
  constructor(
    private readonly p: ParamStore,
    private readonly name: string,
    size: number,
    private readonly widths: number[],
    hidden: number,
    extraInputs: number,
    readonly outputs: number,
  ) {
    this.side = size / 2 ** widths.length;
    let cin = 1;
    widths.forEach((w, s) => {
      p.add(`${name}/conv${s}/kernel`, [K, K, cin, w], 'he');
      p.add(`${name}/conv${s}/bias`, [w], 'zeros');
      cin = w;
    });
    const flat = this.side * this.side * cin;
    p.add(`${name}/hidden/kernel`, [flat + extraInputs, hidden], 'he');
    p.add(`${name}/hidden/bias`, [hidden], 'zeros');
    p.add(`${name}/out/kernel`, [hidden, outputs], 'glorot');
    p.add(`${name}/out/bias`, [outputs], 'zeros');
  }

  /** Flattened conv features [N, F] (computed once when several heads share them, as in M2's sum over classes). */
  features(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      let h: tf.Tensor4D = x;
      this.widths.forEach((_, s) => {
        h = tf.fused.conv2d({ x: h, filter: this.p.get(`${this.name}/conv${s}/kernel`) as tf.Tensor4D, strides: 2, pad: 'same', bias: this.p.get(`${this.name}/conv${s}/bias`), activation: 'relu' });
      });
      return tf.reshape(h, [x.shape[0], -1]) as tf.Tensor2D;
    });
  }

  fromFeatures(f: tf.Tensor2D, extra?: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const input = extra ? tf.concat([f, extra], 1) : f;
      const h = tf.fused.matMul({ a: input, b: this.p.get(`${this.name}/hidden/kernel`) as tf.Tensor2D, bias: this.p.get(`${this.name}/hidden/bias`), activation: 'relu' });
      return tf.fused.matMul({ a: h, b: this.p.get(`${this.name}/out/kernel`) as tf.Tensor2D, bias: this.p.get(`${this.name}/out/bias`) }) as tf.Tensor2D;
    });
  }

  apply(x: tf.Tensor4D, extra?: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.fromFeatures(this.features(x), extra));
  }
}

/** Splits an encoder output [N, 2d] into a diagonal Gaussian; log-variances softly bounded to +-6 (keeps the KL terms finite early in training). */
export function toGaussian(out: tf.Tensor2D, d: number): DiagGaussian {
  const mu = tf.slice(out, [0, 0], [-1, d]) as tf.Tensor2D;
  const logvar = tf.tidy(() => tf.mul(6, tf.tanh(tf.div(tf.slice(out, [0, d], [-1, d]), 6))) as tf.Tensor2D);
  return { mu, logvar };
}

export class ConvDecoder {
  private readonly side: number;
  constructor(
    private readonly p: ParamStore,
    private readonly name: string,
    private readonly size: number,
    private readonly widths: number[],
    hidden: number,
    inputs: number,
  ) {
    this.side = size / 2 ** widths.length;
    const top = widths[widths.length - 1];
    p.add(`${name}/hidden/kernel`, [inputs, hidden], 'he');
    p.add(`${name}/hidden/bias`, [hidden], 'zeros');
    p.add(`${name}/grid/kernel`, [hidden, this.side * this.side * top], 'he');
    p.add(`${name}/grid/bias`, [this.side * this.side * top], 'zeros');
    // Transposed-conv filters are [k, k, out, in]; stage s maps widths[s] -> widths[s-1] (or 1 pixel channel).
    for (let s = widths.length - 1; s >= 0; s--) {
      const cout = s === 0 ? 1 : widths[s - 1];
      p.add(`${name}/deconv${s}/kernel`, [K, K, cout, widths[s]], s === 0 ? 'glorot' : 'he', { in: K * K * widths[s] / 4, out: K * K * cout / 4 });
      p.add(`${name}/deconv${s}/bias`, [cout], 'zeros');
    }
  }

  /** Pixel logits [N, S, S, 1] for latent inputs [N, inputs]. */
  apply(z: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => {
      const n = z.shape[0];
      const h = tf.fused.matMul({ a: z, b: this.p.get(`${this.name}/hidden/kernel`) as tf.Tensor2D, bias: this.p.get(`${this.name}/hidden/bias`), activation: 'relu' });
      const g = tf.fused.matMul({ a: h, b: this.p.get(`${this.name}/grid/kernel`) as tf.Tensor2D, bias: this.p.get(`${this.name}/grid/bias`), activation: 'relu' });
      let x = tf.reshape(g, [n, this.side, this.side, this.widths[this.widths.length - 1]]) as tf.Tensor4D;
      let side = this.side;
      for (let s = this.widths.length - 1; s >= 0; s--) {
        const cout = s === 0 ? 1 : this.widths[s - 1];
        side *= 2;
        const y = tf.add(tf.conv2dTranspose(x, this.p.get(`${this.name}/deconv${s}/kernel`) as tf.Tensor4D, [n, side, side, cout], 2, 'same'), this.p.get(`${this.name}/deconv${s}/bias`)) as tf.Tensor4D;
        x = s === 0 ? y : tf.relu(y);
      }
      return x;
    });
  }
}

/** p(y | z1): an MLP with one hidden layer (or linear when hidden is 0). */
export class Head {
  constructor(
    private readonly p: ParamStore,
    private readonly name: string,
    inputs: number,
    private readonly hidden: number,
    classes: number,
  ) {
    if (hidden > 0) {
      p.add(`${name}/hidden/kernel`, [inputs, hidden], 'he');
      p.add(`${name}/hidden/bias`, [hidden], 'zeros');
    }
    p.add(`${name}/out/kernel`, [hidden > 0 ? hidden : inputs, classes], 'glorot');
    p.add(`${name}/out/bias`, [classes], 'zeros');
  }

  apply(z1: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.hidden > 0 ? tf.fused.matMul({ a: z1, b: this.p.get(`${this.name}/hidden/kernel`) as tf.Tensor2D, bias: this.p.get(`${this.name}/hidden/bias`), activation: 'relu' }) : z1;
      return tf.fused.matMul({ a: h, b: this.p.get(`${this.name}/out/kernel`) as tf.Tensor2D, bias: this.p.get(`${this.name}/out/bias`) }) as tf.Tensor2D;
    });
  }
}
