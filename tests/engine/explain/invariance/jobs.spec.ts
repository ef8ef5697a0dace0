// The two jobs end to end on a small demo project (not yet registered in jobs/all.ts, so run
// directly): train an SVAE against the project's model for one epoch, resume refuses nothing,
// the analysis returns curves, gallery, counterfactuals and maps as PNG data URLs, and both
// results are saved in the project.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvarianceAnalysisResult } from '../../../../src-main/api/schemas/invariance';
import { select } from '../../../../src-main/engine/data/image-set';
import { loadDemoPneumonia } from '../../../../src-main/engine/data/importers/medmnist';
import { makeRng, permutation } from '../../../../src-main/engine/data/synthetic/rng';
import { createJobContext } from '../../../../src-main/engine/jobs/context';
import { invarianceAnalysisJob, InvarianceAnalysisParamsSchema } from '../../../../src-main/engine/jobs/invariance-analysis';
import { invarianceTrainJob, InvarianceTrainParamsSchema } from '../../../../src-main/engine/jobs/invariance-train';
import { attachModel } from '../../../../src-main/engine/models/project-model';
import { saveImageSet } from '../../../../src-main/engine/project/dataset-io';
import { modelsDir, resourcesDir } from '../../../../src-main/engine/resources';
import { createProject } from '../../../../src-main/engine/session';
import { setupBackend } from './helpers';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-inv-jobs-'));
beforeAll(async () => {
  process.env.XRAY_AUDIT_HOME = path.join(home, 'home');
  await setupBackend();
  const demo = loadDemoPneumonia(resourcesDir());
  const pick = (split: string, n: number): number[] => {
    const rows = demo.split.flatMap((s, i) => (s === split ? [i] : []));
    return permutation(rows.length, makeRng(2)).slice(0, n).map((j) => rows[j]);
  };
  const store = await createProject(path.join(home, 'project'), 'invariance test');
  await saveImageSet(store, select(demo, [...pick('train', 160), ...pick('test', 40)]), { kind: 'demo', description: 'demo slice' });
  await attachModel(store, path.join(modelsDir(), 'pneumonia-demo'), 'pneumonia-demo');
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const ctx = () => {
  const updates: { stage: string; fraction: number; metrics?: Record<string, number> }[] = [];
  return { updates, ctx: createJobContext(new AbortController().signal, (u) => updates.push(u)) };
};

describe('invariance jobs', () => {
  it('trains an SVAE on the project against its model and analyses it', async () => {
    const small = { architecture: { z1: 4, z2: 4, widths: [8, 16], hidden: 32, headHidden: 16 }, epochs: 1, batchSize: 32 };
    const params = InvarianceTrainParamsSchema.parse({ name: 'svae-test', options: small, evalImages: 40 });
    const t = ctx();
    expect(invarianceTrainJob.title(params)).toMatch(/SVAE 'svae-test'/);
    const r = await invarianceTrainJob.run(params, t.ctx);
    expect(r.epochsRun).toBe(1);
    expect(r.modelHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.final).toHaveProperty('agreement');
    expect(r.final).toHaveProperty('accuracy');
    expect(t.updates.some((u) => u.metrics && 'kl_sufficiency' in u.metrics)).toBe(true);
    // The decision term is on by default for an SVAE on the model's decisions.
    expect(t.updates.some((u) => u.metrics && 'log_p_model' in u.metrics)).toBe(true);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);

    const a = ctx();
    const ap = InvarianceAnalysisParamsSchema.parse({ name: 'svae-test', testImages: 20, sigmas: [0.5, 1, 3], galleryPerQuery: 2, igSteps: 4, methods: ['integrated-gradients'] });
    const res: InvarianceAnalysisResult = await invarianceAnalysisJob.run(ap, a.ctx);
    expect(Object.keys(res.curves.svaeHead)).toEqual(['0.5', '1.0', '3.0']);
    expect(res.curves.auditedClassifier).not.toBeNull();
    expect(res.gallery.length).toBeGreaterThan(0);
    expect(res.gallery[0].original).toMatch(/^data:image\/png;base64,/);
    expect(res.counterfactuals[0].dimensions).toHaveLength(4);
    expect(res.maps[0].k1).toMatch(/^data:image\/png;base64,/);
    expect(res.maps[0].k2).toMatch(/^data:image\/png;base64,/);
    expect(JSON.parse(JSON.stringify(res))).toEqual(res);
  });
});
