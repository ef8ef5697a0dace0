// Generator G: latent + target bin -> image in [-1, 1]. ResNet blocks
// cBN-ReLU-Conv3-cBN-ReLU-Conv3 with conditional batch norm (a scale and shift per bin) in every
// block; each block doubles the resolution (nearest neighbour) between its convolutions, back to
// the encoder's sides so odd sizes round-trip.
import * as tf from '@tensorflow/tfjs';
import { sidesOf, widthAt, type ExplainerArch } from './config';
import { ConditionalBatchNorm, conv, upTo, type Mode } from './layers';
import type { ParamStore } from './params';

interface Block {
  bn1: ConditionalBatchNorm;
  w1: tf.Variable;
  bn2: ConditionalBatchNorm;
  w2: tf.Variable;
  skip: tf.Variable;
  side: number;
}

export class Generator {
  private readonly blocks: Block[] = [];
  private readonly outBn: ConditionalBatchNorm;
  private readonly out: tf.Variable;
  private readonly outBias: tf.Variable;

  constructor(store: ParamStore, readonly arch: ExplainerArch) {
    const p = 'generator';
    const sides = sidesOf(arch);
    for (let d = arch.downsamples; d > 0; d--) {
      const cin = widthAt(arch.width, d, arch.maxWidth);
      const cout = widthAt(arch.width, d - 1, arch.maxWidth);
      const n = `gen/block${arch.downsamples - d}`;
      this.blocks.push({
        bn1: new ConditionalBatchNorm(store, p, `${n}/bn1`, cin, arch.bins),
        w1: store.he(p, `${n}/conv1`, [3, 3, cin, cout]),
        bn2: new ConditionalBatchNorm(store, p, `${n}/bn2`, cout, arch.bins),
        w2: store.he(p, `${n}/conv2`, [3, 3, cout, cout]),
        skip: store.he(p, `${n}/skip`, [1, 1, cin, cout], 0.5),
        side: sides[d - 1],
      });
    }
    this.outBn = new ConditionalBatchNorm(store, p, 'gen/out_bn', arch.width, arch.bins);
    this.out = store.he(p, 'gen/out', [3, 3, arch.width, 1], 0.5);
    this.outBias = store.zeros(p, 'gen/out_bias', [1]);
  }

  /**
   * z: the encoder's latent; bins: [N] int32 target bins, or [N, K] condition weights (a
   * one-hot row per image, or an interpolation between two bins' scale and shift). Returns
   * [N, S, S, 1] in [-1, 1].
   */
  apply(z: tf.Tensor4D, bins: tf.Tensor1D | tf.Tensor2D, mode: Mode): tf.Tensor4D {
    return tf.tidy(() => {
      const onehot = bins.rank === 2 ? (bins as tf.Tensor2D) : (tf.oneHot(bins as tf.Tensor1D, this.arch.bins).toFloat() as tf.Tensor2D);
      let h = z;
      for (const b of this.blocks) {
        let r = conv(tf.relu(b.bn1.apply(h, mode, onehot)), b.w1);
        r = conv(tf.relu(b.bn2.apply(upTo(r, b.side), mode, onehot)), b.w2);
        h = tf.add(r, upTo(conv(h, b.skip), b.side));
      }
      return tf.tanh(conv(tf.relu(this.outBn.apply(h, mode, onehot)), this.out, this.outBias));
    });
  }
}
