// Child process for init.spec.ts: initialises the backend (once per process, so each scenario
// needs its own process) from the environment and optional argv[2] = prefer, prints the result.
import * as tf from '@tensorflow/tfjs';
import { activeBackend, type BackendName, initBackend } from '../../../src-main/engine/backend';

async function main(): Promise<void> {
  const prefer = process.argv[2] as BackendName | undefined;
  const info = await initBackend(prefer ? { prefer } : {});
  const again = await initBackend({ prefer: 'cpu' }); // idempotent: the first choice stays
  const y = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]));
  const sum = (await y.sum().data())[0];
  process.stdout.write(JSON.stringify({ info, same: again === info && activeBackend() === info, tfBackend: tf.getBackend(), sum }));
}

void main();
