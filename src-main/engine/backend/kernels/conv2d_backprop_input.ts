// Conv2DBackpropInput (also the forward pass of conv2dTranspose). wasm's own kernel is a naive
// loop (~2 GFLOP/s). For stride s > 1, each of the s*s output phases (rows q*s + r, columns
// p*s + r') is a stride-1 correlation of dy with a subset of the filter's taps: s*s XNNPACK
// convolutions doing exactly the useful work, and a JS pass that interleaves their outputs
// (wasm's DepthToSpace manages only ~20M elements/s). Inserting zeros into dy instead would
// cost 4x the work at stride 2. Stride 1 is one convolution with the rotated filter.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { assertChannelsLast, call, callBuiltin, consume, crop, explicitPad, free, transpose, type WasmBackend } from './util';

/** Pads for the stride-1 "full" correlation that maps dy (of length insertedLen, zero-inserted
 * where the stride is > 1) back onto rows [0, n) of the input; a negative pad becomes a crop offset. */
export function transposedPads(n: number, k: number, padBefore: number, insertedLen: number) {
  const before = k - 1 - padBefore;
  const after = n - insertedLen - before + k - 1;
  return { before: Math.max(0, before), after: Math.max(0, after), offset: Math.max(0, -before) };
}

/** One axis of the phase decomposition: input row q*s + r receives dy[q + d - j] * w[c + j*s]
 * for j < taps; as a correlation with the taps reversed, it reads dy from row q + d - (taps-1). */
export function phaseAxis(k: number, s: number, padBefore: number, n: number) {
  return Array.from({ length: s }, (_, r) => {
    const c = (r + padBefore) % s;
    return { r, c, taps: c < k ? Math.ceil((k - c) / s) : 0, d: (r + padBefore - c) / s, rows: Math.ceil((n - r) / s) };
  });
}
type Phase = ReturnType<typeof phaseAxis>[number];

/** Conv padding and crop offset along one axis, so the conv output holds rows [offset, offset + rows). */
function axisPads(p: Phase, dyLen: number) {
  const lead = p.taps - 1 - p.d; // dy rows needed before q = 0
  const before = Math.max(0, lead);
  const offset = before - lead;
  const after = Math.max(0, offset + p.rows - (dyLen + before - p.taps + 1));
  return { before, after, offset };
}

/** The phase's filter [tapsH, tapsW, Co, Ci]: its taps of w [KH,KW,Ci,Co], reversed, channels swapped. */
function phaseFilter(b: WasmBackend, filter: TensorInfo, sh: number, sw: number, ph: Phase, pw: Phase): TensorInfo {
  const [, kw, ci, co] = filter.shape;
  const out = b.makeOutput([ph.taps, pw.taps, co, ci], 'float32');
  const f = b.typedArrayFromHeap(out) as Float32Array; // views after makeOutput (heap may grow)
  const w = b.typedArrayFromHeap(filter) as Float32Array;
  for (let a = 0; a < ph.taps; a++) {
    for (let e = 0; e < pw.taps; e++) {
      const src = ((ph.c + (ph.taps - 1 - a) * sh) * kw + pw.c + (pw.taps - 1 - e) * sw) * ci * co;
      const dst = (a * pw.taps + e) * co * ci;
      for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) f[dst + o * ci + i] = w[src + i * co + o];
    }
  }
  return out;
}

function backpropInputPhases(b: WasmBackend, dy: TensorInfo, filter: TensorInfo, h: number, w: number, sh: number, sw: number, pt: number, pl: number): TensorInfo {
  const [kh, kw, ci] = filter.shape;
  const [n, oh, ow] = dy.shape;
  const rowsPh = phaseAxis(kh, sh, pt, h);
  const colsPh = phaseAxis(kw, sw, pl, w);
  const out = b.makeOutput([n, h, w, ci], 'float32');
  const empty = rowsPh.some((p) => p.taps === 0 || p.rows === 0) || colsPh.some((p) => p.taps === 0 || p.rows === 0);
  if (empty) (b.typedArrayFromHeap(out) as Float32Array).fill(0); // phases without taps stay zero
  for (const ph of rowsPh) {
    for (const pw of colsPh) {
      if (ph.taps === 0 || pw.taps === 0 || ph.rows === 0 || pw.rows === 0) continue;
      const padH = axisPads(ph, oh);
      const padW = axisPads(pw, ow);
      const f = phaseFilter(b, filter, sh, sw, ph, pw);
      const y = callBuiltin(b, tf.Conv2D, { x: dy, filter: f }, {
        strides: [1, 1], pad: explicitPad(padH.before, padH.after, padW.before, padW.after), dilations: [1, 1], dataFormat: 'NHWC',
      } as unknown as tf.NamedAttrMap);
      free(b, f);
      scatterPhase(b, y, out, sh, sw, ph, pw, padH.offset, padW.offset);
      free(b, y);
    }
  }
  return out;
}

/** dx[n, q*sh + r, p*sw + r', :] = y[n, q + offH, p + offW, :] for the phase's rows and columns. */
function scatterPhase(b: WasmBackend, y: TensorInfo, out: TensorInfo, sh: number, sw: number, ph: Phase, pw: Phase, offH: number, offW: number): void {
  const [n, yh, yw, c] = y.shape;
  const [, h, w] = out.shape;
  const dst = b.typedArrayFromHeap(out) as Float32Array;
  const src = b.typedArrayFromHeap(y) as Float32Array;
  for (let bi = 0; bi < n; bi++) {
    for (let q = 0; q < ph.rows; q++) {
      let i = ((bi * yh + q + offH) * yw + offW) * c;
      let o = ((bi * h + q * sh + ph.r) * w + pw.r) * c;
      for (let p = 0; p < pw.rows; p++) {
        for (let k = 0; k < c; k++) dst[o + k] = src[i + k];
        i += c;
        o += sw * c;
      }
    }
  }
}

/** Stride 1: one correlation of dy with the rotated, channel-swapped filter. */
function backpropInputStride1(b: WasmBackend, dy: TensorInfo, filter: TensorInfo, h: number, w: number, pt: number, pl: number): TensorInfo {
  const [kh, kw] = filter.shape;
  const ph = transposedPads(h, kh, pt, dy.shape[1]);
  const pw = transposedPads(w, kw, pl, dy.shape[2]);
  const rotated = call(b, tf.Reverse, { x: filter }, { dims: [0, 1] });
  const wT = consume(b, rotated, (t) => transpose(b, t, [0, 1, 3, 2]));
  const out = callBuiltin(b, tf.Conv2D, { x: dy, filter: wT }, {
    strides: [1, 1], pad: explicitPad(ph.before, ph.after, pw.before, pw.after), dilations: [1, 1], dataFormat: 'NHWC',
  } as unknown as tf.NamedAttrMap);
  free(b, wT);
  return crop(b, out, ph.offset, pw.offset, h, w);
}

function conv2dBackpropInput({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const b = backend as WasmBackend;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  assertChannelsLast('Conv2DBackpropInput', dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  const [, h, w] = inputShape;
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  if (sh === 1 && sw === 1) return backpropInputStride1(b, dy, filter, h, w, top, left);
  return backpropInputPhases(b, dy, filter, h, w, sh, sw, top, left);
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
};
