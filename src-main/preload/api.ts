// Builds the object the preload exposes: exactly one function per API method plus `on` for
// events, over ipcRenderer. Kept apart from index.ts so a test can check its keys.
import { API_EVENTS, API_METHODS, ipcChannel, ipcEventChannel, type ApiEvent, type ApiMethod } from '../api/channels';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (...args: unknown[]) => void): unknown;
}

export type ExposedApi = Record<ApiMethod, (request: unknown) => Promise<unknown>> & {
  on(event: ApiEvent, listener: (payload: unknown) => void): () => void;
};

export function buildExposedApi(ipc: IpcRendererLike): ExposedApi {
  const api: Record<string, unknown> = {};
  for (const m of API_METHODS) api[m] = (request: unknown) => ipc.invoke(ipcChannel(m), request);
  api.on = (event: ApiEvent, listener: (payload: unknown) => void) => {
    if (!(API_EVENTS as readonly string[]).includes(event)) throw new Error(`Unknown event '${String(event)}'`);
    const wrapped = (_e: unknown, payload: unknown): void => listener(payload);
    ipc.on(ipcEventChannel(event), wrapped);
    return () => void ipc.removeListener(ipcEventChannel(event), wrapped as (...a: unknown[]) => void);
  };
  return Object.freeze(api) as ExposedApi;
}
