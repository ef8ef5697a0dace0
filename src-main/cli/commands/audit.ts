import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExportResult } from '../../engine/jobs/export-report';
import { EngineError } from '../../engine/jobs/errors';
import type { CliCommand, CliContext } from '../command';
import { openProjectArg, projectOptions } from '../project-arg';
import { runJobInTerminal } from '../run-job';

/** Runs the whole audit on the open project and writes the report files. */
async function auditOpenProject(ctx: CliContext, out: string | undefined, split: string): Promise<ExportResult & { wallSeconds: number }> {
  const t0 = Date.now();
  const ev = await runJobInTerminal(ctx, 'evaluate-model', { split, threshold: 0.5, bootstrap: 1000, minGroupSize: 30, seed: 1 }, 'Evaluate');
  if (ev.status !== 'succeeded') throw new EngineError(ev.error?.code ?? 'internal', ev.error?.message ?? ev.status);
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
  usage: 'xray-audit audit (--project DIR | --demo | --data PATH --model DIR --project DIR) [--split test] [--out DIR] [--json]',
  options: { ...projectOptions, data: { type: 'string' }, model: { type: 'string' }, out: { type: 'string' }, split: { type: 'string', default: 'test' } },
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
    return auditOpenProject(ctx, typeof values.out === 'string' ? path.resolve(values.out) : undefined, String(values.split));
  },
};

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'The whole audit on the bundled demo (PneumoniaMNIST and the demo classifier), with reports',
  usage: 'xray-audit demo [--out DIR] [--json]',
  options: { out: { type: 'string' } },
  async run(values, _p, ctx) {
    const demo = await ctx.engine().call('projects.openDemo', {});
    ctx.log(`demo project: ${demo.dir}`);
    return auditOpenProject(ctx, typeof values.out === 'string' ? path.resolve(values.out) : undefined, 'test');
  },
};
