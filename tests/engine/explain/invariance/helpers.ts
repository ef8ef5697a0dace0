// Shared setup for the invariance tests: the backend (wasm, one thread), numbers out of tensors.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../../src-main/engine/backend';

export async function setupBackend(): Promise<string> {
  return (await initBackend({ prefer: 'wasm', wasmThreads: 1 })).name;
}

/** Reads a tensor's values and disposes it. */
export async function values(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}
