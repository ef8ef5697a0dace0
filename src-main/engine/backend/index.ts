// Backend ladder: tensorflow (tfjs-node-gpu / tfjs-node) -> wasm -> cpu.
// Override with XRAY_AUDIT_BACKEND=tensorflow|wasm|cpu or the `prefer` option; the wasm thread
// count with XRAY_AUDIT_WASM_THREADS or `wasmThreads` (1 = single-threaded SIMD build).
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { installWasmKernels } from './kernels';
import { nodeRequire, packageDir } from './node_paths';
import { disableThreadedWasm, prepareThreadedWasm, trimPthreadWorkers, wasmThreadsSupported } from './wasm_threads';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const LADDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendInfo {
  /** The active tfjs backend. */
  name: BackendName;
  /** Why this backend was chosen (and why the ones above it were skipped). */
  reason: string;
  /** Threads the backend computes with. */
  threads: number;
  tfjsVersion: string;
}

export interface BackendOptions {
  prefer?: BackendName;
  /** wasm threads, caller included; default: all logical cores, at most 8. */
  wasmThreads?: number;
}

let active: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

/** Selects and initialises the compute backend once per process (idempotent). */
export function initBackend(opts: BackendOptions = {}): Promise<BackendInfo> {
  if (active) return Promise.resolve(active);
  pending ??= select(opts).finally(() => {
    pending = null;
  });
  return pending;
}

export function activeBackend(): BackendInfo | null {
  return active;
}

async function select(opts: BackendOptions): Promise<BackendInfo> {
  const notes: string[] = [];
  const envPrefer = process.env.XRAY_AUDIT_BACKEND?.trim().toLowerCase();
  let prefer = opts.prefer ?? (envPrefer || undefined);
  if (prefer && !LADDER.includes(prefer as BackendName)) {
    notes.push(`ignored unknown backend "${prefer}"`);
    prefer = undefined;
  }
  const source = opts.prefer ? 'setting' : 'XRAY_AUDIT_BACKEND';
  const head = prefer ? `requested ${prefer} (${source})` : 'first available of tensorflow, wasm, cpu';
  // A request starts the ladder at that rung; lower rungs remain fallbacks.
  const rungs = LADDER.slice(prefer ? LADDER.indexOf(prefer as BackendName) : 0);
  if (prefer) notes.push(...LADDER.slice(0, LADDER.indexOf(prefer as BackendName)).map((r) => `${r}: not requested`));
  for (const rung of rungs) {
    const result = await tryRung(rung, opts, notes);
    if (result) {
      active = { name: rung, reason: `${head}; ${rung} chosen${result.note ? ` (${result.note})` : ''}${notes.length ? `; skipped: ${notes.join('; ')}` : ''}`, threads: result.threads, tfjsVersion: tf.version.tfjs };
      return active;
    }
  }
  throw new Error(`no tfjs backend could be initialised: ${notes.join('; ')}`);
}

type RungResult = { threads: number; note?: string } | null;

async function tryRung(rung: BackendName, opts: BackendOptions, notes: string[]): Promise<RungResult> {
  try {
    if (rung === 'tensorflow') return await tryTensorflow(notes);
    if (rung === 'wasm') return await tryWasm(opts, notes);
    if (await tf.setBackend('cpu')) {
      await tf.ready();
      return { threads: 1 };
    }
    notes.push('cpu: setBackend failed');
  } catch (e) {
    notes.push(`${rung}: ${errorText(e)}`);
  }
  return null;
}

async function tryTensorflow(notes: string[]): Promise<RungResult> {
  // Optional dependencies: on machines where they are absent or their native binding does not
  // load, require throws and we record why. Requiring registers the 'tensorflow' backend.
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      nodeRequire(pkg);
    } catch (e) {
      notes.push(`tensorflow: ${pkg}: ${errorText(e)}`);
      continue;
    }
    if (await tf.setBackend('tensorflow')) {
      await tf.ready();
      return { threads: os.cpus().length, note: pkg };
    }
    notes.push(`tensorflow: ${pkg} loaded but setBackend('tensorflow') failed`);
  }
  return null;
}

function requestedThreads(opts: BackendOptions): number {
  const env = Number(process.env.XRAY_AUDIT_WASM_THREADS);
  const n = opts.wasmThreads ?? (Number.isFinite(env) && env > 0 ? env : Math.min(os.cpus().length, 8));
  return Math.max(1, Math.floor(n));
}

let wasmPathsSet = false;

/** Initialises the threaded SIMD build; returns null on success, else why not. */
async function tryThreadedWasm(wasm: typeof import('@tensorflow/tfjs-backend-wasm'), threads: number): Promise<string | null> {
  let restore = () => {};
  try {
    restore = prepareThreadedWasm(wasm, threads);
    if (!(await withoutEmscriptenListeners(() => tf.setBackend('wasm')))) return 'threaded init failed';
  } catch (e) {
    return errorText(e);
  } finally {
    restore();
  }
  await tf.ready();
  trimPthreadWorkers(tf.backend());
  return null;
}

async function tryWasm(opts: BackendOptions, notes: string[]): Promise<RungResult> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Binaries from the package itself, wherever this module was bundled to.
  if (!wasmPathsSet) {
    wasm.setWasmPaths(`${packageDir('@tensorflow/tfjs-backend-wasm')}/dist/`);
    wasmPathsSet = true;
  }
  const threads = requestedThreads(opts);
  let note = 'SIMD, 1 thread';
  if (threads > 1) {
    const failure = wasmThreadsSupported() ?? (await tryThreadedWasm(wasm, threads));
    if (failure === null) {
      const n = wasm.getThreadsCount();
      return finishWasm(n, `threaded SIMD, ${n} threads`);
    }
    // tfjs forgets a failed init, so setBackend below retries with the single-threaded build.
    note = `SIMD, 1 thread: threads unavailable (${failure})`;
    disableThreadedWasm(wasm);
  }
  if (!(await withoutEmscriptenListeners(() => tf.setBackend('wasm')))) {
    notes.push('wasm: setBackend failed');
    return null;
  }
  await tf.ready();
  return finishWasm(wasm.getThreadsCount(), note);
}

/** emscripten's module adds process listeners that rethrow every uncaught exception and unhandled
 * rejection (crashing the process even where the app handles them, and printing the minified
 * module as the "source line"). Runs `init` and removes whatever listeners it added. */
async function withoutEmscriptenListeners<T>(init: () => Promise<T>): Promise<T> {
  // Typed loosely: the two events' listener types differ.
  const proc = process as unknown as { listeners(e: string): Array<(...a: unknown[]) => void>; removeListener(e: string, l: (...a: unknown[]) => void): void };
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((e) => new Set(proc.listeners(e)));
  try {
    return await init();
  } finally {
    events.forEach((e, i) => {
      for (const l of proc.listeners(e)) if (!before[i].has(l)) proc.removeListener(e, l);
    });
  }
}

function finishWasm(threads: number, note: string): RungResult {
  const replaced = installWasmKernels();
  return { threads, note: `${note}; own kernels installed${replaced.length ? `, replacing ${replaced.join(', ')}` : ''}` };
}

function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String((e as { message: unknown }).message) : String(e);
  return msg.split('\n')[0];
}
