// The job system: progress, results, cancel (queued, running, stuck), failures and crashes.
import { afterEach, describe, expect, it } from 'vitest';
import { EngineHost } from '../../../src-main/engine/host';
import { spawnInProcess } from '../../../src-main/engine/spawn';
import type { FromWorker, ToWorker, WorkerLike } from '../../../src-main/engine/protocol';
import type { JobSnapshot } from '../../../src-main/api/contract';
import { JobRegistry } from '../../../src-main/engine/jobs/registry';
import { selftestJob } from '../../../src-main/engine/jobs/selftest';

let host: EngineHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

/** A worker stand-in that reports ready, then misbehaves as told. */
function fakeWorker(behaviour: 'stuck' | 'crash'): WorkerLike {
  const on: Record<string, ((a: never) => void)[]> = { message: [], error: [], exit: [] };
  const emit = (ev: string, arg: unknown): void => on[ev].forEach((cb) => cb(arg as never));
  setTimeout(() => emit('message', { type: 'ready', backend: { name: 'cpu', reason: 'fake', threads: 1, tfjsVersion: '0' } } satisfies FromWorker), 1);
  return {
    postMessage(msg: ToWorker) {
      if (msg.type === 'start' && behaviour === 'crash') setTimeout(() => emit('exit', 3), 5);
      if (msg.type === 'start' && behaviour === 'stuck') setTimeout(() => emit('message', { type: 'progress', id: msg.id, progress: { stage: 'busy', fraction: 0.5 } }), 5);
    },
    on(ev: string, cb: (a: never) => void) {
      on[ev].push(cb);
      return this;
    },
    async terminate() {
      emit('exit', 1);
      return 1;
    },
  } as WorkerLike;
}

describe('EngineHost', () => {
  it('runs a job to completion with increasing progress, ETA and a result', async () => {
    host = new EngineHost({ spawn: spawnInProcess });
    const updates: JobSnapshot[] = [];
    host.on('job.update', (s) => updates.push(s));
    const job = host.submit('selftest', { steps: 60, stepDelayMs: 5 }, 'test');
    const final = await host.wait(job.id);
    expect(final.status).toBe('succeeded');
    const result = final.result as { loss: number; w: number; b: number };
    expect(result.loss).toBeLessThan(0.01);
    expect(result.w).toBeCloseTo(3, 0);
    expect(result.b).toBeCloseTo(-1, 1);
    const fractions = updates.filter((u) => u.status === 'running' && u.progress.stage === 'fitting').map((u) => u.progress.fraction);
    expect(fractions.length).toBeGreaterThan(1);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    expect(updates.some((u) => u.progress.etaSeconds !== null && u.status === 'running')).toBe(true);
    expect(updates.some((u) => 'loss' in u.progress.metrics)).toBe(true);
  });

  it('cancels a running job and a queued one, and stays usable', async () => {
    host = new EngineHost({ spawn: spawnInProcess, concurrency: 1 });
    const a = host.submit('selftest', { steps: 100000, stepDelayMs: 1 }, 'long');
    const b = host.submit('selftest', { steps: 10, stepDelayMs: 0 }, 'queued');
    await new Promise<void>((r) => host!.on('job.update', (s) => s.id === a.id && s.progress.fraction > 0 && r()));
    expect(host.get(b.id).status).toBe('queued');
    host.cancel(b.id);
    expect(host.get(b.id).status).toBe('cancelled');
    host.cancel(a.id);
    const fa = await host.wait(a.id);
    expect(fa.status).toBe('cancelled');
    expect(fa.error?.code).toBe('cancelled');
    const c = host.submit('selftest', { steps: 5, stepDelayMs: 0 }, 'after');
    expect((await host.wait(c.id)).status).toBe('succeeded');
  });

  it('reports a failing job as a typed error and keeps running others', async () => {
    host = new EngineHost({ spawn: spawnInProcess });
    const bad = host.submit('selftest', { steps: 10, stepDelayMs: 0, failAtStep: 3 }, 'fails');
    const f = await host.wait(bad.id);
    expect(f.status).toBe('failed');
    expect(f.error?.message).toMatch(/failed on purpose at step 3/);
    const ok = host.submit('selftest', { steps: 3, stepDelayMs: 0 }, 'ok');
    expect((await host.wait(ok.id)).status).toBe('succeeded');
  });

  it('rejects invalid parameters inside the worker too', async () => {
    host = new EngineHost({ spawn: spawnInProcess });
    const j = host.submit('selftest', { steps: -5 }, 'invalid');
    const f = await host.wait(j.id);
    expect(f.status).toBe('failed');
    expect(f.error?.code).toBe('invalid_request');
  });

  it('fails running jobs when the worker dies, and restarts it for the next job', async () => {
    let spawned = 0;
    host = new EngineHost({ spawn: () => (++spawned === 1 ? fakeWorker('crash') : spawnInProcess()) });
    const j = host.submit('selftest', { steps: 3, stepDelayMs: 0 }, 'crashes');
    const f = await host.wait(j.id);
    expect(f.status).toBe('failed');
    expect(f.error?.code).toBe('engine_crashed');
    const k = host.submit('selftest', { steps: 3, stepDelayMs: 0 }, 'after crash');
    expect((await host.wait(k.id)).status).toBe('succeeded');
    expect(spawned).toBe(2);
  });

  it('restarts a worker that ignores cancel', async () => {
    let spawned = 0;
    host = new EngineHost({ spawn: () => (++spawned === 1 ? fakeWorker('stuck') : spawnInProcess()), hardCancelMs: 50 });
    const j = host.submit('selftest', { steps: 3 }, 'stuck');
    await new Promise<void>((r) => host!.on('job.update', (s) => s.id === j.id && s.progress.fraction === 0.5 && r()));
    host.cancel(j.id);
    const f = await host.wait(j.id);
    expect(f.status).toBe('cancelled');
    const k = host.submit('selftest', { steps: 3, stepDelayMs: 0 }, 'after restart');
    expect((await host.wait(k.id)).status).toBe('succeeded');
    expect(spawned).toBe(2);
  });

  it('refuses duplicate job kinds', () => {
    const r = new JobRegistry();
    r.register(selftestJob);
    expect(() => r.register(selftestJob)).toThrow(/already registered/);
  });
});
