// Conv2DBackpropFilter, missing on wasm. dW[kh,kw,ci,co] = sum_{n,oh,ow} x[n, oh*s+kh-pt, ow*s+kw-pl, ci] * dy[n,oh,ow,co]
// is a forward convolution with the batch as the channel axis: input x^T [Ci,H,W,N], filter
// dy^T [OH,OW,N,Co] dilated by the stride; output [Ci,KH,KW,Co]. One XNNPACK call does the work.
// That convolution has only KH*KW*Ci output pixels, which XNNPACK handles poorly when few (a
// first layer: 9); there an explicit im2col (JS) and one XNNPACK matrix product are faster.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { assertChannelsLast, callBuiltin, consume, crop, explicitPad, free, reshape, transpose, type WasmBackend } from './util';

function conv2dBackpropFilter({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const b = backend as WasmBackend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  assertChannelsLast('Conv2DBackpropFilter', dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const [kh, kw] = filterShape;
  const { top, left } = info.padInfo;
  const [, h, w] = x.shape;
  const [, oh, ow] = dy.shape;
  const { strideHeight: sh, strideWidth: sw } = info;
  const rows = kh * kw * x.shape[3];
  if (rows <= IM2COL_MAX_ROWS && rows * dy.shape[0] * oh * ow <= IM2COL_MAX_ELEMENTS) {
    return backpropFilterIm2col(b, x, dy, kh, kw, sh, sw, top, left);
  }
  // Pad only as far as the last filter tap reads; extra output rows (taps >= KH) are cropped.
  const bottom = Math.max(0, kh - h - top + (oh - 1) * sh);
  const right = Math.max(0, kw - w - left + (ow - 1) * sw);
  const xT = transpose(b, x, [3, 1, 2, 0]);
  const dyT = transpose(b, dy, [1, 2, 0, 3]);
  const out = callBuiltin(b, tf.Conv2D, { x: xT, filter: dyT }, {
    strides: [1, 1], pad: explicitPad(top, bottom, left, right), dilations: [sh, sw], dataFormat: 'NHWC',
  } as unknown as tf.NamedAttrMap);
  free(b, xT, dyT);
  return consume(b, crop(b, out, 0, 0, kh, kw), (t) => transpose(b, t, [1, 2, 0, 3]));
}

// Below this many rows (KH*KW*Ci) the GEMM route wins; the element cap bounds im2col's memory.
const IM2COL_MAX_ROWS = 36;
const IM2COL_MAX_ELEMENTS = 1 << 22;

/** dW = P @ dy, P [KH*KW*Ci, N*OH*OW] the transposed im2col of x (zeros where padding). */
function backpropFilterIm2col(b: WasmBackend, x: TensorInfo, dy: TensorInfo, kh: number, kw: number, sh: number, sw: number, top: number, left: number): TensorInfo {
  const [n, h, w, ci] = x.shape;
  const [, oh, ow, co] = dy.shape;
  const cols = n * oh * ow;
  const pInfo = b.makeOutput([kh * kw * ci, cols], 'float32');
  const p = b.typedArrayFromHeap(pInfo) as Float32Array; // views after makeOutput (heap may grow)
  const xv = b.typedArrayFromHeap(x) as Float32Array;
  let o = 0;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      // Output columns whose input column is inside the image, for this tap.
      const owLo = Math.min(ow, Math.max(0, Math.ceil((left - j) / sw)));
      const owHi = Math.max(owLo, Math.min(ow, Math.floor((w - 1 + left - j) / sw) + 1));
      for (let c = 0; c < ci; c++) {
        for (let bi = 0; bi < n; bi++) {
          for (let r = 0; r < oh; r++) {
            const y = r * sh + i - top;
            if (y < 0 || y >= h) {
              p.fill(0, o, o + ow);
              o += ow;
              continue;
            }
            const rowBase = (bi * h + y) * w;
            for (let q = 0; q < owLo; q++) p[o++] = 0;
            for (let q = owLo; q < owHi; q++) p[o++] = xv[(rowBase + q * sw + j - left) * ci + c];
            for (let q = owHi; q < ow; q++) p[o++] = 0;
          }
        }
      }
    }
  }
  const dy2 = reshape(b, dy, [cols, co]);
  const dw = callBuiltin(b, tf.BatchMatMul, { a: pInfo, b: dy2 }, { transposeA: false, transposeB: false });
  free(b, pInfo, dy2);
  return consume(b, dw, (t) => reshape(b, t, [kh, kw, ci, co]));
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
