// The renderer's API client. It picks the transport once: the Electron preload's
// `window.xrayAudit` when present, else HTTP + WebSocket to the 127.0.0.1 server that served
// this page (authorised by its HttpOnly cookie). Screens and stores never know which.
import { API_EVENTS, type ApiEvent, type ApiMethod } from '../../../src-main/api/channels';
import {
  ApiError,
  EventSchemas,
  type ApiClient,
  type ApiEventPayload,
  type ApiRequest,
  type ApiResponse,
  type Envelope,
} from '../../../src-main/api/contract';

type Listener = (payload: unknown) => void;

interface PreloadApi {
  [method: string]: unknown;
  on(event: ApiEvent, listener: Listener): () => void;
}

declare global {
  interface Window {
    xrayAudit?: PreloadApi;
  }
}

function unwrap<T>(env: Envelope<T>): T {
  if (env.ok) return env.result;
  throw new ApiError(env.error);
}

function ipcClient(bridge: PreloadApi): ApiClient {
  return {
    async invoke(method, request) {
      const fn = bridge[method] as (r: unknown) => Promise<Envelope<never>>;
      return unwrap(await fn(request));
    },
    on(event, listener) {
      return bridge.on(event, (p) => listener(EventSchemas[event].parse(p) as never));
    },
  };
}

function httpClient(): ApiClient {
  const listeners = new Map<ApiEvent, Set<Listener>>(API_EVENTS.map((e) => [e, new Set<Listener>()]));
  let socket: WebSocket | null = null;
  let retry = 500;
  const connect = (): void => {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${proto}://${location.host}/events`);
    socket.onopen = () => (retry = 500);
    socket.onmessage = (m) => {
      const { event, payload } = JSON.parse(String(m.data)) as { event: ApiEvent; payload: unknown };
      const parsed = EventSchemas[event]?.safeParse(payload);
      if (parsed?.success) listeners.get(event)?.forEach((l) => l(parsed.data));
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10_000);
    };
  };
  connect();
  return {
    async invoke<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>> {
      const res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request ?? {}),
        credentials: 'same-origin',
      });
      if (res.status === 401) throw new ApiError({ code: 'invalid_request', message: 'Not authorised: reopen the URL printed by `xray-audit serve`.' });
      return unwrap((await res.json()) as Envelope<ApiResponse<M>>);
    },
    on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void) {
      const set = listeners.get(event)!;
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
  };
}

export const api: ApiClient = window.xrayAudit ? ipcClient(window.xrayAudit) : httpClient();
