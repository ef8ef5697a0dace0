// Our kernel registry: keyed `${kernelName}_${backendName}` like tfjs's kernel_registry, but a
// second registration under a key throws instead of silently replacing the first (two modules
// fighting over a kernel is a bug). `install` hands the kernels to tfjs, unregistering a built-in
// first (tfjs would only warn and overwrite) and keeping it so that overrides can delegate.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { builtinKernels } from './util';

export const kernelKey = (kernelName: string, backendName: string) => `${kernelName}_${backendName}`;

export class KernelRegistry {
  private readonly kernels = new Map<string, KernelConfig>();

  register(config: KernelConfig): void {
    const key = kernelKey(config.kernelName, config.backendName);
    if (this.kernels.has(key)) throw new Error(`kernel ${key} is already registered`);
    this.kernels.set(key, config);
  }

  get(kernelName: string, backendName: string): KernelConfig | undefined {
    return this.kernels.get(kernelKey(kernelName, backendName));
  }

  keys(): string[] {
    return [...this.kernels.keys()];
  }

  /** Installs every kernel into tfjs; idempotent. Returns the names that replaced a built-in. */
  install(): string[] {
    const replaced: string[] = [];
    for (const config of this.kernels.values()) {
      const current = tf.getKernel(config.kernelName, config.backendName);
      if (current?.kernelFunc === config.kernelFunc) continue;
      if (current) {
        // Remember the built-in once: a reinstall must not record our own kernel as the built-in.
        if (config.backendName === 'wasm' && !builtinKernels.has(config.kernelName)) builtinKernels.set(config.kernelName, current.kernelFunc);
        tf.unregisterKernel(config.kernelName, config.backendName);
        replaced.push(config.kernelName);
      }
      tf.registerKernel(config);
    }
    return replaced;
  }
}
