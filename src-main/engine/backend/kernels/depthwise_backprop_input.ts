// DepthwiseConv2dNativeBackpropInput, missing on wasm. As for Conv2DBackpropInput: a stride-1
// depthwise convolution of the zero-inserted dy [N,H',W',C*M] by the rotated filter viewed as
// [KH,KW,C*M,1], then a sum over the channel multiplier M.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { transposedPads } from './conv2d_backprop_input';
import { call, crop, explicitPad, free, reshape, consume, zeroInsert, type WasmBackend } from './util';

function depthwiseBackpropInput({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const b = backend as WasmBackend;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, true);
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) throw new Error('DepthwiseConv2dNativeBackpropInput: dilations > 1 unsupported (as in tfjs-core)');
  const [n, h, w, c] = inputShape;
  const [kh, kw, , m] = filter.shape;
  const dyZ = zeroInsert(b, dy, info.strideHeight, info.strideWidth);
  const ph = transposedPads(h, kh, info.padInfo.top, dyZ.shape[1]);
  const pw = transposedPads(w, kw, info.padInfo.left, dyZ.shape[2]);
  const rotated = call(b, tf.Reverse, { x: filter }, { dims: [0, 1] });
  const f = consume(b, rotated, (t) => reshape(b, t, [kh, kw, c * m, 1]));
  const out = call(b, tf.DepthwiseConv2dNative, { x: dyZ, filter: f }, {
    strides: [1, 1], pad: explicitPad(ph.before, ph.after, pw.before, pw.after), dilations: [1, 1], dataFormat: 'NHWC',
  } as unknown as tf.NamedAttrMap);
  free(b, dyZ, f);
  const dx = crop(b, out, ph.offset, pw.offset, h, w);
  if (m === 1) return dx;
  const dx5 = consume(b, dx, (t) => reshape(b, t, [n, h, w, c, m]));
  return consume(b, dx5, (t) => call(b, tf.Sum, { x: t }, { axis: [4], keepDims: false }));
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput,
};
