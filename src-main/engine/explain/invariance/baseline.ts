// The reference for the surrogates' accuracy (seed 003 Table 1 compares against it implicitly):
// the surrogate's q(z|x) encoder trained as a plain classifier (K logits out, cross-entropy),
// with the same data, batch size, rate, epochs and seed.
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../data/image-set';
import { makeRng, permutation, subSeed } from '../../data/synthetic/rng';
import { imageBatch } from '../../models/batches';
import { argmaxRows } from './evaluate';
import { ConvEncoder } from './networks';
import { categoricalLogLik } from './objective';
import { ParamStore } from './params';
import type { SurrogateConfig } from './surrogate';
import type { SurrogateTrainHooks } from './train';

export class EncoderClassifier {
  readonly params: ParamStore;
  private readonly net: ConvEncoder;
  constructor(readonly config: SurrogateConfig) {
    this.params = new ParamStore(config.seed);
    const a = config.architecture;
    this.net = new ConvEncoder(this.params, 'qx', config.size, a.widths, a.hidden, 0, config.classNames.length);
  }
  logits(x: tf.Tensor4D): tf.Tensor2D {
    return this.net.apply(x);
  }
  async predict(set: ImageSet, rows: number[], batchSize = 256): Promise<Int32Array> {
    const out = new Int32Array(rows.length);
    for (let b = 0; b < rows.length; b += batchSize) {
      const x = imageBatch(set, rows.slice(b, b + batchSize), this.config.size);
      const l = this.logits(x);
      out.set(argmaxRows(await l.data(), this.config.classNames.length), b);
      tf.dispose([x, l]);
    }
    return out;
  }
  dispose(): void {
    this.params.dispose();
  }
}

export async function trainEncoderClassifier(
  req: { set: ImageSet; config: SurrogateConfig; trainRows: number[]; targets: Int32Array; epochs: number; batchSize: number; learningRate: number },
  hooks: SurrogateTrainHooks = {},
): Promise<EncoderClassifier> {
  const m = new EncoderClassifier(req.config);
  const opt = tf.train.adam(req.learningRate);
  const k = req.config.classNames.length;
  const nb = Math.ceil(req.trainRows.length / req.batchSize);
  try {
    for (let epoch = 1; epoch <= req.epochs; epoch++) {
      const order = permutation(req.trainRows.length, makeRng(subSeed(req.config.seed, epoch, 1))).map((j) => req.trainRows[j]);
      for (let b = 0; b < nb; b++) {
        await hooks.checkpoint?.();
        const rows = order.slice(b * req.batchSize, (b + 1) * req.batchSize);
        const x = imageBatch(req.set, rows, req.config.size);
        const y = tf.tidy(() => tf.oneHot(tf.tensor1d(rows.map((i) => req.targets[i]), 'int32'), k).toFloat() as tf.Tensor2D);
        const loss = opt.minimize(() => tf.neg(tf.mean(categoricalLogLik(y, m.logits(x)))) as tf.Scalar, true, m.params.list())!;
        const lv = (await loss.data())[0];
        tf.dispose([x, y, loss]);
        hooks.progress?.({ stage: `plain classifier epoch ${epoch}/${req.epochs}`, fraction: (epoch - 1 + (b + 1) / nb) / req.epochs, metrics: { loss: lv } });
      }
    }
  } catch (e) {
    m.dispose();
    throw e;
  } finally {
    opt.dispose();
  }
  return m;
}
