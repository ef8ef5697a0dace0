// Discriminator D(x, c) = psi(phi(x)) + r(c | x): ResNet blocks ReLU-Conv3-ReLU-Conv3 with
// spectral normalisation on every weight, global sum pooling to phi(x), a linear psi, and the
// ordinal projection head of seed 004 Eq. 4, r(c = k | x) = sum_{i<k} v_i^T phi(x) (Frank & Hall:
// K-1 cumulative binary terms), so neighbouring bins share most of their projection.
import * as tf from '@tensorflow/tfjs';
import { widthAt, type ExplainerArch } from './config';
import { conv, down, SpectralNorm } from './layers';
import type { ParamStore } from './params';

/** [K, K-1] with 1 at (k, i) for i < k: row k selects the terms of r(c = k | x). */
export function ordinalMask(k: number): tf.Tensor2D {
  return tf.tensor2d(Array.from({ length: k * (k - 1) }, (_, j) => (j % (k - 1) < Math.floor(j / (k - 1)) ? 1 : 0)), [k, k - 1]);
}

interface Block {
  w1: SpectralNorm;
  b1: tf.Variable;
  w2: SpectralNorm;
  b2: tf.Variable;
  skip: SpectralNorm | null;
  /** Halves the resolution. */
  down: boolean;
  /** The first block skips the leading ReLU (its input is the image). */
  first: boolean;
}

export class Discriminator {
  private readonly blocks: Block[] = [];
  private readonly psi: SpectralNorm;
  private readonly psiBias: tf.Variable;
  /** v_1..v_{K-1} as the columns of a [C, K-1] matrix. */
  private readonly proj: SpectralNorm;
  /** cumulative[k, i] = 1 for i < k: one-hot(c) x cumulative selects the terms of r(c | x). */
  private readonly cumulative: tf.Tensor2D;
  readonly features: number;
  /** Normalised kernels computed once, while the discriminator is not being trained. */
  private frozen: Map<SpectralNorm, tf.Tensor> | null = null;

  constructor(store: ParamStore, readonly arch: ExplainerArch) {
    const p = 'discriminator';
    const w = (d: number): number => widthAt(arch.discWidth, d, arch.maxWidth);
    const block = (n: string, cin: number, cout: number, isDown: boolean, first: boolean): Block => ({
      w1: new SpectralNorm(store, p, `${n}/conv1`, [3, 3, cin, cout]),
      b1: store.zeros(p, `${n}/bias1`, [cout]),
      w2: new SpectralNorm(store, p, `${n}/conv2`, [3, 3, cout, cout]),
      b2: store.zeros(p, `${n}/bias2`, [cout]),
      skip: cin !== cout || isDown ? new SpectralNorm(store, p, `${n}/skip`, [1, 1, cin, cout]) : null,
      down: isDown,
      first,
    });
    this.blocks.push(block('disc/block0', 1, w(0), true, true));
    for (let d = 1; d < arch.downsamples; d++) this.blocks.push(block(`disc/block${d}`, w(d - 1), w(d), true, false));
    this.blocks.push(block(`disc/block${arch.downsamples}`, w(arch.downsamples - 1), w(arch.downsamples), false, false));
    this.features = w(arch.downsamples);
    this.psi = new SpectralNorm(store, p, 'disc/psi', [this.features, 1]);
    this.psiBias = store.zeros(p, 'disc/psi_bias', [1]);
    this.proj = new SpectralNorm(store, p, 'disc/ordinal_v', [this.features, arch.bins - 1]);
    this.cumulative = ordinalMask(arch.bins);
    // Random start vectors underestimate sigma badly (huge first outputs); converge them first.
    this.powerIterate(20);
  }

  private spectral(): SpectralNorm[] {
    return [...this.blocks.flatMap((b) => [b.w1, b.w2, ...(b.skip ? [b.skip] : [])]), this.psi, this.proj];
  }

  private kernel(s: SpectralNorm): tf.Tensor {
    return this.frozen?.get(s) ?? s.kernel();
  }

  /**
   * Runs `fn` with every W / sigma(W) computed once as a constant: for the generator's update,
   * where only gradients with respect to the images are needed (sigma does not depend on them),
   * this saves the spectral-norm ops on the forward and backward passes.
   */
  withFrozenKernels<T>(fn: () => T): T {
    const kernels = new Map(this.spectral().map((s) => [s, tf.tidy(() => s.kernel())]));
    this.frozen = kernels;
    try {
      return fn();
    } finally {
      this.frozen = null;
      tf.dispose([...kernels.values()]);
    }
  }

  /** One power iteration for every normalised weight (before each discriminator update). */
  powerIterate(iterations = 1): void {
    for (const s of this.spectral()) s.powerIterate(iterations);
  }

  /** phi(x): [N, C] features of images in [-1, 1]. */
  phi(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = x;
      for (const b of this.blocks) {
        const a = b.first ? h : tf.relu(h);
        let r = tf.relu(conv(a, this.kernel(b.w1), b.b1));
        r = conv(r, this.kernel(b.w2), b.b2);
        let s = h;
        if (b.down) {
          r = down(r);
          // Pool before the 1x1 conv on the image (cheaper, same result), after it elsewhere.
          s = b.first ? conv(down(h), this.kernel(b.skip!)) : down(conv(h, this.kernel(b.skip!)));
        } else if (b.skip) {
          s = conv(h, this.kernel(b.skip));
        }
        h = tf.add(r, s);
      }
      return tf.sum(tf.relu(h), [1, 2]) as tf.Tensor2D;
    });
  }

  /** D(x, c): [N] scores; bins: [N] int32 conditions. */
  apply(x: tf.Tensor4D, bins: tf.Tensor1D): tf.Tensor1D {
    return tf.tidy(() => {
      const phi = this.phi(x);
      const psi = tf.add(tf.matMul(phi, this.kernel(this.psi) as tf.Tensor2D), this.psiBias).reshape([-1]);
      const terms = tf.matMul(tf.oneHot(bins, this.arch.bins).toFloat(), this.cumulative); // [N, K-1]
      const r = tf.sum(tf.mul(tf.matMul(phi, this.kernel(this.proj) as tf.Tensor2D), terms), 1);
      return tf.add(psi, r) as tf.Tensor1D;
    });
  }

  dispose(): void {
    this.cumulative.dispose();
  }
}
