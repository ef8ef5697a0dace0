// Messages between the engine host (main process / CLI) and the engine worker.
import type { z } from 'zod';
import type { ApiResponse, ApiSchemas, AppInfo, EngineErrorInfo, JobKind } from '../api/contract';
import { API_METHODS, type ApiMethod } from '../api/channels';
import type { ProgressUpdate } from './jobs/context';

export type BackendInfo = AppInfo['backend'];

/** API methods the main process answers itself; every other method goes to the engine worker. */
const MAIN_METHODS = ['app.info', 'jobs.submit', 'jobs.cancel', 'jobs.list', 'jobs.get'] as const;
type MainMethod = (typeof MAIN_METHODS)[number];
export type ForwardedMethod = Exclude<ApiMethod, MainMethod>;
export const FORWARDED_METHODS = API_METHODS.filter((m): m is ForwardedMethod => !(MAIN_METHODS as readonly string[]).includes(m));

/** Request/response engine calls (no progress; quick). */
export type EngineCalls = {
  backendInfo: { args: Record<string, never>; result: BackendInfo };
  /** Where a report's files are (the desktop app prints its PDF with Electron). */
  reportDir: { args: { reportId: string }; result: { dir: string } };
} & {
  [M in ForwardedMethod]: { args: z.infer<(typeof ApiSchemas)[M]['request']>; result: ApiResponse<M> };
};
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
