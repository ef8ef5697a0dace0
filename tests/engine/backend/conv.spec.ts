// Convolutions on wasm (our Conv2DBackpropFilter/Input and depthwise backprops underneath)
// against the cpu backend and against finite differences: strides, paddings, dilations, odd sizes.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type OpCase, randn, setup, size, wasmVsCpu, wasmVsFiniteDifferences } from './helpers';

beforeAll(setup);

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
const input = (shape: number[], seed: number, scale = 1) => ({ shape, values: randn(size(shape), seed, scale) });

function conv(x: number[], f: number[], strides: number | [number, number], pad: Pad, dilations: number | [number, number] = 1): OpCase {
  return {
    inputs: { x: input(x, 1), f: input(f, 2, 0.5) },
    op: (t) => tf.conv2d(t.x as tf.Tensor4D, t.f as tf.Tensor4D, strides, pad as 'same', 'NHWC', dilations),
  };
}

const convCases: Array<[string, OpCase]> = [
  ['3x3 s1 same', conv([2, 7, 9, 3], [3, 3, 3, 4], 1, 'same')],
  // KH*KW*Ci > 36: filter gradient by the batch-as-channels convolution rather than im2col
  ['3x3 s2 same, 5 channels, odd size', conv([2, 7, 9, 5], [3, 3, 5, 4], 2, 'same')],
  ['3x3 s1 valid, 6 channels', conv([1, 6, 7, 6], [3, 3, 6, 3], 1, 'valid')],
  ['3x3 s2 explicit pads, 5 channels', conv([2, 7, 6, 5], [3, 3, 5, 2], 2, [[0, 0], [2, 0], [1, 1], [0, 0]])],
  ['3x3 s2 same, odd size', conv([2, 7, 9, 3], [3, 3, 3, 4], 2, 'same')],
  ['3x3 s2 valid', conv([2, 8, 8, 2], [3, 3, 2, 5], 2, 'valid')],
  ['2x3 s[2,3] same', conv([1, 9, 7, 3], [2, 3, 3, 2], [2, 3], 'same')],
  ['5x5 s3 valid, unused input rows', conv([2, 10, 11, 2], [5, 5, 2, 3], 3, 'valid')],
  ['4x4 s2 same (even filter)', conv([2, 8, 7, 2], [4, 4, 2, 3], 2, 'same')],
  ['1x1 s2 valid', conv([2, 5, 5, 4], [1, 1, 4, 3], 2, 'valid')],
  ['3x3 pad 1', conv([2, 6, 6, 1], [3, 3, 1, 4], 1, 1)],
  ['3x3 s2 explicit pads', conv([2, 7, 6, 2], [3, 3, 2, 3], 2, [[0, 0], [1, 2], [0, 1], [0, 0]])],
];

const dilatedCases: Array<[string, OpCase]> = [
  ['3x3 dilation 2 same', conv([2, 9, 9, 2], [3, 3, 2, 3], 1, 'same', 2)],
  ['3x3 dilation [2,3] valid', conv([1, 11, 12, 2], [3, 3, 2, 2], 1, 'valid', [2, 3])],
];

function convT(x: number[], f: number[], out: number[], strides: number | [number, number], pad: 'same' | 'valid'): OpCase {
  return {
    inputs: { x: input(x, 3), f: input(f, 4, 0.5) },
    op: (t) => tf.conv2dTranspose(t.x as tf.Tensor4D, t.f as tf.Tensor4D, out as [number, number, number, number], strides, pad),
  };
}

const convTCases: Array<[string, OpCase]> = [
  ['3x3 s2 same 4x5 -> 8x10', convT([2, 4, 5, 3], [3, 3, 2, 3], [2, 8, 10, 2], 2, 'same')],
  ['4x4 s2 same 3x3 -> 6x6', convT([2, 3, 3, 4], [4, 4, 2, 4], [2, 6, 6, 2], 2, 'same')],
  ['3x3 s2 valid 4x5 -> 9x11', convT([2, 4, 5, 3], [3, 3, 2, 3], [2, 9, 11, 2], 2, 'valid')],
  ['3x3 s1 same odd', convT([1, 5, 7, 2], [3, 3, 3, 2], [1, 5, 7, 3], 1, 'same')],
  ['5x5 s3 same 3x3 -> 7x8 (odd output)', convT([1, 3, 3, 2], [5, 5, 2, 2], [1, 7, 8, 2], 3, 'same')],
  ['3x3 s[1,2] same 4x3 -> 4x6 (unequal strides)', convT([2, 4, 3, 3], [3, 3, 2, 3], [2, 4, 6, 2], [1, 2], 'same')],
  ['1x1 s2 valid 3x3 -> 5x5 (taps fewer than phases)', convT([1, 3, 3, 2], [1, 1, 3, 2], [1, 5, 5, 3], 2, 'valid')],
];

function depthwise(x: number[], f: number[], strides: number | [number, number], pad: 'same' | 'valid', dilations: number | [number, number] = 1): OpCase {
  return {
    inputs: { x: input(x, 5), f: input(f, 6, 0.5) },
    op: (t) => tf.depthwiseConv2d(t.x as tf.Tensor4D, t.f as tf.Tensor4D, strides, pad, 'NHWC', dilations),
  };
}

const depthwiseCases: Array<[string, OpCase]> = [
  ['3x3 s1 same multiplier 2', depthwise([2, 7, 8, 3], [3, 3, 3, 2], 1, 'same')],
  ['3x3 s2 valid multiplier 1', depthwise([2, 9, 8, 2], [3, 3, 2, 1], 2, 'valid')],
  ['2x3 s[2,1] same multiplier 3', depthwise([1, 6, 7, 2], [2, 3, 2, 3], [2, 1], 'same')],
  ['4x4 s2 same, odd size', depthwise([2, 7, 7, 2], [4, 4, 2, 1], 2, 'same')],
];

const otherCases: Array<[string, OpCase]> = [
  ['fused conv2d + bias + relu, s2 same', {
    inputs: { x: input([2, 7, 7, 3], 7), f: input([3, 3, 3, 4], 8, 0.5), b: input([4], 9) },
    op: (t) => tf.fused.conv2d({ x: t.x as tf.Tensor4D, filter: t.f as tf.Tensor4D, strides: 2, pad: 'same', bias: t.b, activation: 'relu' }),
    fdStep: 1e-3,
  }],
  ['separable conv2d s1 same', {
    inputs: { x: input([2, 6, 7, 2], 10), d: input([3, 3, 2, 2], 11, 0.5), p: input([1, 1, 4, 3], 12, 0.5) },
    op: (t) => tf.separableConv2d(t.x as tf.Tensor4D, t.d as tf.Tensor4D, t.p as tf.Tensor4D, 1, 'same'),
  }],
];

describe('conv2d on wasm', () => {
  for (const [name, c] of convCases) {
    it(`${name}: forward and gradients match cpu`, async () => {
      expect(await wasmVsCpu(c)).toBeLessThan(1e-4);
    });
    it(`${name}: gradients match finite differences`, async () => {
      expect(await wasmVsFiniteDifferences(c)).toBeLessThan(1e-3);
    });
  }
  for (const [name, c] of dilatedCases) {
    // tfjs-core has no gradient for dilated conv2d on any backend: forward only.
    it(`${name}: forward matches cpu`, async () => {
      expect(await wasmVsCpu({ ...c, wrt: [] })).toBeLessThan(1e-4);
    });
  }
});

describe('conv2dTranspose on wasm (Conv2DBackpropInput forward)', () => {
  for (const [name, c] of convTCases) {
    it(`${name}: forward and gradients match cpu`, async () => {
      expect(await wasmVsCpu(c)).toBeLessThan(1e-4);
    });
    it(`${name}: gradients match finite differences`, async () => {
      expect(await wasmVsFiniteDifferences(c)).toBeLessThan(1e-3);
    });
  }
});

describe('depthwiseConv2d on wasm', () => {
  for (const [name, c] of depthwiseCases) {
    it(`${name}: forward and gradients match cpu`, async () => {
      expect(await wasmVsCpu(c)).toBeLessThan(1e-4);
    });
    it(`${name}: gradients match finite differences`, async () => {
      expect(await wasmVsFiniteDifferences(c)).toBeLessThan(1e-3);
    });
  }
  it('3x3 dilation 2 same: forward matches cpu', async () => {
    expect(await wasmVsCpu({ ...depthwise([2, 9, 9, 2], [3, 3, 2, 2], 1, 'same', 2), wrt: [] })).toBeLessThan(1e-4);
  });
});

// Forward only: under a gradient tfjs unfuses these into Conv2D + add + activation.
const fusedForwardCases: Array<[string, OpCase]> = [
  ['fused conv2d, 1 channel, leakyRelu, s2 same', {
    inputs: { x: input([3, 9, 8, 1], 13), f: input([3, 3, 1, 5], 14), b: input([5], 15) },
    op: (t) => tf.fused.conv2d({ x: t.x as tf.Tensor4D, filter: t.f as tf.Tensor4D, strides: 2, pad: 'same', bias: t.b, activation: 'leakyrelu', leakyreluAlpha: 0.1 }),
    wrt: [],
  }],
  ['fused conv2d, 2 channels, sigmoid, no bias, s1 valid', {
    inputs: { x: input([2, 6, 7, 2], 16), f: input([3, 3, 2, 4], 17) },
    op: (t) => tf.fused.conv2d({ x: t.x as tf.Tensor4D, filter: t.f as tf.Tensor4D, strides: 1, pad: 'valid', activation: 'sigmoid' }),
    wrt: [],
  }],
  ['fused conv2d, 4 channels, relu6, s2 explicit pads', {
    inputs: { x: input([2, 7, 6, 4], 18), f: input([3, 3, 4, 3], 19), b: input([3], 20) },
    op: (t) => tf.fused.conv2d({ x: t.x as tf.Tensor4D, filter: t.f as tf.Tensor4D, strides: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]], bias: t.b, activation: 'relu6' }),
    wrt: [],
  }],
];

describe('fused and separable convolutions on wasm', () => {
  for (const [name, c] of fusedForwardCases) {
    it(`${name}: forward matches cpu`, async () => {
      expect(await wasmVsCpu(c)).toBeLessThan(1e-4);
    });
  }
  for (const [name, c] of otherCases) {
    it(`${name}: forward and gradients match cpu`, async () => {
      expect(await wasmVsCpu(c)).toBeLessThan(1e-4);
    });
    it(`${name}: gradients match finite differences`, async () => {
      expect(await wasmVsFiniteDifferences(c)).toBeLessThan(1e-3);
    });
  }
});
