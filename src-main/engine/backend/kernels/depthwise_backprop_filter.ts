// DepthwiseConv2dNativeBackpropFilter, missing on wasm. Per channel c the filter gradient is the
// correlation of x[.,.,.,c] with dy[.,.,.,c,q], summed over the batch. One depthwise convolution
// does all of it: input x as [1,H,W,C*N] (channel c*N+n), filter dy as [OH,OW,C*N,M] dilated by
// the stride, output [1,KH,KW,C*N*M]; then a sum over N.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { crop, call, explicitPad, free, reshape, consume, transpose, type WasmBackend } from './util';

function depthwiseBackpropFilter({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const b = backend as WasmBackend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, dilations, pad, dimRoundingMode, true);
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) throw new Error('DepthwiseConv2dNativeBackpropFilter: dilations > 1 unsupported (as in tfjs-core)');
  const [n, h, w, c] = x.shape;
  const [, oh, ow] = dy.shape;
  const [kh, kw, , m] = filterShape;
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const bottom = Math.max(0, kh - h - top + (oh - 1) * sh);
  const right = Math.max(0, kw - w - left + (ow - 1) * sw);
  const xT = consume(b, transpose(b, x, [1, 2, 3, 0]), (t) => reshape(b, t, [1, h, w, c * n]));
  const dy5 = reshape(b, dy, [n, oh, ow, c, m]);
  const f = consume(b, transpose(b, dy5, [1, 2, 3, 0, 4]), (t) => reshape(b, t, [oh, ow, c * n, m]));
  free(b, dy5);
  const out = call(b, tf.DepthwiseConv2dNative, { x: xT, filter: f }, {
    strides: [1, 1], pad: explicitPad(top, bottom, left, right), dilations: [sh, sw], dataFormat: 'NHWC',
  } as unknown as tf.NamedAttrMap);
  free(b, xT, f);
  const dw = consume(b, crop(b, out, 0, 0, kh, kw), (t) => reshape(b, t, [kh, kw, c, n, m]));
  return consume(b, dw, (t) => call(b, tf.Sum, { x: t }, { axis: [3], keepDims: false }));
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter,
};
