// Threaded SIMD wasm in Node. tfjs-backend-wasm disables threads under Node (its flag returns
// false) and starts emscripten's pthread workers from `blob:` URLs, which Node's Worker refuses.
// The worker script itself handles Node, so: write it to a file in os.tmpdir() (not next to the
// source: this must also work from the bundle), hand that path out instead of the blob URL, and
// let the worker load the factory from the package's own file instead of its blob.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { nodeRequire, packageDir } from './node_paths';

// A minimal module using shared memory and an atomic: WebAssembly threads are usable.
const THREADS_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11]);

export function wasmThreadsSupported(): string | null {
  if (typeof SharedArrayBuffer === 'undefined') return 'no SharedArrayBuffer';
  try {
    // (lib ES2022 without DOM types has no WebAssembly value)
    const wa = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    if (!wa.validate(THREADS_PROBE)) return 'WebAssembly threads unsupported';
  } catch (e) {
    return `WebAssembly threads probe failed: ${(e as Error).message}`;
  }
  return null;
}

let blobInterceptInstalled = false;

/** Writes the pthread worker shim and routes the backend's worker blob URL to it. */
function installWorkerShim(): void {
  if (blobInterceptInstalled) return;
  const wasmDir = path.join(packageDir('@tensorflow/tfjs-backend-wasm'), 'wasm-out');
  const factory = path.join(wasmDir, 'tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = nodeRequire(path.join(wasmDir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // The backend escapes newlines the same way before making its Blob; we match its size below.
  const workerJs = wasmWorkerContents.replace(/\n/g, '\\n');
  // Inside the worker, the factory arrives as a Blob too: serve the package file instead.
  const shim = `URL.createObjectURL=()=>${JSON.stringify(factory)};URL.revokeObjectURL=()=>{};\n${workerJs}`;
  const hash = createHash('sha256').update(shim).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `xray-audit-tfjs-wasm-pthread-${hash}.js`);
  if (!fs.existsSync(file)) {
    // Atomic: parallel processes (test forks, engine workers) may race to write it.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, shim);
    fs.renameSync(tmp, file);
  }
  const workerBlobSize = Buffer.byteLength(workerJs);
  const original = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob) =>
    obj instanceof Blob && obj.type === 'application/javascript' && obj.size === workerBlobSize ? file : original(obj);
  blobInterceptInstalled = true;
}

interface WasmModuleApi {
  setThreadsCount(n: number): void;
}

/** Makes the next wasm backend init use the threaded SIMD build with `threads` threads (the
 * caller included). Returns an undo for the init-time-only parts; call it after setBackend. */
export function prepareThreadedWasm(wasm: WasmModuleApi, threads: number): () => void {
  installWorkerShim();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  // The backend caps its pool at half the logical cores: on 2 cores that is 1 thread. Report
  // enough cores while it initialises (it reads os.cpus() then), and restore afterwards.
  const realCpus = os.cpus;
  const n = realCpus().length;
  if (n < 2 * threads) {
    os.cpus = () => {
      const c = realCpus();
      return Array.from({ length: 2 * threads }, (_, i) => c[i % c.length]);
    };
  }
  return () => {
    os.cpus = realCpus;
  };
}

/** Reverts to the single-threaded SIMD build for a retry after a failed threaded init. */
export function disableThreadedWasm(wasm: WasmModuleApi): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasm.setThreadsCount(1);
}

interface PThreadApi {
  unusedWorkers: Array<{ unref(): void; terminate(): unknown }>;
  runningWorkers: Array<{ unref(): void }>;
  allocateUnusedWorker(): void;
}

/** emscripten preallocates 8 pthread workers (~10 MiB each) that keep the process alive: free the
 * ones the pool did not take (emscripten makes new ones if ever needed) and unref the rest. */
export function trimPthreadWorkers(backend: unknown): void {
  const p = (backend as { wasm?: { PThread?: PThreadApi } }).wasm?.PThread;
  if (!p) return;
  for (const w of p.unusedWorkers.splice(0)) void w.terminate();
  for (const w of p.runningWorkers) w.unref();
  const allocate = p.allocateUnusedWorker.bind(p);
  p.allocateUnusedWorker = () => {
    allocate();
    p.unusedWorkers[p.unusedWorkers.length - 1]?.unref();
  };
}
