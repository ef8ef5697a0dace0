// Messages between the engine host (main process / CLI) and the engine worker.
import type { AppInfo, EngineErrorInfo, JobKind } from '../api/contract';
import type { ProgressUpdate } from './jobs/context';

export type BackendInfo = AppInfo['backend'];

/** Synchronous-style engine calls (request/response, no progress). */
export interface EngineCalls {
  backendInfo: { args: Record<string, never>; result: BackendInfo };
}
export type EngineCallName = keyof EngineCalls;

export type ToWorker =
  | { type: 'start'; id: string; kind: JobKind; params: unknown }
  | { type: 'cancel'; id: string }
  | { type: 'call'; callId: number; method: EngineCallName; args: unknown };

export type FromWorker =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'init-failed'; error: EngineErrorInfo }
  | { type: 'progress'; id: string; progress: ProgressUpdate }
  | { type: 'done'; id: string; result: unknown }
  | { type: 'failed'; id: string; error: EngineErrorInfo }
  | { type: 'reply'; callId: number; ok: true; result: unknown }
  | { type: 'reply'; callId: number; ok: false; error: EngineErrorInfo };

/** The part of a worker_threads Worker (or an in-process stand-in) the host uses. */
export interface WorkerLike {
  postMessage(msg: ToWorker): void;
  on(event: 'message', cb: (msg: FromWorker) => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  on(event: 'exit', cb: (code: number) => void): unknown;
  terminate(): Promise<number>;
}
