// BatchMatMul / _FusedMatMul. wasm runs XNNPACK only for a single, untransposed product; with
// transposeA/transposeB, or a batch of more than one, it runs a naive loop (0.7-2.8 GFLOP/s),
// and every dense layer's backward pass asks for transposes. So: transpose explicitly (one
// memory pass), fold a batch into the rows when b is shared, or split the batch into products.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { call, callBuiltin, free, reshape, transpose, type WasmBackend } from './util';

/** Beyond this many products, one naive call beats the per-product kernel overhead. */
const MAX_SPLIT_BATCH = 64;

/** Swaps the last two axes. */
function swapInner(b: WasmBackend, t: TensorInfo): TensorInfo {
  const r = t.shape.length;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return transpose(b, t, perm);
}

const prod = (s: number[]) => s.reduce((p, d) => p * d, 1);

/** a [..., M, K] @ b [..., K, N], neither transposed, via XNNPACK single products. */
function batched(be: WasmBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const ba = prod(a.shape.slice(0, -2));
  const bb = prod(b.shape.slice(0, -2));
  const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
  const mm = (x: TensorInfo, y: TensorInfo) => callBuiltin(be, tf.BatchMatMul, { a: x, b: y }, { transposeA: false, transposeB: false });
  let out: TensorInfo;
  if (bb === 1) {
    // b shared: one product with a's batch folded into its rows.
    const a2 = reshape(be, a, [ba * m, k]);
    const b2 = reshape(be, b, [k, n]);
    out = mm(a2, b2);
    free(be, a2, b2);
  } else if (ba === bb || ba === 1) {
    const a3 = reshape(be, a, [ba, m, k]);
    const b3 = reshape(be, b, [bb, k, n]);
    const parts: TensorInfo[] = [];
    for (let i = 0; i < bb; i++) {
      const ai = call(be, tf.Slice, { x: a3 }, { begin: [ba === 1 ? 0 : i, 0, 0], size: [1, m, k] });
      const bi = call(be, tf.Slice, { x: b3 }, { begin: [i, 0, 0], size: [1, k, n] });
      parts.push(mm(ai, bi));
      free(be, ai, bi);
    }
    free(be, a3, b3);
    out = call(be, tf.Concat, parts, { axis: 0 });
    free(be, ...parts);
  } else {
    return mm(a, b); // general broadcasting: leave it to the built-in kernel
  }
  const shaped = reshape(be, out, outShape);
  free(be, out);
  return shaped;
}

function untransposed(name: string) {
  return ({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo => {
    const be = backend as WasmBackend;
    const { transposeA, transposeB } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const a2 = transposeA ? swapInner(be, a) : a;
    const b2 = transposeB ? swapInner(be, b) : b;
    const batch = Math.max(prod(a.shape.slice(0, -2)), prod(b.shape.slice(0, -2)));
    const out = name === tf.BatchMatMul && batch > 1 && batch <= MAX_SPLIT_BATCH
      ? batched(be, a2, b2)
      : callBuiltin(be, name, { ...(inputs as Record<string, TensorInfo>), a: a2, b: b2 }, { ...attrs, transposeA: false, transposeB: false });
    if (transposeA) free(be, a2);
    if (transposeB) free(be, b2);
    return out;
  };
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: 'wasm',
  kernelFunc: untransposed(tf.BatchMatMul),
};

export const fusedMatMulConfig: KernelConfig = {
  kernelName: tf._FusedMatMul,
  backendName: 'wasm',
  kernelFunc: untransposed(tf._FusedMatMul),
};
