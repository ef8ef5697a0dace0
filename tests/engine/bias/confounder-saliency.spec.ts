// Saliency mass on a declared confounder: the burned-in marker on demo X-rays. The shortcut demo
// classifier (trained where the marker goes with pneumonia) puts far more of its evidence on the
// marker's corner than the clean demo classifier does; the result is saved for the Bias screen.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobParamsSchemas } from '../../../src-main/api/contract';
import { ConfounderSaliencyParamsSchema, type ConfounderSaliencyResult } from '../../../src-main/api/schemas/confounder';
import { exportReportJob, type ExportResult } from '../../../src-main/engine/jobs/export-report';
import { select } from '../../../src-main/engine/data/image-set';
import { markerBox, paintMarker } from '../../../src-main/engine/data/synthetic/marker';
import { createJobContext } from '../../../src-main/engine/jobs/context';
import { confounderSaliencyJob, massShare, meanInterval, savedConfounderSaliency } from '../../../src-main/engine/jobs/confounder-saliency';
import { attachModel } from '../../../src-main/engine/models/project-model';
import { saveImageSet } from '../../../src-main/engine/project/dataset-io';
import { modelsDir } from '../../../src-main/engine/resources';
import { createProject, requireProject } from '../../../src-main/engine/session';
import { demoRows, demoSet, setupBackend } from '../explain/saliency/helpers';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-confounder-'));
const ctx = () => createJobContext(new AbortController().signal, () => {});

beforeAll(async () => {
  await setupBackend();
  process.env.XRAY_AUDIT_HOME = home;
  const rows = [...demoRows('train', 20, 3), ...demoRows('test', 24, 4)];
  const set = select(demoSet(), rows);
  const box = markerBox(set.size);
  // Half of the test images carry the marker.
  set.attributes = { marker: rows.map((_, j) => (j >= 20 && j % 2 === 0 ? 'present' : 'absent')) };
  set.attributes.marker.forEach((v, j) => v === 'present' && paintMarker(set.images.subarray(j * 784, (j + 1) * 784), 28, box));
  const store = await createProject(path.join(home, 'p'), 'confounder test');
  await saveImageSet(store, set, { kind: 'demo', description: 'test subset' });
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describe('saliency mass on a confounder', () => {
  it('share and bootstrap helpers', () => {
    expect(massShare([1, -5, 3, 0], [1, 1, 0, 0])).toBeCloseTo(0.25);
    expect(massShare([0, -1], [1, 0])).toBe(0);
    const iv = meanInterval([0.2, 0.4, 0.6, 0.8], 500, 1);
    expect(iv.value).toBeCloseTo(0.5);
    expect(iv.lo!).toBeLessThan(0.5);
    expect(iv.hi!).toBeGreaterThan(0.5);
  });

  it('finds the shortcut classifier leaning on the marker, the clean one much less, and saves the result', async () => {
    const params = ConfounderSaliencyParamsSchema.parse({ methods: ['gradient', 'integrated-gradients'], bootstrap: 300 });
    const store = requireProject();
    const ratios: Record<string, Record<string, number>> = {};
    for (const which of ['shortcut', 'pneumonia']) {
      await attachModel(store, path.join(modelsDir(), `${which}-demo`), `${which}-demo`);
      const r = (await confounderSaliencyJob.run(params, ctx())) as ConfounderSaliencyResult;
      expect(r.images).toBe(12);
      expect(r.present).toBe('present');
      expect(r.regionArea).toBeCloseTo(9 / 784, 5);
      expect(r.examples).toHaveLength(3);
      expect(r.examples[0].maps).toHaveLength(2);
      ratios[which] = Object.fromEntries(r.methods.map((m) => [m.method, m.ratio!]));
      for (const m of r.methods) expect(m.share.lo!).toBeLessThanOrEqual(m.share.value!);
      // Saved for the current model only.
      expect((await savedConfounderSaliency(store))?.computedAt).toBe(r.computedAt);
    }
    for (const m of ['gradient', 'integrated-gradients']) {
      expect(ratios.shortcut[m]).toBeGreaterThan(3);
      expect(ratios.shortcut[m]).toBeGreaterThan(2 * ratios.pneumonia[m]);
    }
  });

  it('goes into the exported report for the model it was measured on', async () => {
    const store = requireProject();
    await attachModel(store, path.join(modelsDir(), 'shortcut-demo'), 'shortcut-demo');
    await confounderSaliencyJob.run(ConfounderSaliencyParamsSchema.parse({ methods: ['integrated-gradients'], bootstrap: 200 }), ctx());
    const out = (await exportReportJob.run(JobParamsSchemas['export-report'].parse({ pdf: 'none', casesPerKind: 1, saliency: [] }), ctx())) as ExportResult;
    const json = JSON.parse(fs.readFileSync(out.files.json, 'utf8'));
    const section = json.sections.find((s: { id: string }) => s.id === 'confounder-saliency');
    expect(section.paragraphs.join(' ')).toMatch(/Finding: by Integrated Gradients, the classifier's evidence concentrates on the confounder/);
    expect(section.tables[0].rows[0][0]).toBe('Integrated Gradients');
    expect(section.strips).toHaveLength(3);
    const html = fs.readFileSync(out.files.html, 'utf8');
    expect(html).toContain('<section id="confounder-saliency">');
    expect(html).toContain("Saliency mass on the confounder &#39;marker&#39;");
    // Another model: the saved measurement no longer applies.
    await attachModel(store, path.join(modelsDir(), 'pneumonia-demo'), 'pneumonia-demo');
    const again = (await exportReportJob.run(JobParamsSchemas['export-report'].parse({ pdf: 'none', casesPerKind: 1, saliency: [] }), ctx())) as ExportResult;
    expect(JSON.parse(fs.readFileSync(again.files.json, 'utf8')).sections.map((s: { id: string }) => s.id)).not.toContain('confounder-saliency');
  });

  it('names the attribute when it is missing or has no region', async () => {
    await expect(confounderSaliencyJob.run(ConfounderSaliencyParamsSchema.parse({ attribute: 'sex' }), ctx())).rejects.toThrow(/no attribute 'sex'.*marker/);
  });
});
