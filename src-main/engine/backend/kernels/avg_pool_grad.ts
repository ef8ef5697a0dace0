// AvgPoolGrad replacement. The forward avgPool (cpu and wasm alike, as in TensorFlow) averages
// over the window's in-bounds elements only, but tfjs's AvgPoolGrad (cpu and wasm alike) divides
// by the full window size, so with 'same' padding the border gradients are too small (finite
// differences disagree). Divide by each window's in-bounds count. Plain JS on the wasm heap.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackend } from './util';

function avgPoolGrad({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const b = backend as WasmBackend;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad } = attrs as unknown as tf.AvgPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c } = info;
  const [, oh, ow] = dy.shape; // the forward's shape (its rounding mode is not passed here)
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  const out = b.makeOutput(input.shape, 'float32');
  const dx = b.typedArrayFromHeap(out) as Float32Array; // views after makeOutput (heap may grow)
  const g = b.typedArrayFromHeap(dy) as Float32Array;
  dx.fill(0);
  for (let bi = 0; bi < n; bi++) {
    for (let r = 0; r < oh; r++) {
      const y0 = Math.max(0, r * sh - top);
      const y1 = Math.min(h, r * sh - top + kh);
      for (let q = 0; q < ow; q++) {
        const x0 = Math.max(0, q * sw - left);
        const x1 = Math.min(w, q * sw - left + kw);
        const count = (y1 - y0) * (x1 - x0);
        if (count <= 0) continue;
        const gBase = ((bi * oh + r) * ow + q) * c;
        const inv = 1 / count;
        for (let y = y0; y < y1; y++) {
          for (let x = x0; x < x1; x++) {
            const base = ((bi * h + y) * w + x) * c;
            for (let ch = 0; ch < c; ch++) dx[base + ch] += g[gBase + ch] * inv;
          }
        }
      }
    }
  }
  return out;
}

export const avgPoolGradConfig: KernelConfig = {
  kernelName: tf.AvgPoolGrad,
  backendName: 'wasm',
  kernelFunc: avgPoolGrad,
};
