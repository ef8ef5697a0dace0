// Encoder E: grey image in [-1, 1] -> spatial latent. ResNet blocks BN-ReLU-Conv3-BN-ReLU-Conv3
// (seed 004's blocks), each halving the resolution with average pooling between its convolutions
// so the second, wider convolution runs at the lower resolution.
import * as tf from '@tensorflow/tfjs';
import { widthAt, type ExplainerArch } from './config';
import { conv, down, PlainBatchNorm, type Mode } from './layers';
import type { ParamStore } from './params';

interface Block {
  bn1: PlainBatchNorm;
  w1: tf.Variable;
  bn2: PlainBatchNorm;
  w2: tf.Variable;
  skip: tf.Variable;
}

export class Encoder {
  private readonly stem: tf.Variable;
  private readonly blocks: Block[] = [];
  /** Channels of the latent. */
  readonly channels: number;

  constructor(store: ParamStore, readonly arch: ExplainerArch) {
    const p = 'encoder';
    this.stem = store.he(p, 'enc/stem', [3, 3, 1, arch.width]);
    for (let d = 0; d < arch.downsamples; d++) {
      const cin = widthAt(arch.width, d, arch.maxWidth);
      const cout = widthAt(arch.width, d + 1, arch.maxWidth);
      const n = `enc/block${d}`;
      this.blocks.push({
        bn1: new PlainBatchNorm(store, p, `${n}/bn1`, cin),
        w1: store.he(p, `${n}/conv1`, [3, 3, cin, cin]),
        bn2: new PlainBatchNorm(store, p, `${n}/bn2`, cin),
        w2: store.he(p, `${n}/conv2`, [3, 3, cin, cout]),
        skip: store.he(p, `${n}/skip`, [1, 1, cin, cout], 0.5),
      });
    }
    this.channels = widthAt(arch.width, arch.downsamples, arch.maxWidth);
  }

  /** x: [N, S, S, 1] in [-1, 1] -> [N, s, s, channels]. */
  apply(x: tf.Tensor4D, mode: Mode): tf.Tensor4D {
    return tf.tidy(() => {
      let h = conv(x, this.stem);
      for (const b of this.blocks) {
        let r = conv(tf.relu(b.bn1.apply(h, mode)), b.w1);
        r = conv(tf.relu(b.bn2.apply(down(r), mode)), b.w2);
        h = tf.add(r, conv(down(h), b.skip));
      }
      return h;
    });
  }
}
