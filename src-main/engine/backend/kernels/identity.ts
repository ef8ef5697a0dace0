// Identity that shares the input's buffer (a reference count), as the cpu backend does. wasm's
// copies it, and tfjs calls Identity for every tensor a gradient saves (engine.clone in
// saveTensorsForBackwardMode): ~3M floats copied per step of the benchmark CNN. tfjs tensors are
// immutable and wasm kernels only write to fresh outputs, so sharing is safe.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { callBuiltin, type WasmBackend } from './util';

function identity({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const b = backend as WasmBackend;
  const x = inputs.x as TensorInfo;
  if (x.dtype === 'string') return callBuiltin(b, tf.Identity, { x });
  b.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: identity,
};
