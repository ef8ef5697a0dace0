import * as fs from 'node:fs';
import * as path from 'node:path';
import { JobParamsSchemas } from '../../api/contract';
import { EngineError } from '../../engine/jobs/errors';
import type { CliCommand } from '../command';
import { runJobInTerminal } from '../run-job';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import images (folder tree, manifest CSV or .npz) into a project, creating it if needed',
  usage: 'xray-audit import --project DIR --source PATH [--kind folder|manifest|npz] [--size PX] [--name NAME] [--json]',
  options: {
    project: { type: 'string' },
    source: { type: 'string' },
    kind: { type: 'string' },
    size: { type: 'string' },
    name: { type: 'string' },
  },
  async run(values, _p, ctx) {
    const dir = values.project as string | undefined;
    const source = values.source as string | undefined;
    if (!dir || !source) throw new EngineError('invalid_request', `import needs --project and --source\n${importCommand.usage}`);
    const kind = (values.kind as string | undefined) ?? (source.endsWith('.npz') ? 'npz' : source.endsWith('.csv') ? 'manifest' : 'folder');
    const parsed = JobParamsSchemas['import-dataset'].safeParse({
      source: { kind, path: path.resolve(source) },
      ...(values.size ? { size: Number(values.size) } : {}),
      ...(values.name ? { name: values.name } : {}),
    });
    if (!parsed.success) throw new EngineError('invalid_request', `Invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const engine = ctx.engine();
    const abs = path.resolve(dir);
    if (fs.existsSync(path.join(abs, 'project.json'))) await engine.call('projects.open', { dir: abs });
    else await engine.call('projects.create', { dir: abs, name: (values.name as string | undefined) ?? path.basename(abs), keepIdentifiers: false });
    const snap = await runJobInTerminal(ctx, 'import-dataset', parsed.data, 'Import');
    if (snap.status !== 'succeeded') throw new EngineError(snap.error?.code ?? 'internal', snap.error?.message ?? snap.status);
    const result = snap.result as { imported: number; skipped: { file: string; reason: string }[] };
    ctx.log(`imported ${result.imported} image(s) into ${abs}`);
    for (const s of result.skipped) ctx.log(`  skipped ${s.file}: ${s.reason}`);
    return { project: abs, ...result };
  },
};
