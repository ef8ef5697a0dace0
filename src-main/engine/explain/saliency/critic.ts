// The WGAN critic of InputIBA's mask generator (the authors' VisionDiscriminator): three convs
// (C -> 2C, k4 s2 p1; 2C -> 4C, k4 s2 p1; 4C -> C, k3 s1 p1) with batch norm (batch
// statistics, as in training mode) and LeakyReLU 0.2, then 512 -> 256 -> 1 dense layers.
// Written with plain variables so that weight clipping can reach every parameter.
import * as tf from '@tensorflow/tfjs';
import { makeRng } from '../../data/synthetic/rng';

const conv = (k: number, cin: number, cout: number) => ({ k, cin, cout });

export class Critic {
  readonly vars: tf.Variable[] = [];
  private readonly convs: { w: tf.Variable; b: tf.Variable; gamma: tf.Variable; beta: tf.Variable; stride: number; pad: number }[] = [];
  private readonly dense: { w: tf.Variable; b: tf.Variable }[] = [];

  constructor(h: number, w: number, channels: number, seed: number) {
    const rng = makeRng(seed);
    // PyTorch's default init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases.
    const uniform = (shape: number[], fanIn: number): tf.Variable => {
      const bound = 1 / Math.sqrt(fanIn);
      const n = shape.reduce((a, b) => a * b, 1);
      const t = tf.tensor(Float32Array.from({ length: n }, () => (2 * rng() - 1) * bound), shape);
      const v = tf.variable(t);
      t.dispose();
      this.vars.push(v);
      return v;
    };
    const constant = (n: number, value: number): tf.Variable => {
      const t = tf.fill([n], value);
      const v = tf.variable(t);
      t.dispose();
      this.vars.push(v);
      return v;
    };
    const c = channels;
    const specs = [
      { ...conv(4, c, 2 * c), stride: 2, pad: 1 },
      { ...conv(4, 2 * c, 4 * c), stride: 2, pad: 1 },
      { ...conv(3, 4 * c, c), stride: 1, pad: 1 },
    ];
    for (const s of specs) {
      const fanIn = s.k * s.k * s.cin;
      this.convs.push({ w: uniform([s.k, s.k, s.cin, s.cout], fanIn), b: uniform([s.cout], fanIn), gamma: constant(s.cout, 1), beta: constant(s.cout, 0), stride: s.stride, pad: s.pad });
    }
    let hh = h;
    let ww = w;
    for (const s of specs) {
      hh = Math.floor((hh + 2 * s.pad - s.k) / s.stride) + 1;
      ww = Math.floor((ww + 2 * s.pad - s.k) / s.stride) + 1;
    }
    const sizes = [hh * ww * c, 512, 256, 1];
    for (let i = 0; i + 1 < sizes.length; i++) this.dense.push({ w: uniform([sizes[i], sizes[i + 1]], sizes[i]), b: uniform([sizes[i + 1]], sizes[i]) });
  }

  /** Critic scores [B] for features [B, h, w, C]. */
  apply(x: tf.Tensor4D): tf.Tensor1D {
    return tf.tidy(() => {
      let h: tf.Tensor4D = x;
      for (const c of this.convs) {
        const padded = tf.pad(h, [[0, 0], [c.pad, c.pad], [c.pad, c.pad], [0, 0]]);
        const y = tf.conv2d(padded, c.w as unknown as tf.Tensor4D, c.stride, 'valid').add(c.b);
        const { mean, variance } = tf.moments(y, [0, 1, 2]);
        const bn = y.sub(mean).div(variance.add(1e-5).sqrt()).mul(c.gamma).add(c.beta);
        h = tf.leakyRelu(bn, 0.2) as tf.Tensor4D;
      }
      let f: tf.Tensor = h.reshape([h.shape[0], -1]);
      this.dense.forEach((d, i) => {
        f = f.matMul(d.w).add(d.b);
        if (i < this.dense.length - 1) f = tf.leakyRelu(f, 0.2);
      });
      return f.reshape([-1]) as tf.Tensor1D;
    });
  }

  /** WGAN weight clipping of every parameter (batch-norm scales included, as the authors do). */
  clip(c: number): void {
    for (const v of this.vars) {
      const t = tf.clipByValue(v, -c, c);
      v.assign(t);
      t.dispose();
    }
  }

  dispose(): void {
    tf.dispose(this.vars);
  }
}
