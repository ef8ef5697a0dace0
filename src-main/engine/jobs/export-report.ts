// Exports the audit report of the open project as HTML and JSON (and PDF where a headless
// Chromium exists; the desktop app prints the PDF with Electron instead) into
// <project>/reports/<timestamp>/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobDefinition } from './registry';
import { requireProject, projectImages } from '../session';
import { projectModel, positiveLabels } from '../models/project-model';
import { predictPositive } from '../models/batches';
import { evaluateProject, savedEvaluation } from './evaluate-model';
import { buildReport, type ReportModel } from '../report/model';
import { renderHtml } from '../report/html';
import { casesFor, pickCases } from '../report/cases';
import { reportProviders } from '../report/providers';
import '../report/sections';
import { htmlToPdfWithChromium } from '../report/pdf-chromium';
import { writeFileAtomic } from '../project/atomic';

export interface ExportResult {
  reportId: string;
  dir: string;
  files: { html: string; json: string; pdf: string | null };
  pdfError: string | null;
  findings: string[];
}

export const exportReportJob: JobDefinition<'export-report'> = {
  kind: 'export-report',
  title: () => 'Export audit report',
  async run(params, ctx): Promise<ExportResult> {
    const store = requireProject();
    const images = await projectImages();
    const model = await projectModel(store);
    ctx.progress({ stage: 'evaluation', fraction: 0.05 });
    const evaluation = (await savedEvaluation(params.split)) ?? (await evaluateProject({ split: params.split, threshold: 0.5, bootstrap: 1000, minGroupSize: 30, seed: 1 }, ctx));
    await ctx.checkpoint();

    ctx.progress({ stage: 'selecting cases', fraction: 0.5 });
    const indices = images.split.flatMap((s, i) => (s === params.split ? [i] : []));
    const probs = await predictPositive(model, images, indices);
    const all = positiveLabels(images.classNames, images.labels, model);
    const picks = pickCases(indices, probs, Array.from(indices, (i) => all[i]), evaluation.evaluation.threshold, params.casesPerKind, (i) => images.ids[i].replace(/\+marker$/, ''));
    const cases = await casesFor(images, picks);

    const rc = { store, images, model, ctx, options: { saliency: params.saliency } };
    const sections = [];
    const methods: ReportModel['methods'] = [];
    const providers = reportProviders();
    for (const [k, p] of providers.entries()) {
      ctx.progress({ stage: `analysis: ${p.id}`, fraction: 0.55 + (0.3 * k) / Math.max(1, providers.length) });
      const section = await p.section?.(rc);
      if (section) sections.push(section);
      if (p.casePanels) for (const [j, c] of picks.entries()) cases[j].panels.push(...(await p.casePanels(rc, c.index)));
      methods.push(...(p.methods?.(rc) ?? []));
      await ctx.checkpoint();
    }

    const report = buildReport({ store, images, evaluation, cases, sections, methods });
    const reportId = report.generatedAt.replace(/[:.]/g, '-');
    const dir = path.join(store.dir, 'reports', reportId);
    await fs.promises.mkdir(dir, { recursive: true });
    ctx.progress({ stage: 'writing', fraction: 0.9 });
    const html = path.join(dir, 'report.html');
    const json = path.join(dir, 'report.json');
    await writeFileAtomic(html, renderHtml(report));
    await writeFileAtomic(json, JSON.stringify(report, null, 2));
    let pdf: string | null = null;
    let pdfError: string | null = null;
    if (params.pdf === 'chromium') {
      ctx.progress({ stage: 'printing PDF', fraction: 0.95 });
      try {
        await htmlToPdfWithChromium(html, path.join(dir, 'report.pdf'));
        pdf = path.join(dir, 'report.pdf');
      } catch (e) {
        pdfError = (e as Error).message;
      }
    }
    return { reportId, dir, files: { html, json, pdf }, pdfError, findings: report.findings };
  },
};
