// xray-audit saliency: saliency maps of project images with the chosen methods (progress bar,
// Ctrl-C cancels), their diagnostics and metrics; --out writes each map's heatmap and overlay
// PNG and the result JSON.
//
// Wiring (for cli/index.ts): register saliencyCommand; needs the 'saliency' job kind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import type { JobKind } from '../../api/contract';
import { SALIENCY_METHOD_IDS, SALIENCY_METRIC_IDS, SaliencyParamsSchema, type SaliencyResult } from '../../api/schemas/saliency';
import { overlayPng } from '../../engine/explain/saliency/render';
import { EngineError } from '../../engine/jobs/errors';
import type { CliCommand } from '../command';
import { openProjectArg, projectOptions } from '../project-arg';
import { runJobInTerminal } from '../run-job';

const list = (v: string | boolean | undefined): string[] | undefined => (typeof v === 'string' && v.trim() ? v.split(',').map((s) => s.trim()) : undefined);
const fmt = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(3));

/** Command-line values -> the job's parameters (validated). */
export function saliencyParams(values: Record<string, string | boolean | undefined>): unknown {
  const indices = list(values.indices)?.map(Number);
  const metrics = values.metrics === undefined || values.metrics === 'none' ? false : values.metrics === 'all' || values.metrics === true ? true : list(values.metrics);
  const target = values.target === undefined ? undefined : /^\d+$/.test(String(values.target)) ? Number(values.target) : values.target;
  const region = typeof values.region === 'string' && /^[\d.]+,[\d.]+,[\d.]+,[\d.]+$/.test(values.region) ? Object.fromEntries(values.region.split(',').map((v, i) => [['x1', 'y1', 'x2', 'y2'][i], Number(v)])) : values.region;
  const settings = typeof values.settings === 'string' ? JSON.parse(values.settings) : undefined;
  const raw = {
    ...(indices ? { indices } : { index: Number(values.index ?? 0) }),
    methods: list(values.methods),
    target,
    metrics,
    region,
    settings,
  };
  const parsed = SaliencyParamsSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!parsed.success) throw new EngineError('invalid_request', `Invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return parsed.data;
}

async function writeOutputs(dir: string, r: SaliencyResult): Promise<number> {
  await fs.promises.mkdir(dir, { recursive: true });
  const fromDataUrl = (u: string): Buffer => Buffer.from(u.slice(u.indexOf(',') + 1), 'base64');
  let files = 0;
  for (const img of r.images) {
    await fs.promises.writeFile(path.join(dir, `${img.index}-image.png`), fromDataUrl(img.imagePng));
    files++;
    const grey = await sharp(fromDataUrl(img.imagePng)).extractChannel(0).raw().toBuffer();
    for (const m of img.maps) {
      await fs.promises.writeFile(path.join(dir, `${img.index}-${m.method}-heatmap.png`), fromDataUrl(m.heatmapPng));
      files++;
      if (m.rawSide === r.imageSize) {
        const side = Math.max(r.imageSize, 224);
        await fs.promises.writeFile(path.join(dir, `${img.index}-${m.method}-overlay.png`), await overlayPng(grey, m.raw, r.imageSize, { side, colormap: m.signed ? 'bwr' : 'inferno' }));
        files++;
      }
    }
  }
  await fs.promises.writeFile(path.join(dir, 'saliency.json'), `${JSON.stringify(r, null, 2)}\n`);
  return files + 1;
}

export const saliencyCommand: CliCommand = {
  name: 'saliency',
  summary: "Saliency maps of project images (gradient, IG, Grad-CAM, occlusion, IBA, InputIBA, ...) with their metrics",
  usage:
    'xray-audit saliency (--project DIR | --demo) [--demo-model pneumonia|shortcut] (--index N | --indices A,B,...) ' +
    `[--methods ${SALIENCY_METHOD_IDS.join(',')}] [--target predicted|positive|K] [--metrics all|none|${SALIENCY_METRIC_IDS.join(',')}] ` +
    "[--region auto|marker|none|x1,y1,x2,y2] [--settings '{\"iba\":{\"beta\":10}}'] [--out DIR] [--json]",
  options: {
    ...projectOptions,
    'demo-model': { type: 'string' },
    index: { type: 'string' },
    indices: { type: 'string' },
    methods: { type: 'string' },
    target: { type: 'string' },
    metrics: { type: 'string' },
    region: { type: 'string' },
    settings: { type: 'string' },
    out: { type: 'string' },
  },
  async run(values, _p, ctx) {
    const params = saliencyParams(values);
    await openProjectArg(values, ctx);
    const demoModel = values['demo-model'];
    if (demoModel === 'pneumonia' || demoModel === 'shortcut') await ctx.engine().call('model.attachDemo', { which: demoModel });
    else if (demoModel !== undefined) throw new EngineError('invalid_request', '--demo-model is pneumonia or shortcut');
    // 'saliency' joins JobKind when the job is registered in the API contract.
    const snap = await runJobInTerminal(ctx, 'saliency' as string as JobKind, params, 'Saliency');
    if (snap.status !== 'succeeded') throw new EngineError(snap.error?.code ?? 'internal', snap.error?.message ?? snap.status);
    const r = snap.result as SaliencyResult;
    for (const img of r.images) {
      ctx.log(`image ${img.index} (${img.id}, ${img.label}): explaining ${img.targetName}, P = ${img.probability.toFixed(3)}${img.region ? `, region ${img.region.x1},${img.region.y1}-${img.region.x2},${img.region.y2}` : ''}`);
      for (const m of img.maps) {
        const metrics = Object.entries(m.metrics).map(([k, v]) => `${k} ${fmt(v)}`);
        const diag = Object.entries(m.diagnostics).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(3)}`);
        ctx.log(`  ${m.method.padEnd(22)} ${m.latencyMs.toFixed(1).padStart(8)} ms/img  ${[...metrics, ...diag].join('  ')}`);
      }
    }
    if (typeof values.out === 'string') {
      const n = await writeOutputs(path.resolve(values.out), r);
      ctx.log(`wrote ${n} files to ${path.resolve(values.out)}`);
    }
    return r;
  },
};
