// Our kernel registry: duplicate registration throws; installation into tfjs replaces the
// built-ins we fix and is idempotent.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasmKernels, KernelRegistry, kernelKey, wasmKernelConfigs, wasmKernels } from '../../../src-main/engine/backend/kernels';
import { setup } from './helpers';

beforeAll(setup);

describe('KernelRegistry', () => {
  it('keys kernels as `${kernelName}_${backendName}` and throws on a duplicate', () => {
    const r = new KernelRegistry();
    const config = { kernelName: 'XrayTestKernel', backendName: 'wasm', kernelFunc: () => ({ dataId: {}, shape: [], dtype: 'float32' as const }) };
    r.register(config);
    expect(r.keys()).toEqual(['XrayTestKernel_wasm']);
    expect(kernelKey('A', 'cpu')).toBe('A_cpu');
    expect(() => r.register({ ...config })).toThrow(/XrayTestKernel_wasm is already registered/);
    expect(() => r.register({ ...config, backendName: 'cpu' })).not.toThrow();
  });

  it('the process-wide registry refuses a second registration of one of our kernels', () => {
    expect(() => wasmKernels.register(wasmKernelConfigs[0])).toThrow(/already registered/);
  });

  it('covers the kernels training needs, all installed into tfjs for wasm', () => {
    const names = wasmKernelConfigs.map((c) => c.kernelName).sort();
    expect(names).toEqual([
      'AvgPoolGrad', 'BatchMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropInput',
      'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput',
      'Identity', 'MaxPoolGrad', 'UnsortedSegmentSum', '_FusedMatMul',
    ]);
    for (const c of wasmKernelConfigs) expect(tf.getKernel(c.kernelName, 'wasm')?.kernelFunc).toBe(c.kernelFunc);
  });

  it('installing again changes nothing', () => {
    expect(installWasmKernels()).toEqual([]);
    for (const c of wasmKernelConfigs) expect(tf.getKernel(c.kernelName, 'wasm')?.kernelFunc).toBe(c.kernelFunc);
  });
});
