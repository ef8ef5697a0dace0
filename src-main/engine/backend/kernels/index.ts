// The wasm kernels that training needs and tfjs-backend-wasm 4.22 lacks, runs slowly, or gets
// wrong (AvgPoolGrad is wrong in tfjs itself, cpu included). Found by training the project's model families on wasm (tests/engine/backend).
import type { KernelConfig } from '@tensorflow/tfjs';
import { avgPoolGradConfig } from './avg_pool_grad';
import { batchMatMulConfig, fusedMatMulConfig } from './batch_mat_mul';
import { conv2dBackpropFilterConfig } from './conv2d_backprop_filter';
import { conv2dBackpropInputConfig } from './conv2d_backprop_input';
import { depthwiseBackpropFilterConfig } from './depthwise_backprop_filter';
import { depthwiseBackpropInputConfig } from './depthwise_backprop_input';
import { identityConfig } from './identity';
import { maxPoolGradConfig } from './max_pool_grad';
import { KernelRegistry } from './registry';
import { unsortedSegmentSumConfig } from './unsorted_segment_sum';

export { KernelRegistry, kernelKey } from './registry';

export const wasmKernelConfigs: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  maxPoolGradConfig,
  avgPoolGradConfig,
  unsortedSegmentSumConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  identityConfig,
];

/** The process-wide registry of our wasm kernels. */
export const wasmKernels = new KernelRegistry();
for (const config of wasmKernelConfigs) wasmKernels.register(config);

/** Installs our wasm kernels into tfjs (after the wasm backend is set). Idempotent. */
export function installWasmKernels(): string[] {
  return wasmKernels.install();
}
