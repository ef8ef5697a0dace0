// The 'causal-factors' job on the demo set: a tiny explainer (8 filters, 2 steps), a JSON result
// with influence, certificate and PNG sweeps; then a cancelled continuation keeps the checkpoint.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CausalFactorsParamsSchema, CausalFactorsResultSchema } from '../../../../src-main/api/schemas/causal-factors';
import { initBackend } from '../../../../src-main/engine/backend';
import { createJobContext } from '../../../../src-main/engine/jobs/context';
import { causalFactorsJob } from '../../../../src-main/engine/jobs/causal-factors';
import { CancelledError } from '../../../../src-main/engine/jobs/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-gce-job-'));
beforeAll(async () => {
  await initBackend({ prefer: 'wasm', wasmThreads: 1 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const params = (steps: number) =>
  CausalFactorsParamsSchema.parse({
    data: 'demo',
    outDir: dir,
    options: { k: 1, l: 2, filters: 8, steps, batchSize: 8, trainNAlpha: 8, trainNBeta: 4, lr: 1e-3, seed: 3 },
    betaInfluence: false,
    sweepImages: 1,
    sweepEvery: 2,
    checkpointEvery: 1,
  });

describe('causal-factors job', () => {
  it('trains, reports a JSON-serialisable result, and a cancelled continuation keeps the checkpoint', async () => {
    const updates: { stage: string; metrics?: Record<string, number> }[] = [];
    const ctx = createJobContext(new AbortController().signal, (u) => updates.push(u));
    expect(causalFactorsJob.title(params(2))).toContain('K = 1');
    const r = await causalFactorsJob.run(params(2), ctx);
    const back = CausalFactorsResultSchema.parse(JSON.parse(JSON.stringify(r)));
    expect(back.steps).toBe(2);
    expect(back.resumedFrom).toBeNull();
    expect(back.history).toHaveLength(2);
    expect(back.influence.nAlpha).toBe(100);
    expect(back.influence.perFactor).toEqual([{ name: 'alpha1', causal: true, nats: back.influence.joint }]);
    expect(back.certificate.classes).toBe(2);
    expect(back.certificate.text).toMatch(/I\(alpha;Y\)/);
    expect(back.sweeps[0].factors.map((f) => f.name)).toEqual(['alpha1', 'beta1', 'beta2']);
    expect(back.sweeps[0].factors[0].png).toMatch(/^data:image\/png;base64,/);
    expect(back.snapshots.map((s) => s.step)).toEqual([2]);
    expect(updates.some((u) => u.metrics?.C !== undefined && u.metrics?.step === 2)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'explainer.json'))).toBe(true);

    // Continue to 4 steps but cancel at the first progress report of step 3.
    const ac = new AbortController();
    const ctx2 = createJobContext(ac.signal, (u) => {
      if (u.metrics?.step === 3) ac.abort();
    });
    await expect(causalFactorsJob.run(params(4), ctx2)).rejects.toBeInstanceOf(CancelledError);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'explainer.json'), 'utf8')) as { step: number };
    expect(saved.step).toBe(3);
  });
});
