// Child process for init.spec.ts: initialises the backend (once per process, so each scenario
// needs its own process) from the environment and optional argv[2] = prefer, prints the result,
// and checks a few of our kernels in whatever build was chosen (threaded or not) against cpu.
import * as tf from '@tensorflow/tfjs';
import { activeBackend, type BackendName, initBackend } from '../../../src-main/engine/backend';
import { randn, relErr } from './helpers';

async function gradients(backend: string): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(randn(4 * 17 * 15 * 6, 1), [4, 17, 15, 6]);
  const w = tf.tensor4d(randn(3 * 3 * 6 * 8, 2), [3, 3, 6, 8]);
  const wt = tf.tensor4d(randn(4 * 4 * 5 * 8, 3), [4, 4, 5, 8]);
  const f = (x: tf.Tensor, w: tf.Tensor, wt: tf.Tensor) => {
    const h = tf.relu(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')); // [4,9,8,8]
    const up = tf.conv2dTranspose(h, wt as tf.Tensor4D, [4, 18, 16, 5], 2, 'same');
    return tf.maxPool(up, 3, 2, 'same').square().sum() as tf.Scalar;
  };
  const grads = tf.grads(f)([x, w, wt]);
  const out = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
  tf.dispose([x, w, wt, ...grads]);
  return out;
}

async function main(): Promise<void> {
  const prefer = process.argv[2] as BackendName | undefined;
  const info = await initBackend(prefer ? { prefer } : {});
  const again = await initBackend({ prefer: 'cpu' }); // idempotent: the first choice stays
  const y = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]));
  const sum = (await y.sum().data())[0];
  const chosen = tf.getBackend();
  let gradErr: number | null = null;
  if (chosen === 'wasm') {
    const w = await gradients('wasm');
    const c = await gradients('cpu');
    gradErr = Math.max(...w.map((g, i) => relErr(g, c[i])));
  }
  process.stdout.write(JSON.stringify({ info, same: again === info && activeBackend() === info, tfBackend: chosen, sum, gradErr }));
}

void main();
