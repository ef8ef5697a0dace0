// The report's exaggeration section: on the demo project with the shipped demo explainer, a
// saved series and saved quality metrics appear in report.json and report.html (metrics table,
// target-vs-achieved chart, series strips with f captions), and selected cases get 3-frame strips.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobParamsSchemas } from '../../../src-main/api/contract';
import { ExaggerationMetricsParamsSchema, GenerateSeriesParamsSchema } from '../../../src-main/api/schemas/exaggeration';
import { openDemoProject } from '../../../src-main/engine/calls';
import { createJobContext } from '../../../src-main/engine/jobs/context';
import { exaggerationMetricsJob } from '../../../src-main/engine/jobs/exaggeration-metrics';
import { exaggerationSeriesJob, SERIES_ARTEFACT } from '../../../src-main/engine/jobs/exaggeration-series';
import { exportReportJob, type ExportResult } from '../../../src-main/engine/jobs/export-report';
import type { ReportModel } from '../../../src-main/engine/report/model';
import { setupBackend } from '../explain/exaggeration/helpers';

const ctx = () => createJobContext(new AbortController().signal, () => undefined);
const EXPLAINER = 'exaggeration-pneumonia';

beforeAll(async () => {
  await setupBackend();
  process.env.XRAY_AUDIT_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'xa-report-exag-'));
});

describe('report: exaggeration section', () => {
  it('is absent without saved results and shows a saved series and metrics', async () => {
    const store = await openDemoProject();
    const params = JobParamsSchemas['export-report'].parse({ pdf: 'none', casesPerKind: 1 });

    // Nothing saved yet: no section.
    const before = (await exportReportJob.run(params, ctx())) as ExportResult;
    // Timed again with the evaluation saved, as the export with the section below.
    let t0 = Date.now();
    await exportReportJob.run(params, ctx());
    const plainSeconds = (Date.now() - t0) / 1000;
    const j0 = JSON.parse(fs.readFileSync(before.files.json, 'utf8')) as ReportModel;
    expect(j0.sections.find((s) => s.id === 'exaggeration')).toBeUndefined();

    const testRows = store.manifest.dataset!.count - 1;
    const series = await exaggerationSeriesJob.run(GenerateSeriesParamsSchema.parse({ explainer: EXPLAINER, indices: [testRows - 1, testRows] }), ctx());
    expect(store.manifest.artefacts[SERIES_ARTEFACT].blob).toBeDefined();
    const metrics = await exaggerationMetricsJob.run(ExaggerationMetricsParamsSchema.parse({ explainer: EXPLAINER, queries: 16, frechetFeatures: 'random-projection', bootstrap: 50 }), ctx());

    t0 = Date.now();
    const after = (await exportReportJob.run(params, ctx())) as ExportResult;
    const exportSeconds = (Date.now() - t0) / 1000;
    const json = JSON.parse(fs.readFileSync(after.files.json, 'utf8')) as ReportModel;
    const html = fs.readFileSync(after.files.html, 'utf8');

    const sec = json.sections.find((s) => s.id === 'exaggeration');
    expect(sec).toBeDefined();
    const data = sec!.data as { metrics: { explainer: string; compatibility: { targetCorrelation: number } }[]; series: { items: { f: number[] }[] } };
    expect(data.metrics).toHaveLength(1);
    expect(data.metrics[0].explainer).toBe(EXPLAINER);
    expect(data.metrics[0].compatibility.targetCorrelation).toBeCloseTo(metrics.compatibility.targetCorrelation, 10);
    expect(data.series.items.map((it) => it.f)).toEqual(series.items.map((it) => it.series.frames.map((f) => f.f)));
    // One strip per saved image: the query and one frame per bin, captioned with f.
    const bins = series.items[0].series.bins;
    expect(sec!.strips).toHaveLength(2);
    expect(sec!.strips![0].frames).toHaveLength(bins + 1);
    expect(sec!.strips![0].frames[1].caption).toBe(`f=${series.items[0].series.frames[0].f.toFixed(3)} (t ${(0.5 / bins).toFixed(2)})`);
    expect(sec!.tables![0].rows[0][5]).toBeCloseTo(metrics.compatibility.targetCorrelation, 10);
    expect(sec!.tables![0].rows[0][1]).toBe('seed 004');
    expect(json.methods.some((m) => m.name.startsWith('Progressive exaggeration'))).toBe(true);
    // Cases carry the 3-frame strip (f -> 0, reconstruction, f -> 1).
    expect(json.cases.length).toBeGreaterThan(0);
    for (const c of json.cases) expect(c.panels.filter((p) => p.title.includes('f →') || p.title === 'reconstruction')).toHaveLength(3);
    // No image identifiers in the section.
    for (const it of series.items) expect(JSON.stringify(sec)).not.toContain(it.id);

    // The HTML renders it: section, the metrics table with the correlation, strip captions, chart.
    expect(html).toContain('<section id="exaggeration"');
    const part = html.slice(html.indexOf('<section id="exaggeration"'));
    expect(part.slice(0, part.indexOf('</section>'))).toContain(metrics.compatibility.targetCorrelation.toFixed(3));
    expect(html).toContain(`f=${series.items[1].series.frames[bins - 1].f.toFixed(3)}`);
    expect(html).toContain('Target vs achieved f');
    expect(html).not.toMatch(/<script/i);
    console.log(`report export: ${plainSeconds.toFixed(1)} s without, ${exportSeconds.toFixed(1)} s with the exaggeration section and case panels; series f: ${JSON.stringify(series.items.map((it) => it.series.frames.map((f) => +f.f.toFixed(3))))}`);
  }, 600_000);
});
