// Helpers for comparing the wasm backend (with our kernels) against the cpu backend and against
// finite differences. Inputs are plain arrays built from a seeded generator, so both backends
// see identical values.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src-main/engine/backend';

export type Arr = Float32Array | Int32Array | Uint8Array;

/** Mulberry32: small, seeded, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randn(n: number, seed: number, scale = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  return out;
}

export const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

/** Makes sure the wasm backend with our kernels is initialised (once per test file/process).
 * One thread: test files run in parallel (init.spec checks the threaded build). */
export async function setup(): Promise<void> {
  const info = await initBackend({ prefer: 'wasm', wasmThreads: 1 });
  if (info.name !== 'wasm') throw new Error(`wasm backend unavailable: ${info.reason}`);
}

/** Runs `fn` on a backend and returns its outputs' values. Data is read outside tidy. */
export async function run(backend: 'cpu' | 'wasm', fn: () => tf.Tensor | tf.Tensor[]): Promise<Arr[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(fn);
  const list = Array.isArray(out) ? out : [out];
  const values = await Promise.all(list.map((t) => t.data() as Promise<Arr>));
  tf.dispose(list);
  await tf.setBackend('wasm');
  return values;
}

/** Normwise relative error max|a-b| / max|b| (elementwise error is meaningless near zeros). */
export function relErr(a: Arr, b: Arr): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) return Infinity;
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / Math.max(den, 1e-6);
}

export interface OpCase {
  /** Input shapes and values (float32) by name. */
  inputs: Record<string, { shape: number[]; values: Float32Array }>;
  /** The op under test; grads are taken w.r.t. every input in `wrt`. */
  op: (x: Record<string, tf.Tensor>) => tf.Tensor;
  wrt?: string[];
  /** Finite-difference step; smaller for ops with kinks (relu, pooling) so none is crossed. */
  fdStep?: number;
}

function tensors(c: OpCase, offset?: { name: string; dir: Float32Array; h: number }): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [k, { shape, values }] of Object.entries(c.inputs)) {
    let v = values;
    if (offset && offset.name === k) {
      v = new Float32Array(values.length);
      for (let i = 0; i < v.length; i++) v[i] = values[i] + offset.h * offset.dir[i];
    }
    out[k] = tf.tensor(v, shape, 'float32');
  }
  return out;
}

/** The scalar objective: a fixed random projection of the op's output (linear in y). */
function objective(c: OpCase, seed: number): (x: Record<string, tf.Tensor>) => tf.Scalar {
  return (x) => {
    const y = c.op(x);
    return tf.sum(tf.mul(y, tf.tensor(randn(y.size, seed), y.shape))) as tf.Scalar;
  };
}

/** [y, d objective / d input for each of wrt] on one backend. */
export async function forwardAndGrads(backend: 'cpu' | 'wasm', c: OpCase, seed = 99): Promise<Arr[]> {
  const wrt = c.wrt ?? Object.keys(c.inputs);
  return run(backend, () => {
    const x = tensors(c);
    const y = c.op(x);
    const f = objective(c, seed);
    if (wrt.length === 0) return [y];
    const grads = tf.grads((...ts: tf.Tensor[]) => f({ ...x, ...Object.fromEntries(wrt.map((k, i) => [k, ts[i]])) }))(wrt.map((k) => x[k]));
    return [y, ...grads];
  });
}

/** Compares wasm with cpu, output and gradients. Returns the worst relative error. */
export async function wasmVsCpu(c: OpCase): Promise<number> {
  const [w, cpu] = [await forwardAndGrads('wasm', c), await forwardAndGrads('cpu', c)];
  return Math.max(...w.map((a, i) => relErr(a, cpu[i])));
}

/** Checks wasm gradients against central differences along random directions v. Returns the
 * worst |fd - <g,v>| / max(|<g,v>|, |g|) (|<g,v>| is about |g| for a standard normal v). */
export async function wasmVsFiniteDifferences(c: OpCase, directions = 2): Promise<number> {
  const h = c.fdStep ?? 1e-2;
  const wrt = c.wrt ?? Object.keys(c.inputs);
  const grads = (await forwardAndGrads('wasm', c)).slice(1);
  const f = objective(c, 99);
  let worst = 0;
  for (let i = 0; i < wrt.length; i++) {
    for (let d = 0; d < directions; d++) {
      const dir = randn(grads[i].length, 1000 + 17 * i + d);
      let analytic = 0;
      let gNorm = 0;
      for (let j = 0; j < dir.length; j++) {
        analytic += grads[i][j] * dir[j];
        gNorm += grads[i][j] ** 2;
      }
      const [plus] = await run('wasm', () => f(tensors(c, { name: wrt[i], dir, h })));
      const [minus] = await run('wasm', () => f(tensors(c, { name: wrt[i], dir, h: -h })));
      const fd = (plus[0] - minus[0]) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - analytic) / Math.max(Math.abs(analytic), Math.sqrt(gNorm), 1e-6));
    }
  }
  return worst;
}
