// The predictors of seed 001 4.1: a fully connected network with one hidden layer (100 units,
// sigmoid output), trained with Adam on soft targets in [0, 1] (cross-entropy). Own loop with a
// seeded batch order, so a run is reproducible from its seed. Optional L2 weight decay.
import * as tf from '@tensorflow/tfjs';
import { makeRng, permutation } from '../../data/synthetic/rng';
import { countOf, pixels, type Images } from './images';

export interface TrainOptions {
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  seed: number;
}

export class Mlp {
  private readonly vars: tf.Variable[];
  private readonly optimizer: tf.Optimizer;

  constructor(
    readonly inputs: number,
    readonly hidden = 100,
    seed = 0,
    learningRate = 3e-3,
    /** L2 penalty on the weights (not the biases), added to the training loss. */
    readonly weightDecay = 0,
  ) {
    const l1 = Math.sqrt(6 / (inputs + hidden));
    const l2 = Math.sqrt(6 / (hidden + 1));
    this.vars = [
      tf.variable(tf.randomUniform([inputs, hidden], -l1, l1, 'float32', seed)),
      tf.variable(tf.zeros([hidden])),
      tf.variable(tf.randomUniform([hidden, 1], -l2, l2, 'float32', seed + 1)),
      tf.variable(tf.zeros([1])),
    ];
    this.optimizer = tf.train.adam(learningRate);
  }

  /** Logits [N, 1] of x [N, inputs]; differentiable. */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    const [w1, b1, w2, b2] = this.vars;
    return tf.tidy(() => x.matMul(w1).add(b1).relu().matMul(w2).add(b2) as tf.Tensor2D);
  }

  /** P [N, 1]; differentiable. */
  prob(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.logits(x)));
  }

  /** Outputs for a batch of images. */
  predict(images: Images): Float32Array {
    const x = tf.tensor2d(images.data, [countOf(images), pixels(images)]);
    const p = this.prob(x);
    const out = p.dataSync() as Float32Array;
    tf.dispose([x, p]);
    return Float32Array.from(out);
  }

  /** Trains (continuing from the current weights) on images with targets in [0, 1]; returns the last epoch's mean loss. */
  async train(images: Images, targets: Float32Array, o: TrainOptions): Promise<number> {
    const n = countOf(images);
    const px = pixels(images);
    const bs = o.batchSize ?? 64;
    const rng = makeRng(o.seed);
    let last = NaN;
    for (let e = 0; e < o.epochs; e++) {
      const order = permutation(n, rng);
      let sum = 0;
      for (let b = 0; b < n; b += bs) {
        const rows = order.slice(b, b + bs);
        const xb = new Float32Array(rows.length * px);
        const yb = new Float32Array(rows.length);
        rows.forEach((r, j) => {
          xb.set(images.data.subarray(r * px, (r + 1) * px), j * px);
          yb[j] = targets[r];
        });
        const x = tf.tensor2d(xb, [rows.length, px]);
        const y = tf.tensor2d(yb, [rows.length, 1]);
        const wd = this.weightDecay;
        const loss = this.optimizer.minimize(() => {
          const ce = tf.losses.sigmoidCrossEntropy(y, this.logits(x)) as tf.Scalar;
          return wd > 0 ? (ce.add(this.vars[0].square().sum().add(this.vars[2].square().sum()).mul(wd)) as tf.Scalar) : ce;
        }, true);
        sum += (loss as tf.Scalar).dataSync()[0] * rows.length;
        tf.dispose([x, y, loss as tf.Scalar]);
      }
      last = sum / n;
      await new Promise((r) => setImmediate(r));
    }
    return last;
  }

  dispose(): void {
    tf.dispose(this.vars);
    this.optimizer.dispose();
  }
}
