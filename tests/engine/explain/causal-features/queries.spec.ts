// Causal queries answered by the auditor: a GRATING batch made by the job and saved in a
// project; answers saved through the API (validated by the contract), atomically and without
// losing any when they arrive together; undo; bad payloads rejected; everything back from disk.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../../src-main/api/dispatch';
import { createHandlers } from '../../../../src-main/api/handlers';
import type { CausalQueryBatch, CausalQueryBatchSummary } from '../../../../src-main/api/schemas/causal-queries';
import { EngineHost } from '../../../../src-main/engine/host';
import { readStoredBatch } from '../../../../src-main/engine/explain/causal-features/query-store';
import { fromBase64 } from '../../../../src-main/engine/explain/causal-features/queries';
import { hasHbar } from '../../../../src-main/engine/explain/causal-features/grating';
import { imageAt } from '../../../../src-main/engine/explain/causal-features/images';
import { ProjectStore } from '../../../../src-main/engine/project/store';
import { spawnInProcess } from '../../../../src-main/engine/spawn';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-cq-'));
const dir = path.join(home, 'p');
let host: EngineHost;
let handlers: ReturnType<typeof createHandlers>;

beforeAll(async () => {
  process.env.XRAY_AUDIT_HOME = home;
  host = new EngineHost({ spawn: spawnInProcess });
  await host.start();
  handlers = createHandlers(host, 'cli');
  await host.call('projects.create', { dir, name: 'causal queries', keepIdentifiers: false });
});
afterAll(async () => {
  await host.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function api(method: string, payload: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }> {
  return (await dispatch(handlers, method, payload)) as never;
}

describe('causal queries', () => {
  let batchId = '';

  it('the job makes a GRATING batch of manipulated images and saves it in the project', async () => {
    const sub = await api('jobs.submit', { kind: 'causal-queries', params: { count: 8, observational: 400, epochs: 10, seed: 3 } });
    expect(sub.ok).toBe(true);
    const done = await host.wait((sub.result as { id: string }).id);
    expect(done.error).toBeNull();
    const summary = done.result as CausalQueryBatchSummary;
    expect(summary).toMatchObject({ experiment: 'grating', count: 8, answered: 0 });
    batchId = summary.batchId;
    const list = await api('causalQueries.list', {});
    expect((list.result as CausalQueryBatchSummary[]).map((b) => b.batchId)).toEqual([batchId]);

    const view = (await api('causalQueries.batch', { batchId })).result as CausalQueryBatch;
    expect(view.queries).toHaveLength(8);
    expect(view.question).toMatch(/horizontal bar/);
    for (const q of view.queries) {
      expect(q.manipulated).toMatch(/^data:image\/png;base64,/);
      expect(q.targetClass).toBe(1 - q.fromClass);
      expect(q.answer).toBeNull();
      expect(q).not.toHaveProperty('truth');
    }
    // The stored truth is GRATING's ground truth on the stored (binary) manipulated pixels.
    const { batch } = await readStoredBatch(await ProjectStore.open(dir), batchId);
    const m = fromBase64(batch.pixels.manipulated, batch.size);
    const o = fromBase64(batch.pixels.originals, batch.size);
    batch.queries.forEach((q, k) => {
      expect(q.truth).toBe(hasHbar(imageAt(m, k), 10) ? 'present' : 'absent');
      expect(q.fromClass).toBe(hasHbar(imageAt(o, k), 10) ? 1 : 0);
    });
    // The manipulator changed most images.
    expect(batch.queries.filter((q) => q.changed > 0).length).toBeGreaterThanOrEqual(6);
  });

  it('saves answers sent together without losing any, undoes, and reads them back from disk', async () => {
    const answers = ['present', 'absent', 'present', 'absent', 'absent', 'present'] as const;
    const replies = await Promise.all(answers.map((answer, query) => api('causalQueries.answer', { batchId, query, answer })));
    expect(replies.every((r) => r.ok)).toBe(true);
    expect(replies.map((r) => (r.result as { seq: number }).seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);

    const undo = await api('causalQueries.answer', { batchId, query: 5, answer: 'undo' });
    expect(undo.result).toMatchObject({ query: 5, answer: null, answered: 5, count: 8 });
    // Changing an answer replaces it.
    await api('causalQueries.answer', { batchId, query: 1, answer: 'present' });

    const view = (await api('causalQueries.batch', { batchId })).result as CausalQueryBatch;
    expect(view.answered).toBe(5);
    expect(view.queries.map((q) => q.answer)).toEqual(['present', 'present', 'present', 'absent', 'absent', null, null, null]);
    // The undone answer (seq 6) is gone, so the change takes the next number after the highest left.
    expect(view.queries[1].seq).toBe(6);

    // On disk: a complete manifest (no temp files left), the same answers after reopening.
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const reopened = await ProjectStore.open(dir);
    const { answers: saved } = await readStoredBatch(reopened, batchId);
    expect(Object.fromEntries(Object.entries(saved).map(([k, v]) => [k, v.answer]))).toEqual({ '0': 'present', '1': 'present', '2': 'present', '3': 'absent', '4': 'absent' });
  });

  it('rejects bad payloads before the engine, and queries or batches that do not exist', async () => {
    const revision = (await ProjectStore.open(dir)).manifest.revision;
    for (const bad of [
      { batchId, query: 0, answer: 'maybe' },
      { batchId, query: -1, answer: 'present' },
      { batchId, query: 1.5, answer: 'present' },
      { batchId: '../x', query: 0, answer: 'present' },
      { batchId, query: 0, answer: 'present', extra: 1 },
      { batchId, answer: 'present' },
    ]) {
      const r = await api('causalQueries.answer', bad);
      expect(r.ok).toBe(false);
      expect(r.error!.code).toBe('invalid_request');
    }
    const outside = await api('causalQueries.answer', { batchId, query: 8, answer: 'present' });
    expect(outside.error!.code).toBe('invalid_request');
    const unknown = await api('causalQueries.answer', { batchId: 'grating-nope', query: 0, answer: 'present' });
    expect(unknown.error!.code).toBe('not_found');
    expect((await ProjectStore.open(dir)).manifest.revision).toBe(revision);
  });
});
