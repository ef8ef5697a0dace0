// Building blocks shared by encoder, generator and discriminator, written as plain ops on the
// store's variables (no tfjs-layers): conditional batch norm and spectral normalisation need
// per-sample parameters and persistent power-iteration state that layers do not offer.
//
// Batch norm is written with moments and broadcasting arithmetic on purpose: tf.batchNorm's
// gradient uses Tile, which is slow on the wasm backend.
import * as tf from '@tensorflow/tfjs';
import type { ParamStore, Part } from './params';

/** 'train': batch statistics (and running averages updated); 'eval': running averages. */
export type Mode = 'train' | 'eval';

const BN_EPS = 1e-5;
const BN_MOMENTUM = 0.9;

export function conv(x: tf.Tensor4D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor4D {
  const y = tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
  return b ? tf.add(y, b) : y;
}

/** Halves the side (ceil), averaging only real pixels at an odd edge. */
export function down(x: tf.Tensor4D): tf.Tensor4D {
  return tf.avgPool(x, 2, 2, 'same');
}

/**
 * Nearest-neighbour doubling, cropped to `side` (2s - 1 undoes the ceil of an odd side's 'same'
 * pooling). Written as a broadcast add: its gradient is a sum, where ResizeNearestNeighborGrad
 * is slow on wasm.
 */
export function upTo(x: tf.Tensor4D, side: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const up = tf.reshape(tf.add(tf.reshape(x, [n * h, 1, w, 1, c]), tf.zeros([1, 2, 1, 2, 1])), [n, 2 * h, 2 * w, c]) as tf.Tensor4D;
  return side === 2 * h && side === 2 * w ? up : tf.slice(up, [0, 0, 0, 0], [-1, side, side, -1]);
}

/** Batch norm with running statistics; `scale`/`shift` are [C] or per sample [N, C]. */
export class BatchNorm {
  private readonly mean: tf.Variable;
  private readonly variance: tf.Variable;

  constructor(
    store: ParamStore,
    part: Part,
    readonly name: string,
    readonly channels: number,
  ) {
    this.mean = store.zeros(part, `${name}/moving_mean`, [channels], false);
    this.variance = store.ones(part, `${name}/moving_variance`, [channels], false);
  }

  apply(x: tf.Tensor4D, mode: Mode, scale: tf.Tensor, shift: tf.Tensor): tf.Tensor4D {
    let mean: tf.Tensor = this.mean;
    let variance: tf.Tensor = this.variance;
    if (mode === 'train') {
      ({ mean, variance } = tf.moments(x, [0, 1, 2]));
      // Running averages for inference; assignments are not on the gradient tape.
      const m = mean;
      const v = variance;
      this.mean.assign(tf.tidy(() => this.mean.mul(BN_MOMENTUM).add(m.mul(1 - BN_MOMENTUM))));
      this.variance.assign(tf.tidy(() => this.variance.mul(BN_MOMENTUM).add(v.mul(1 - BN_MOMENTUM))));
    }
    // y = (x - mean) * rsqrt(var + eps) * scale + shift, folded into per-channel (or per-sample,
    // per-channel) a and b first, so the full-size tensor sees one multiply and one add.
    const c = this.channels;
    const perSample = scale.rank === 2;
    const a = tf.mul(tf.rsqrt(tf.add(variance, BN_EPS)), scale);
    const b = tf.sub(shift, tf.mul(mean, a));
    return tf.add(tf.mul(x, perSample ? tf.reshape(a, [-1, 1, 1, c]) : a), perSample ? tf.reshape(b, [-1, 1, 1, c]) : b);
  }
}

/** Unconditional batch norm with learned scale and shift. */
export class PlainBatchNorm {
  private readonly bn: BatchNorm;
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;
  constructor(store: ParamStore, part: Part, name: string, channels: number) {
    this.bn = new BatchNorm(store, part, name, channels);
    this.gamma = store.ones(part, `${name}/gamma`, [channels]);
    this.beta = store.zeros(part, `${name}/beta`, [channels]);
  }
  apply(x: tf.Tensor4D, mode: Mode): tf.Tensor4D {
    return this.bn.apply(x, mode, this.gamma, this.beta);
  }
}

/**
 * Conditional batch norm: a scale and shift per bin (Miyato & Koyama's conditional BN), picked
 * with a one-hot matrix product rather than a gather (cheaper gradient on wasm).
 */
export class ConditionalBatchNorm {
  private readonly bn: BatchNorm;
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;
  constructor(store: ParamStore, part: Part, name: string, channels: number, bins: number) {
    this.bn = new BatchNorm(store, part, name, channels);
    this.gamma = store.ones(part, `${name}/gamma`, [bins, channels]);
    this.beta = store.zeros(part, `${name}/beta`, [bins, channels]);
  }
  /** `onehot`: [N, bins]. */
  apply(x: tf.Tensor4D, mode: Mode, onehot: tf.Tensor2D): tf.Tensor4D {
    return this.bn.apply(x, mode, tf.matMul(onehot, this.gamma), tf.matMul(onehot, this.beta));
  }
}

/**
 * Spectral normalisation (Miyato et al. 2018): W / sigma(W), sigma estimated by power iteration
 * on W reshaped to [fan-in, out]. The vectors u, v persist between steps (one iteration per
 * discriminator update converges over training) and are constants for the gradient.
 */
export class SpectralNorm {
  readonly w: tf.Variable;
  private readonly u: tf.Variable;
  private readonly v: tf.Variable;
  private readonly rows: number;
  private readonly cols: number;

  constructor(store: ParamStore, part: Part, name: string, shape: number[], gain = 1) {
    this.w = store.he(part, `${name}/kernel`, shape, gain);
    this.cols = shape[shape.length - 1];
    this.rows = this.w.size / this.cols;
    this.u = store.unit(part, `${name}/sn_u`, this.cols);
    this.v = store.unit(part, `${name}/sn_v`, this.rows);
  }

  /** One power iteration: v <- W u / |W u|, u <- W^T v / |W^T v|. Call outside the gradient tape. */
  powerIterate(iterations = 1): void {
    tf.tidy(() => {
      const w = this.w.reshape([this.rows, this.cols]);
      let u = this.u as tf.Tensor;
      let v = this.v as tf.Tensor;
      for (let i = 0; i < iterations; i++) {
        const wu = tf.matMul(w, u.reshape([this.cols, 1])).reshape([this.rows]);
        v = wu.div(tf.norm(wu).add(1e-12));
        const wv = tf.matMul(w, v.reshape([this.rows, 1]), true, false).reshape([this.cols]);
        u = wv.div(tf.norm(wv).add(1e-12));
      }
      this.v.assign(v);
      this.u.assign(u);
    });
  }

  /** sigma = v^T W u with the current vectors. */
  sigma(): tf.Scalar {
    return tf.tidy(() => tf.matMul(tf.matMul(this.v.reshape([1, this.rows]), this.w.reshape([this.rows, this.cols])), this.u.reshape([this.cols, 1])).reshape([]) as tf.Scalar);
  }

  /** The normalised kernel, differentiable with respect to W. */
  kernel(): tf.Tensor {
    return tf.div(this.w, this.sigma());
  }
}
