// MaxPoolGrad replacement. wasm's kernel seeds each window's max with the float minimum (windows
// whose values are all <= 0 go wrong) and lets the last of tied maxima win. Like the cpu backend,
// route dy to the first maximum in row-major window order; padding never wins. Plain JS on the
// wasm heap: O(N*OH*OW*KH*KW*C), memory bound, channels innermost.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackend } from './util';

function maxPoolGrad({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const b = backend as WasmBackend;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  const out = b.makeOutput(input.shape, 'float32');
  // Views after makeOutput: allocation may grow (and so detach) the heap.
  const dx = b.typedArrayFromHeap(out) as Float32Array;
  const x = b.typedArrayFromHeap(input) as Float32Array;
  const g = b.typedArrayFromHeap(dy) as Float32Array;
  dx.fill(0);
  const best = new Float32Array(c);
  const arg = new Int32Array(c);
  for (let bi = 0; bi < n; bi++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        best.fill(-Infinity);
        arg.fill(-1);
        for (let i = 0; i < kh; i++) {
          const y = r * sh - top + i * dh;
          if (y < 0 || y >= h) continue;
          for (let j = 0; j < kw; j++) {
            const xx = q * sw - left + j * dw;
            if (xx < 0 || xx >= w) continue;
            const base = ((bi * h + y) * w + xx) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[base + ch];
              if (v > best[ch]) { best[ch] = v; arg[ch] = base + ch; }
            }
          }
        }
        const gBase = ((bi * oh + r) * ow + q) * c;
        for (let ch = 0; ch < c; ch++) if (arg[ch] >= 0) dx[arg[ch]] += g[gBase + ch];
      }
    }
  }
  return out;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
