// Entry point of the engine worker thread (bundled to out/main/engine-worker.js).
import { parentPort } from 'node:worker_threads';
import { startWorkerRuntime } from './worker-runtime';

if (!parentPort) throw new Error('engine-worker must run inside a worker thread');
void startWorkerRuntime(parentPort as unknown as Parameters<typeof startWorkerRuntime>[0]);
