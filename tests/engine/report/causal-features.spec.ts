// The report's causal-features section: absent before anything is saved; after a batch of
// causal queries is made and partly answered by the auditor, C is retrained with those answers,
// and a small GRATING experiment is run, report.json carries the section (answer summary equal
// to the saved answers, verdicts, effects, MErr/MDist chart equal to the saved curves, strips)
// and report.html renders it, without image ids.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobParamsSchemas } from '../../../src-main/api/contract';
import { CausalFeaturesParamsSchema } from '../../../src-main/api/schemas/causal-features';
import { CausalQueriesParamsSchema, CausalQueriesVerdictParamsSchema } from '../../../src-main/api/schemas/causal-queries';
import { select } from '../../../src-main/engine/data/image-set';
import { loadDemoPneumonia } from '../../../src-main/engine/data/importers/medmnist';
import { makeRng, permutation } from '../../../src-main/engine/data/synthetic/rng';
import { answerQuery, readStoredBatch } from '../../../src-main/engine/explain/causal-features/query-store';
import { causalSetup, fromBase64, manipulationBatch } from '../../../src-main/engine/explain/causal-features/queries';
import { createJobContext } from '../../../src-main/engine/jobs/context';
import { causalFeaturesJob } from '../../../src-main/engine/jobs/causal-features';
import { causalQueriesJob } from '../../../src-main/engine/jobs/causal-queries';
import { causalQueriesVerdictJob } from '../../../src-main/engine/jobs/causal-queries-verdict';
import { exportReportJob, type ExportResult } from '../../../src-main/engine/jobs/export-report';
import { attachModel } from '../../../src-main/engine/models/project-model';
import { saveImageSet } from '../../../src-main/engine/project/dataset-io';
import type { ProjectStore } from '../../../src-main/engine/project/store';
import type { ReportModel } from '../../../src-main/engine/report/model';
import { modelsDir, resourcesDir } from '../../../src-main/engine/resources';
import { createProject } from '../../../src-main/engine/session';
import { subSeed } from '../../../src-main/engine/data/synthetic/rng';
import { setupBackend } from '../explain/invariance/helpers';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-report-cf-'));
const ctx = () => createJobContext(new AbortController().signal, () => undefined);
let store: ProjectStore;
let ids: string[];

beforeAll(async () => {
  process.env.XRAY_AUDIT_HOME = path.join(home, 'home');
  await setupBackend();
  const demo = loadDemoPneumonia(resourcesDir());
  const pick = (split: string, n: number): number[] => {
    const rows = demo.split.flatMap((s, i) => (s === split ? [i] : []));
    return permutation(rows.length, makeRng(5)).slice(0, n).map((j) => rows[j]);
  };
  store = await createProject(path.join(home, 'project'), 'causal features report test');
  const set = select(demo, [...pick('train', 60), ...pick('test', 40)]);
  ids = set.ids;
  await saveImageSet(store, set, { kind: 'demo', description: 'demo slice' });
  await attachModel(store, path.join(modelsDir(), 'pneumonia-demo'), 'pneumonia-demo');
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const exportParams = JobParamsSchemas['export-report'].parse({ pdf: 'none', casesPerKind: 0, saliency: [] });
const exported = async (): Promise<{ json: ReportModel; html: string }> => {
  const r = (await exportReportJob.run(exportParams, ctx())) as ExportResult;
  return { json: JSON.parse(fs.readFileSync(r.files.json, 'utf8')) as ReportModel, html: fs.readFileSync(r.files.html, 'utf8') };
};

describe('report: causal-features section', () => {
  it('is absent before anything is saved, then reports the answers, the verdicts and the curves', async () => {
    const before = await exported();
    expect(before.json.sections.find((s) => s.id === 'causal-features')).toBeUndefined();

    const qp = CausalQueriesParamsSchema.parse({ count: 10, observational: 400, epochs: 10, seed: 2 });
    const summary = await causalQueriesJob.run(qp, ctx());
    // The auditor answers four queries truthfully (what they see: an h-bar or not) and changes nothing else.
    const { batch } = await readStoredBatch(store, summary.batchId);
    for (const q of batch.queries.slice(0, 4)) await answerQuery(store, summary.batchId, q.index, q.truth);

    // The verdict job rebuilds the batch's C exactly: same manipulations from the same seed.
    const setup = await causalSetup(qp);
    try {
      const again = manipulationBatch(setup, qp.count, qp.alpha, subSeed(qp.seed, 9));
      expect(Array.from(again.manipulated.data, (v) => Math.round(255 * v))).toEqual(Array.from(fromBase64(batch.pixels.manipulated, batch.size).data, (v) => Math.round(255 * v)));
    } finally {
      setup.dispose();
    }
    const verdict = await causalQueriesVerdictJob.run(CausalQueriesVerdictParamsSchema.parse({ batchId: summary.batchId, retrainEpochs: 3, testImages: 100, bootstrap: 100 }), ctx());
    expect(verdict).toMatchObject({ answered: 4, count: 10 });
    expect(verdict.agreement.mean).toBe(1);
    expect(Object.keys(verdict.after.effects).sort()).toEqual(['hbar_causal', 'vbar_causal']);

    const fp = CausalFeaturesParamsSchema.parse({ observational: 400, iterations: 2, queries: 20, epochs: 10, retrainEpochs: 2, testImages: 100, bootstrap: 100, examples: 2 });
    const run = await causalFeaturesJob.run(fp, ctx());

    const { json, html } = await exported();
    const s = json.sections.find((x) => x.id === 'causal-features')!;
    expect(s).toBeDefined();
    const data = s.data as { batches: { answered: number; present: number; count: number }[]; experiments: { curves: { merr: number }[] }[] };
    const truthPresent = batch.queries.slice(0, 4).filter((q) => q.truth === 'present').length;
    expect(data.batches).toEqual([expect.objectContaining({ batchId: summary.batchId, count: 10, answered: 4, present: truthPresent, agreeWithScripted: 4 })]);
    expect(s.paragraphs.join(' ')).toContain('The auditor answered 4 causal queries in 1 batch');
    expect(s.paragraphs.join(' ')).toContain(verdict.observational.verdict.text);
    expect(s.paragraphs.join(' ')).toContain(run.verdicts.observational.text);
    const chart = s.charts!.find((c) => c.title.startsWith('MErr and MDist'))!;
    expect(chart.series.find((x) => x.name === 'MErr')!.points).toEqual(run.curves.map((c) => [c.iteration, c.merr]));
    expect(s.tables!.map((t) => t.header[0])).toEqual(['batch', 'change', 'change']);
    expect(s.strips!.map((x) => x.frames.length)).toEqual([8, 4]);
    expect(json.methods.map((m) => m.name)).toContain('Visual causal feature learning');
    expect(html).toContain('<section id="causal-features"');
    expect(html).toContain('The auditor answered 4 causal queries');
    // No image ids of the project in the section.
    const text = JSON.stringify(s);
    for (const id of ids) expect(text).not.toContain(id);
  });
});
