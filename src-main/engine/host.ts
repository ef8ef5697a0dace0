// The engine host, owned by the main process (or the CLI): it keeps the job list, queues jobs,
// forwards them to the engine worker, computes ETAs, and survives a crashed or stuck worker.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { EngineErrorInfo, JobKind, JobSnapshot } from '../api/contract';
import { EngineError } from './jobs/errors';
import type { BackendInfo, EngineCallName, EngineCalls, FromWorker, WorkerLike } from './protocol';

export interface EngineHostOptions {
  /** Starts a worker (a worker_threads Worker, or an in-process stand-in in tests). */
  spawn: () => WorkerLike;
  /** Jobs computed at once; the rest wait in the queue. */
  concurrency?: number;
  /** After a cancel, how long a job may take to stop before the worker is restarted. */
  hardCancelMs?: number;
  /** Finished jobs kept in the list. */
  keepFinished?: number;
}

interface JobRecord {
  snap: JobSnapshot;
  params: unknown;
}

export interface EngineHostEvents {
  'job.update': [JobSnapshot];
}

export class EngineHost extends EventEmitter<EngineHostEvents> {
  private worker: WorkerLike | null = null;
  private ready: Promise<BackendInfo> | null = null;
  private readonly jobs = new Map<string, JobRecord>();
  private readonly queue: string[] = [];
  private readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly hardCancelTimers = new Map<string, NodeJS.Timeout>();
  private nextCallId = 1;
  private closed = false;

  constructor(private readonly opts: EngineHostOptions) {
    super();
  }

  /** Starts the worker if needed and resolves with the active backend. */
  start(): Promise<BackendInfo> {
    if (this.closed) return Promise.reject(new EngineError('internal', 'The engine has been shut down'));
    if (this.ready) return this.ready;
    const worker = this.opts.spawn();
    this.worker = worker;
    this.ready = new Promise<BackendInfo>((resolve, reject) => {
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') resolve(msg.backend);
        else if (msg.type === 'init-failed') reject(new EngineError(msg.error.code, msg.error.message, msg.error.details));
        else this.onMessage(msg);
      });
      worker.on('error', (err) => this.onWorkerGone(worker, `Engine worker error: ${err.message}`, err.stack, reject));
      worker.on('exit', (code) => this.onWorkerGone(worker, `Engine worker exited with code ${code}`, undefined, reject));
    });
    this.ready.then(() => this.pump(), () => undefined);
    return this.ready;
  }

  async backend(): Promise<BackendInfo> {
    return this.start();
  }

  async call<K extends EngineCallName>(method: K, args: EngineCalls[K]['args']): Promise<EngineCalls[K]['result']> {
    await this.start();
    const callId = this.nextCallId++;
    return new Promise((resolve, reject) => {
      this.calls.set(callId, { resolve: resolve as (v: unknown) => void, reject });
      this.worker!.postMessage({ type: 'call', callId, method, args });
    });
  }

  submit(kind: JobKind, params: unknown, title: string): JobSnapshot {
    const id = randomUUID().replace(/-/g, '').slice(0, 16);
    const snap: JobSnapshot = {
      id,
      kind,
      title,
      status: 'queued',
      progress: { stage: 'queued', fraction: 0, etaSeconds: null, metrics: {} },
      createdAt: Date.now(),
      startedAt: null,
      finishedAt: null,
      error: null,
    };
    this.jobs.set(id, { snap, params });
    this.queue.push(id);
    this.emitUpdate(snap);
    this.start().then(() => this.pump(), (e: Error) => this.finish(id, 'failed', undefined, { code: 'engine_crashed', message: e.message }));
    return { ...snap };
  }

  cancel(id: string): JobSnapshot {
    const rec = this.require(id);
    const { snap } = rec;
    if (snap.status === 'queued') {
      this.queue.splice(this.queue.indexOf(id), 1);
      this.finish(id, 'cancelled', undefined, { code: 'cancelled', message: 'Cancelled before it started' });
    } else if (snap.status === 'running') {
      snap.progress = { ...snap.progress, stage: 'cancelling' };
      this.emitUpdate(snap);
      this.worker?.postMessage({ type: 'cancel', id });
      // A job that does not stop in time (a long kernel, a bug) costs a worker restart, not the app.
      const worker = this.worker;
      this.hardCancelTimers.set(
        id,
        setTimeout(() => {
          if (this.jobs.get(id)?.snap.status === 'running' && worker) {
            this.finish(id, 'cancelled', undefined, { code: 'cancelled', message: 'Cancelled (engine restarted to stop it)' });
            this.restartWorker(worker);
          }
        }, this.opts.hardCancelMs ?? 15_000),
      );
    }
    return { ...snap };
  }

  get(id: string): JobSnapshot {
    return { ...this.require(id).snap };
  }

  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((r) => ({ ...r.snap })).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Resolves when the job reaches a final state. */
  wait(id: string): Promise<JobSnapshot> {
    const done = (s: JobSnapshot): boolean => ['succeeded', 'failed', 'cancelled'].includes(s.status);
    const cur = this.get(id);
    if (done(cur)) return Promise.resolve(cur);
    return new Promise((resolve) => {
      const onUpdate = (s: JobSnapshot): void => {
        if (s.id === id && done(s)) {
          this.off('job.update', onUpdate);
          resolve(s);
        }
      };
      this.on('job.update', onUpdate);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.hardCancelTimers.values()) clearTimeout(t);
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) await w.terminate();
  }

  private require(id: string): JobRecord {
    const rec = this.jobs.get(id);
    if (!rec) throw new EngineError('not_found', `No job with id '${id}'`);
    return rec;
  }

  private running(): number {
    let n = 0;
    for (const r of this.jobs.values()) if (r.snap.status === 'running') n++;
    return n;
  }

  private pump(): void {
    if (!this.worker) return;
    while (this.queue.length && this.running() < (this.opts.concurrency ?? 1)) {
      const id = this.queue.shift()!;
      const rec = this.jobs.get(id)!;
      rec.snap.status = 'running';
      rec.snap.startedAt = Date.now();
      rec.snap.progress = { stage: 'starting', fraction: 0, etaSeconds: null, metrics: {} };
      this.emitUpdate(rec.snap);
      this.worker.postMessage({ type: 'start', id, kind: rec.snap.kind, params: rec.params });
    }
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'progress': {
        const rec = this.jobs.get(msg.id);
        if (!rec || rec.snap.status !== 'running') return;
        const f = Math.min(1, Math.max(0, msg.progress.fraction));
        const elapsed = (Date.now() - (rec.snap.startedAt ?? Date.now())) / 1000;
        const stage = rec.snap.progress.stage === 'cancelling' ? 'cancelling' : msg.progress.stage;
        rec.snap.progress = {
          stage,
          fraction: f,
          etaSeconds: f > 0.01 ? Math.max(0, (elapsed * (1 - f)) / f) : null,
          metrics: msg.progress.metrics ?? {},
        };
        this.emitUpdate(rec.snap);
        break;
      }
      case 'done':
        this.finish(msg.id, 'succeeded', msg.result, null);
        break;
      case 'failed':
        this.finish(msg.id, msg.error.code === 'cancelled' ? 'cancelled' : 'failed', undefined, msg.error);
        break;
      case 'reply': {
        const c = this.calls.get(msg.callId);
        if (!c) return;
        this.calls.delete(msg.callId);
        if (msg.ok) c.resolve(msg.result);
        else c.reject(new EngineError(msg.error.code, msg.error.message, msg.error.details));
        break;
      }
    }
  }

  private finish(id: string, status: JobSnapshot['status'], result: unknown, error: EngineErrorInfo | null): void {
    const rec = this.jobs.get(id);
    if (!rec || ['succeeded', 'failed', 'cancelled'].includes(rec.snap.status)) return;
    const t = this.hardCancelTimers.get(id);
    if (t) clearTimeout(t);
    this.hardCancelTimers.delete(id);
    rec.snap.status = status;
    rec.snap.finishedAt = Date.now();
    rec.snap.error = error;
    if (status === 'succeeded') {
      rec.snap.result = result;
      rec.snap.progress = { ...rec.snap.progress, stage: 'done', fraction: 1, etaSeconds: 0 };
    } else {
      rec.snap.progress = { ...rec.snap.progress, stage: status, etaSeconds: null };
    }
    this.emitUpdate(rec.snap);
    this.prune();
    this.pump();
  }

  private prune(): void {
    const keep = this.opts.keepFinished ?? 200;
    const finished = [...this.jobs.values()].filter((r) => r.snap.finishedAt !== null).sort((a, b) => a.snap.finishedAt! - b.snap.finishedAt!);
    for (const r of finished.slice(0, Math.max(0, finished.length - keep))) this.jobs.delete(r.snap.id);
  }

  private restartWorker(worker: WorkerLike): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.ready = null;
    void worker.terminate();
    this.failInFlight('The engine was restarted');
    if (this.queue.length) void this.start();
  }

  private onWorkerGone(worker: WorkerLike, message: string, details: string | undefined, reject: (e: Error) => void): void {
    reject(new EngineError('engine_crashed', message, details));
    if (this.worker !== worker) return; // already replaced (restart or close)
    this.worker = null;
    this.ready = null;
    this.failInFlight(message, details);
    if (this.queue.length && !this.closed) void this.start();
  }

  private failInFlight(message: string, details?: string): void {
    for (const rec of this.jobs.values()) {
      if (rec.snap.status === 'running') this.finish(rec.snap.id, 'failed', undefined, { code: 'engine_crashed', message, details });
    }
    for (const [id, c] of this.calls) {
      c.reject(new EngineError('engine_crashed', message, details));
      this.calls.delete(id);
    }
  }

  private emitUpdate(snap: JobSnapshot): void {
    this.emit('job.update', { ...snap, progress: { ...snap.progress } });
  }
}
