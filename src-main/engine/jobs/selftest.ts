// The self-test job: fits y = 3x - 1 by gradient descent on the active tfjs backend, reporting
// loss as it goes. It exercises the whole path (worker, progress, cancel, result) in seconds.
import * as tf from '@tensorflow/tfjs';
import { EngineError } from './errors';
import type { JobDefinition } from './registry';

export const selftestJob: JobDefinition<'selftest'> = {
  kind: 'selftest',
  title: (p) => `Self-test (${p.steps} steps)`,
  async run(params, ctx) {
    const xs = tf.linspace(-1, 1, 64).reshape([64, 1]);
    const ys = xs.mul(3).sub(1);
    const w = tf.variable(tf.zeros([1, 1]));
    const b = tf.variable(tf.zeros([1]));
    const opt = tf.train.sgd(0.1);
    let loss = NaN;
    try {
      for (let step = 1; step <= params.steps; step++) {
        await ctx.checkpoint();
        if (params.failAtStep !== undefined && step === params.failAtStep) {
          throw new EngineError('internal', `Self-test failed on purpose at step ${step}`);
        }
        const l = opt.minimize(() => tf.losses.meanSquaredError(ys, xs.matMul(w).add(b)), true, [w, b]);
        loss = (await l!.data())[0];
        l!.dispose();
        ctx.progress({ stage: 'fitting', fraction: step / params.steps, metrics: { loss, step } });
        if (params.stepDelayMs > 0) await new Promise((r) => setTimeout(r, params.stepDelayMs));
      }
      const [wv] = await w.data();
      const [bv] = await b.data();
      return { steps: params.steps, loss, w: wv, b: bv, backend: tf.getBackend() };
    } finally {
      tf.dispose([xs, ys, w, b]);
      opt.dispose();
    }
  },
};
