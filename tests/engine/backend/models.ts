// Small versions of the model families the project trains, each with one training step, so the
// tests can run them on wasm (missing kernels, leaks) and compare backends.
import * as tf from '@tensorflow/tfjs';

export interface TrainStep {
  name: string;
  /** One optimiser step; returns the loss (a scalar the caller disposes). */
  step(): tf.Scalar;
  dispose(): void;
}

const SIZE = 12;

function batch(n: number, seed: number): { x: tf.Tensor4D; labels: tf.Tensor1D } {
  return tf.tidy(() => ({
    x: tf.randomUniform([n, SIZE, SIZE, 1], 0, 1, 'float32', seed) as tf.Tensor4D,
    labels: tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32'),
  }));
}

/** CNN classifier: strided/same/valid convs, batchnorm, max/avg pooling, depthwise, dropout, dense, softmax. */
export function cnnClassifier(): TrainStep {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [SIZE, SIZE, 1], filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'valid', useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2 }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.25 }),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  const opt = tf.train.adam(1e-3);
  const { x, labels } = batch(8, 1);
  const y = tf.oneHot(labels, 3).toFloat();
  return {
    name: 'cnn classifier',
    step: () =>
      opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor), true) as tf.Scalar,
    dispose: () => {
      model.dispose();
      opt.dispose();
      tf.dispose([x, labels, y]);
    },
  };
}

/** Spectral normalisation of a [in, out] matrix by one power iteration (u [out,1] is a persistent estimate). */
function spectralNorm(w: tf.Tensor2D, u: tf.Variable): tf.Tensor2D {
  const v = tf.matMul(w, u as tf.Tensor2D); // [in,1]
  const vn = tf.div(v, tf.norm(v).add(1e-12));
  const wu = tf.matMul(w, vn, true, false); // [out,1]
  const un = tf.div(wu, tf.norm(wu).add(1e-12));
  const sigma = tf.sum(tf.mul(un, wu));
  u.assign(un); // assign is not on the gradient tape
  return tf.div(w, sigma);
}

/** Conditional GAN: generator with dense, conv2dTranspose, conditional batchnorm (embedding
 * gather), nearest upsampling, tanh; discriminator with spectral-normalised convs (matMul), dense, sigmoid. */
export function conditionalGan(): TrainStep {
  const z = 8;
  const classes = 3;
  const gDense = tf.layers.dense({ units: 3 * 3 * 8, inputShape: [z] });
  const gUp = tf.layers.conv2dTranspose({ filters: 4, kernelSize: 4, strides: 2, padding: 'same' });
  const gamma = tf.layers.embedding({ inputDim: classes, outputDim: 4, embeddingsInitializer: 'ones' });
  const beta = tf.layers.embedding({ inputDim: classes, outputDim: 4, embeddingsInitializer: 'zeros' });
  const gNear = tf.layers.upSampling2d({ size: [2, 2] });
  const gOut = tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'tanh' });
  const dW1 = tf.variable(tf.randomNormal([3, 3, 1, 6], 0, 0.3, 'float32', 2));
  const dU1 = tf.variable(tf.randomNormal([6, 1], 0, 1, 'float32', 3), false);
  const dW2 = tf.variable(tf.randomNormal([3, 3, 6, 8], 0, 0.3, 'float32', 4));
  const dU2 = tf.variable(tf.randomNormal([8, 1], 0, 1, 'float32', 5), false);
  const dDense = tf.layers.dense({ units: 1, activation: 'sigmoid' });
  const gOpt = tf.train.adam(2e-4, 0.5);
  const dOpt = tf.train.adam(2e-4, 0.5);
  const { x: real, labels } = batch(6, 7);
  const noise = tf.randomNormal([6, z], 0, 1, 'float32', 8);

  const generate = (): tf.Tensor4D => {
    const h = gDense.apply(noise) as tf.Tensor;
    const h4 = gUp.apply(h.reshape([-1, 3, 3, 8])) as tf.Tensor4D;
    // Conditional batchnorm: batch statistics, then a per-class scale and shift. (In training,
    // tfjs-layers' batchNormalization without center/scale fails, and so does tf.batchNorm's
    // gradient without scale/offset.)
    const { mean, variance } = tf.moments(h4, [0, 1, 2]);
    const normed = h4.sub(mean).mul(tf.rsqrt(variance.add(1e-3)));
    const g = (gamma.apply(labels) as tf.Tensor).reshape([-1, 1, 1, 4]);
    const b = (beta.apply(labels) as tf.Tensor).reshape([-1, 1, 1, 4]);
    const act = tf.leakyRelu(normed.mul(g).add(b), 0.2);
    return gOut.apply(gNear.apply(act)) as tf.Tensor4D;
  };
  const snConv = (x: tf.Tensor4D, w: tf.Variable, u: tf.Variable, stride: number): tf.Tensor4D => {
    const shape = w.shape as [number, number, number, number];
    const wsn = spectralNorm((w as tf.Tensor).reshape([-1, shape[3]]) as tf.Tensor2D, u).reshape(shape) as tf.Tensor4D;
    return tf.leakyRelu(tf.conv2d(x, wsn, stride, 'same'), 0.2);
  };
  const discriminate = (img: tf.Tensor4D): tf.Tensor => {
    const h = snConv(snConv(img, dW1, dU1, 2), dW2, dU2, 2);
    return dDense.apply(h.reshape([h.shape[0], -1])) as tf.Tensor;
  };
  const bce = (p: tf.Tensor, target: number) => tf.losses.logLoss(tf.fill(p.shape, target), p);
  let built = false;
  return {
    name: 'conditional GAN',
    step: () => {
      if (!built) {
        tf.tidy(() => void discriminate(generate())); // builds layer weights before the optimiser sees them
        built = true;
      }
      const gVars = [gDense, gUp, gamma, beta, gOut].flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
      const dVars = [dW1, dW2, ...dDense.trainableWeights.map((w) => w.read() as tf.Variable)];
      // Only dVars get gradients, so the generator's part of the graph is pruned from this backprop.
      const dLoss = dOpt.minimize(() => bce(discriminate(real), 1).add(bce(discriminate(generate()), 0)) as tf.Scalar, true, dVars);
      dLoss?.dispose();
      return gOpt.minimize(() => bce(discriminate(generate()), 1) as tf.Scalar, true, gVars) as tf.Scalar;
    },
    dispose: () => {
      for (const l of [gDense, gUp, gamma, beta, gNear, gOut, dDense]) l.dispose();
      tf.dispose([dW1, dU1, dW2, dU2, real, labels, noise]);
      gOpt.dispose();
      dOpt.dispose();
    },
  };
}

/** VAE: conv encoder, dense mu/logvar, reparameterisation (exp, randomNormal), dense + conv2dTranspose decoder, sigmoid. */
export function vae(): TrainStep {
  const latent = 4;
  const enc = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [SIZE, SIZE, 1], filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 * latent }),
    ],
  });
  const dec = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [latent], units: 6 * 6 * 8, activation: 'relu' }),
      tf.layers.reshape({ targetShape: [6, 6, 8] }),
      tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }),
    ],
  });
  const opt = tf.train.adam(1e-3);
  const { x, labels } = batch(8, 11);
  let seed = 100;
  return {
    name: 'VAE',
    step: () =>
      opt.minimize(() => {
        const h = enc.apply(x) as tf.Tensor2D;
        const mu = h.slice([0, 0], [-1, latent]);
        const logvar = h.slice([0, latent], [-1, latent]);
        const eps = tf.randomNormal(mu.shape, 0, 1, 'float32', seed++);
        const zs = mu.add(tf.exp(logvar.mul(0.5)).mul(eps));
        const recon = (dec.apply(zs) as tf.Tensor).clipByValue(1e-6, 1 - 1e-6);
        const rec = tf.neg(x.mul(recon.log()).add(tf.sub(1, x).mul(tf.sub(1, recon).log()))).sum([1, 2, 3]).mean();
        const kl = tf.mul(-0.5, tf.sum(tf.add(1, logvar).sub(mu.square()).sub(tf.exp(logvar)), 1)).mean();
        return rec.add(kl) as tf.Scalar;
      }, true) as tf.Scalar,
    dispose: () => {
      enc.dispose();
      dec.dispose();
      opt.dispose();
      tf.dispose([x, labels]);
    },
  };
}

export const modelFamilies = [cnnClassifier, conditionalGan, vae];
