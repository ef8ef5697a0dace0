// Shared helpers for our wasm kernels. Composites call other wasm kernels' kernelFuncs directly
// (not tf ops), as tfjs's own kernels do: no tape, no profiler, no engine scopes, so every
// intermediate must be freed here with `free`.
import * as tf from '@tensorflow/tfjs';
import type { DataType, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's BackendWasm that our kernels use. */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Kernels we replaced keep their built-in kernelFunc here, so overrides can delegate to them. */
export const builtinKernels = new Map<string, tf.KernelFunc>();

/** Runs the wasm kernel currently registered under `name` (ours if we replaced it). */
export function call(backend: WasmBackend, name: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm kernel ${name} not registered`);
  // (Concat takes its inputs as an array, as tfjs-core passes them.)
  return k.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs }) as TensorInfo;
}

/** Runs the built-in wasm kernel `name`, bypassing our replacement. */
export function callBuiltin(backend: WasmBackend, name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
  const f = builtinKernels.get(name) ?? tf.getKernel(name, 'wasm')?.kernelFunc;
  if (!f) throw new Error(`wasm kernel ${name} not registered`);
  return f({ inputs, backend, attrs }) as TensorInfo;
}

export function free(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

export const transpose = (b: WasmBackend, x: TensorInfo, perm: number[]) => call(b, tf.Transpose, { x }, { perm });
export const reshape = (b: WasmBackend, x: TensorInfo, shape: number[]) => call(b, tf.Reshape, { x }, { shape });
export const slice = (b: WasmBackend, x: TensorInfo, begin: number[], size: number[]) => call(b, tf.Slice, { x }, { begin, size });

/** Frees `x` and returns `f(x)`: for chains of single-use intermediates. */
export function consume(b: WasmBackend, x: TensorInfo, f: (x: TensorInfo) => TensorInfo): TensorInfo {
  const y = f(x);
  free(b, x);
  return y;
}

/** Crops x [N,H,W,C] to rows [top, top+h) and columns [left, left+w) when it is larger. */
export function crop(b: WasmBackend, x: TensorInfo, top: number, left: number, h: number, w: number): TensorInfo {
  const [n, xh, xw, c] = x.shape;
  if (top === 0 && left === 0 && xh === h && xw === w) return x;
  return consume(b, x, (t) => slice(b, t, [0, top, left, 0], [n, h, w, c]));
}

/** Inserts s-1 zeros after every row/column of x [N,H,W,C] (the "input dilation" of a transposed
 * convolution); the result is [N, H*sh, W*sw, C], i.e. with s-1 trailing zero rows/columns.
 * A JS pass: wasm's 6-D PadV2 route runs at ~40 ns per element. */
export function zeroInsert(b: WasmBackend, x: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return reshape(b, x, x.shape); // a new reference, no copy
  const [n, h, w, c] = x.shape;
  const out = b.makeOutput([n, h * sh, w * sw, c], 'float32');
  const dst = b.typedArrayFromHeap(out) as Float32Array; // views after makeOutput (heap may grow)
  const src = b.typedArrayFromHeap(x) as Float32Array;
  dst.fill(0);
  let i = 0;
  for (let bi = 0; bi < n; bi++) {
    for (let r = 0; r < h; r++) {
      let o = ((bi * h * sh + r * sh) * w * sw) * c;
      for (let q = 0; q < w; q++) {
        for (let k = 0; k < c; k++) dst[o + k] = src[i++];
        o += sw * c;
      }
    }
  }
  return out;
}

export type Pad4 = [[number, number], [number, number], [number, number], [number, number]];
export const explicitPad = (top: number, bottom: number, left: number, right: number): Pad4 => [[0, 0], [top, bottom], [left, right], [0, 0]];

export function assertChannelsLast(kernel: string, dataFormat: unknown): void {
  if (dataFormat != null && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`${kernel} on wasm supports only NHWC data, got ${String(dataFormat)}`);
  }
}
