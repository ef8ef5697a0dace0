// UnsortedSegmentSum (the gradient of gather / embeddings), missing on wasm. A single pass in JS
// over the wasm heap: exact, O(size of x), no one-hot matrix of numSegments x n.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackend } from './util';

function unsortedSegmentSum({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const b = backend as WasmBackend;
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const rows = segmentIds.shape.reduce((p, d) => p * d, 1);
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const inner = rowShape.reduce((p, d) => p * d, 1);
  const out = b.makeOutput([numSegments, ...rowShape], x.dtype);
  const o = b.typedArrayFromHeap(out);
  const v = b.typedArrayFromHeap(x);
  const ids = b.typedArrayFromHeap(segmentIds);
  o.fill(0);
  for (let i = 0; i < rows; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue; // TF drops out-of-range ids
    const src = i * inner;
    const dst = s * inner;
    for (let k = 0; k < inner; k++) o[dst + k] += v[src + k];
  }
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
