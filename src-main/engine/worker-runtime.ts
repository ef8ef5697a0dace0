// The engine side of the worker protocol: initialises the backend, runs jobs, answers calls.
// Transport-agnostic so that tests can run it in-process over a MessageChannel.
import { initBackend } from './backend';
import { createJobContext, type ProgressUpdate } from './jobs/context';
import { createJobRegistry } from './jobs/all';
import { CancelledError, EngineError, toErrorInfo } from './jobs/errors';
import type { FromWorker, ToWorker } from './protocol';
import { calls } from './calls';
import { JobParamsSchemas } from '../api/contract';

export interface PortLike {
  postMessage(msg: FromWorker): void;
  on(event: 'message', cb: (msg: ToWorker) => void): unknown;
}

/** Minimum interval between progress messages of one job (the last one always goes out). */
const PROGRESS_INTERVAL_MS = 100;

export async function startWorkerRuntime(port: PortLike): Promise<void> {
  const registry = createJobRegistry();
  const running = new Map<string, AbortController>();

  const runJob = async (id: string, kind: ToWorker & { type: 'start' }): Promise<void> => {
    const controller = new AbortController();
    running.set(id, controller);
    let lastSent = 0;
    let pending: ProgressUpdate | null = null;
    let timer: NodeJS.Timeout | null = null;
    const flush = (): void => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (pending) port.postMessage({ type: 'progress', id, progress: pending });
      pending = null;
      lastSent = Date.now();
    };
    const report = (u: ProgressUpdate): void => {
      pending = u;
      const wait = PROGRESS_INTERVAL_MS - (Date.now() - lastSent);
      if (wait <= 0) flush();
      else if (!timer) timer = setTimeout(flush, wait);
    };
    try {
      const def = registry.get(kind.kind);
      const parsed = JobParamsSchemas[kind.kind].safeParse(kind.params);
      if (!parsed.success) throw new EngineError('invalid_request', `Invalid parameters for ${kind.kind}`, parsed.error.message);
      const result = await def.run(parsed.data, createJobContext(controller.signal, report));
      flush();
      if (controller.signal.aborted) throw new CancelledError();
      port.postMessage({ type: 'done', id, result });
    } catch (e) {
      if (timer) clearTimeout(timer);
      const error = controller.signal.aborted ? toErrorInfo(new CancelledError()) : toErrorInfo(e);
      port.postMessage({ type: 'failed', id, error });
    } finally {
      running.delete(id);
    }
  };

  port.on('message', (msg) => {
    switch (msg.type) {
      case 'start':
        void runJob(msg.id, msg);
        break;
      case 'cancel':
        running.get(msg.id)?.abort();
        break;
      case 'call': {
        const fn = (calls as Record<string, ((args: unknown) => Promise<unknown>) | undefined>)[msg.method];
        if (!fn) {
          port.postMessage({ type: 'reply', callId: msg.callId, ok: false, error: { code: 'not_found', message: `Unknown engine call '${String(msg.method)}'` } });
          break;
        }
        fn(msg.args).then(
          (result) => port.postMessage({ type: 'reply', callId: msg.callId, ok: true, result }),
          (e: unknown) => port.postMessage({ type: 'reply', callId: msg.callId, ok: false, error: toErrorInfo(e) }),
        );
        break;
      }
    }
  });

  try {
    port.postMessage({ type: 'ready', backend: await initBackend() });
  } catch (e) {
    port.postMessage({ type: 'init-failed', error: toErrorInfo(e) });
  }
}
