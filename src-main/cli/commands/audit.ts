import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExportResult } from '../../engine/jobs/export-report';
import { EngineError } from '../../engine/jobs/errors';
import type { CliCommand, CliContext } from '../command';
import { openProjectArg, projectOptions } from '../project-arg';
import { runJobInTerminal } from '../run-job';

/** Runs the whole audit on the open project and writes the report files. */
/**
 * The analyses whose saved results the report shows: saliency mass on the declared confounder
 * (a `marker` attribute) and, with an exaggeration explainer of this classifier (the project's
 * or a shipped one), its quality and the confounding metric. A failed analysis is reported and
 * skipped; the report still comes out.
 */
async function runAnalyses(ctx: CliContext, split: string): Promise<void> {
  const engine = ctx.engine();
  const project = await engine.call('projects.current', {});
  const attributes = Object.keys(project?.dataset?.perAttribute ?? {});
  const confounder = attributes.includes('marker') ? 'marker' : null;
  const steps: [string, () => Promise<unknown>][] = [];
  if (confounder) steps.push(['Saliency on confounder', () => runJobInTerminal(ctx, 'confounder-saliency', { attribute: confounder, split: split as 'test', images: 60 }, 'Saliency on confounder')]);
  const explainer = (await engine.call('explainers.list', {})).find((e) => e.matches);
  if (explainer) {
    steps.push([
      'Exaggeration',
      () => runJobInTerminal(ctx, 'exaggeration-metrics', { explainer: explainer.name, split: split as 'test', queries: 60, bootstrap: 1000, stripQueries: 2, ...(confounder ? { oracleAttribute: confounder } : {}) }, `Exaggeration (${explainer.name})`),
    ]);
  } else ctx.log('No exaggeration explainer explains this classifier: the report has no exaggeration section (train one with `xray-audit exaggerate`).');
  for (const [name, step] of steps) {
    const snap = (await step()) as { status: string; error?: { message: string } | null };
    if (snap.status !== 'succeeded') ctx.log(`${name}: ${snap.status}${snap.error ? ` (${snap.error.message})` : ''}; the report goes on without it`);
  }
}

async function auditOpenProject(ctx: CliContext, out: string | undefined, split: string, analyses = true): Promise<ExportResult & { wallSeconds: number }> {
  const t0 = Date.now();
  const ev = await runJobInTerminal(ctx, 'evaluate-model', { split, threshold: 0.5, bootstrap: 1000, minGroupSize: 30, seed: 1 }, 'Evaluate');
  if (ev.status !== 'succeeded') throw new EngineError(ev.error?.code ?? 'internal', ev.error?.message ?? ev.status);
  if (analyses) await runAnalyses(ctx, split);
  const snap = await runJobInTerminal(ctx, 'export-report', { split, casesPerKind: 2, pdf: 'chromium' }, 'Report');
  if (snap.status !== 'succeeded') throw new EngineError(snap.error?.code ?? 'internal', snap.error?.message ?? snap.status);
  const r = snap.result as ExportResult;
  if (out) {
    await fs.promises.mkdir(out, { recursive: true });
    for (const f of [r.files.html, r.files.json, r.files.pdf]) if (f) await fs.promises.copyFile(f, path.join(out, path.basename(f)));
  }
  ctx.log('');
  for (const f of r.findings) ctx.log(`• ${f}`);
  ctx.log('');
  ctx.log(`report: ${out ?? r.dir}`);
  for (const f of [r.files.html, r.files.json, r.files.pdf]) if (f) ctx.log(`  ${path.join(out ?? r.dir, path.basename(f))}`);
  if (r.pdfError) ctx.log(`  (no PDF: ${r.pdfError})`);
  return { ...r, wallSeconds: (Date.now() - t0) / 1000 };
}

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'Run the audit of a project (evaluation, subgroup audit, analyses) and write HTML, PDF and JSON reports',
  usage: 'xray-audit audit (--project DIR | --demo | --data PATH --model DIR --project DIR) [--split test] [--out DIR] [--no-analyses] [--json]',
  options: { ...projectOptions, data: { type: 'string' }, model: { type: 'string' }, out: { type: 'string' }, split: { type: 'string', default: 'test' }, 'no-analyses': { type: 'boolean' } },
  async run(values, _p, ctx) {
    const engine = ctx.engine();
    if (typeof values.data === 'string') {
      if (typeof values.project !== 'string' || typeof values.model !== 'string') throw new EngineError('invalid_request', '--data needs --model and --project (the folder to create the project in)');
      const dir = path.resolve(values.project);
      if (fs.existsSync(path.join(dir, 'project.json'))) await engine.call('projects.open', { dir });
      else await engine.call('projects.create', { dir, name: path.basename(dir), keepIdentifiers: false });
      const src = path.resolve(values.data);
      const kind = src.endsWith('.npz') ? 'npz' : src.endsWith('.csv') ? 'manifest' : 'folder';
      const imp = await runJobInTerminal(ctx, 'import-dataset', { source: { kind, path: src } }, 'Import');
      if (imp.status !== 'succeeded') throw new EngineError(imp.error?.code ?? 'internal', imp.error?.message ?? imp.status);
    } else await openProjectArg(values, ctx);
    if (typeof values.model === 'string') await engine.call('model.attach', { dir: path.resolve(values.model) });
    return auditOpenProject(ctx, typeof values.out === 'string' ? path.resolve(values.out) : undefined, String(values.split), values['no-analyses'] !== true);
  },
};

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'The whole audit on the bundled demo (PneumoniaMNIST and the demo classifier), with reports',
  usage: 'xray-audit demo [--out DIR] [--no-analyses] [--json]',
  options: { out: { type: 'string' }, 'no-analyses': { type: 'boolean' } },
  async run(values, _p, ctx) {
    const demo = await ctx.engine().call('projects.openDemo', {});
    ctx.log(`demo project: ${demo.dir}`);
    return auditOpenProject(ctx, typeof values.out === 'string' ? path.resolve(values.out) : undefined, 'test', values['no-analyses'] !== true);
  },
};
