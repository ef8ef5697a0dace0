// The report's invariance section: on a small demo project with the demo classifier, no section
// before any analysis is saved; after a tiny SVAE is trained and analysed, report.json carries
// the section (verdict paragraphs, the curves as a chart and a table equal to the saved analysis,
// gallery / counterfactual / map strips) and report.html renders it, with no image ids.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobParamsSchemas } from '../../../src-main/api/contract';
import { InvarianceAnalysisParamsSchema, InvarianceTrainParamsSchema } from '../../../src-main/api/schemas/invariance';
import { curvePoints, invarianceVerdict } from '../../../src-main/api/schemas/invariance-saved';
import { select } from '../../../src-main/engine/data/image-set';
import { loadDemoPneumonia } from '../../../src-main/engine/data/importers/medmnist';
import { makeRng, permutation } from '../../../src-main/engine/data/synthetic/rng';
import { latestInvarianceAnalysis, listInvariances } from '../../../src-main/engine/explain/invariance/saved';
import { createJobContext } from '../../../src-main/engine/jobs/context';
import { exportReportJob, type ExportResult } from '../../../src-main/engine/jobs/export-report';
import { invarianceAnalysisJob } from '../../../src-main/engine/jobs/invariance-analysis';
import { invarianceTrainJob } from '../../../src-main/engine/jobs/invariance-train';
import { attachModel } from '../../../src-main/engine/models/project-model';
import { saveImageSet } from '../../../src-main/engine/project/dataset-io';
import type { ProjectStore } from '../../../src-main/engine/project/store';
import type { ReportModel, ReportSection } from '../../../src-main/engine/report/model';
import { modelsDir, resourcesDir } from '../../../src-main/engine/resources';
import { createProject } from '../../../src-main/engine/session';
import { setupBackend } from '../explain/invariance/helpers';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-report-inv-'));
const ctx = () => createJobContext(new AbortController().signal, () => undefined);
let store: ProjectStore;
let ids: string[];

beforeAll(async () => {
  process.env.XRAY_AUDIT_HOME = path.join(home, 'home');
  await setupBackend();
  const demo = loadDemoPneumonia(resourcesDir());
  const pick = (split: string, n: number): number[] => {
    const rows = demo.split.flatMap((s, i) => (s === split ? [i] : []));
    return permutation(rows.length, makeRng(3)).slice(0, n).map((j) => rows[j]);
  };
  store = await createProject(path.join(home, 'project'), 'invariance report test');
  const set = select(demo, [...pick('train', 160), ...pick('test', 40)]);
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

describe('report: invariance section', () => {
  it('is absent without a saved analysis, shows the newest one, and skips one of another model', async () => {
    const before = await exported();
    expect(before.json.sections.find((s) => s.id === 'invariances')).toBeUndefined();
    expect(before.html).not.toContain('<section id="invariances"');
    expect(await latestInvarianceAnalysis(store)).toBeNull();

    const tiny = { architecture: { z1: 4, z2: 4, widths: [8, 16], hidden: 32, headHidden: 16 }, epochs: 1, batchSize: 32 };
    await invarianceTrainJob.run(InvarianceTrainParamsSchema.parse({ name: 'svae-r', options: tiny, evalImages: 40 }), ctx());
    const saved = listInvariances(store);
    expect(saved.surrogates.map((s) => [s.name, s.kind, s.matchesModel, s.z1, s.z2])).toEqual([['svae-r', 'svae', true, 4, 4]]);
    expect(saved.surrogates[0].final.agreement).toBeGreaterThanOrEqual(0);
    expect(saved.analyses).toEqual([]);

    const analysis = await invarianceAnalysisJob.run(
      InvarianceAnalysisParamsSchema.parse({ name: 'svae-r', testImages: 20, sigmas: [0.5, 1, 2, 4], galleryPerQuery: 2, igSteps: 4, methods: ['gradient'] }),
      ctx(),
    );
    const latest = await latestInvarianceAnalysis(store);
    expect(latest?.analysedAt).toBe(analysis.analysedAt);
    expect(listInvariances(store).analyses.map((a) => [a.name, a.split, a.matchesModel])).toEqual([['svae-r', 'test', true]]);

    const { json, html } = await exported();
    const sec = json.sections.find((s) => s.id === 'invariances') as ReportSection;
    expect(sec).toBeDefined();
    // The verdict in words, with the measured numbers.
    const v = invarianceVerdict(analysis);
    expect(sec.paragraphs.some((p) => p.startsWith('Verdict:'))).toBe(true);
    expect(sec.paragraphs.join(' ')).toContain(`${(100 * v.head!).toFixed(0)}% of images`);
    expect((sec.data as { verdict: string }).verdict).toBe(v.level);
    // The chart and the table hold the saved curves.
    const chart = sec.charts![0];
    expect(chart.series.find((s) => s.name.startsWith('SVAE head'))!.points).toEqual(curvePoints(analysis.curves.svaeHead));
    expect(chart.series.find((s) => s.name.startsWith('control'))!.points).toEqual(curvePoints(analysis.curves.z1Control));
    expect(chart.series.find((s) => s.name.startsWith('audited model on'))!.points).toEqual(curvePoints(analysis.curves.auditedClassifier));
    expect(sec.tables![0].rows.map((r) => Number(r[0]))).toEqual([0.5, 1, 2, 4]);
    expect(sec.tables![0].rows[1][1]).toBeCloseTo(analysis.curves.svaeHead['1.0'], 12);
    // Strips: gallery (image, reconstruction, samples), counterfactuals, k = 1 / k = 2 maps.
    const titles = sec.strips!.map((s) => s.title);
    expect(titles.filter((t) => t.startsWith('Invariant samples'))).toHaveLength(Math.min(2, analysis.gallery.length));
    const gallery = sec.strips!.find((s) => s.title.startsWith('Invariant samples'))!;
    expect(gallery.frames.map((f) => f.image)).toEqual([analysis.gallery[0].original, analysis.gallery[0].reconstruction, ...analysis.gallery[0].samples]);
    expect(titles.some((t) => t.startsWith('Latent counterfactuals'))).toBe(true);
    const maps = sec.strips!.find((s) => s.title.startsWith('KL attribution'))!;
    expect(maps.frames.map((f) => f.caption)).toEqual(['sample x~', 'k = 1 (z1)', 'k = 2 (z2)']);
    expect(maps.frames[1].image).toBe(analysis.maps[0].k1);
    expect(json.methods.some((m) => m.name.startsWith('Invariance analysis') && (m.settings as { surrogate: string }).surrogate === 'svae-r')).toBe(true);

    // The HTML renders the section: heading, chart, images, the verdict.
    const part = html.slice(html.indexOf('<section id="invariances"'));
    expect(part).toContain('Invariances</h2>');
    expect(part.slice(0, part.indexOf('</section>'))).toContain('<svg');
    expect(part).toContain(analysis.gallery[0].samples[0].slice(0, 200));
    expect(part).toContain('Verdict:');
    // No image identifiers of the analysed images anywhere in the section.
    const text = JSON.stringify(sec);
    for (const g of analysis.gallery) expect(text).not.toContain(g.id);
    expect(ids.filter((id) => text.includes(id))).toEqual([]);

    // Another model attached: the saved analysis describes the old one, so it is not reported.
    await attachModel(store, path.join(modelsDir(), 'shortcut-demo'), 'shortcut-demo');
    expect(listInvariances(store).surrogates[0].matchesModel).toBe(false);
    expect(listInvariances(store).analyses[0].matchesModel).toBe(false);
    expect(await latestInvarianceAnalysis(store)).toBeNull();
    expect((await exported()).json.sections.find((s) => s.id === 'invariances')).toBeUndefined();
  });
});
