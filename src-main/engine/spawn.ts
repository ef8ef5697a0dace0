// Ways to start the engine worker: a real worker thread (app, server, CLI) or in-process over a
// MessageChannel (unit tests, where TypeScript sources cannot be loaded by a worker thread).
import { MessageChannel, Worker } from 'node:worker_threads';
import * as path from 'node:path';
import type { FromWorker, ToWorker, WorkerLike } from './protocol';
import { startWorkerRuntime, type PortLike } from './worker-runtime';

/** Starts out/main/engine-worker.js; `dir` defaults to the directory of the running bundle. */
export function spawnWorkerThread(dir: string = __dirname): WorkerLike {
  const worker = new Worker(path.join(dir, 'engine-worker.js'), { env: process.env });
  return worker as unknown as WorkerLike;
}

export function spawnInProcess(): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  const listeners: { exit: ((code: number) => void)[] } = { exit: [] };
  void startWorkerRuntime(port2 as unknown as PortLike);
  return {
    postMessage: (msg: ToWorker) => port1.postMessage(msg),
    on(event: 'message' | 'error' | 'exit', cb: (arg: never) => void) {
      if (event === 'message') port1.on('message', cb as (m: FromWorker) => void);
      if (event === 'exit') listeners.exit.push(cb as (code: number) => void);
      return this;
    },
    async terminate() {
      port1.close();
      port2.close();
      for (const cb of listeners.exit) cb(1);
      return 1;
    },
  } as WorkerLike;
}
