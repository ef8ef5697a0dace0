// xray-audit exaggerate: progressive-exaggeration explainers from the terminal. Train one for
// the project's classifier, print the series of some images (f per frame; PNG strips with
// --out), or compute its quality metrics (with --oracle ATTR, the confounding metric too).
// Shipped explainers (models/exaggeration-pneumonia, -shortcut) work on projects whose
// classifier they explain, e.g. --demo --explainer exaggeration-pneumonia.
//
// Wiring: register exaggerateCommand in cli/index.ts once the job kinds 'train-explainer',
// 'exaggeration-series' and 'exaggeration-metrics' are in the API contract.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobKind } from '../../api/contract';
import { ExaggerationMetricsParamsSchema, GenerateSeriesParamsSchema, TrainExplainerParamsSchema } from '../../api/schemas/exaggeration';
import { EngineError } from '../../engine/jobs/errors';
import type { SeriesResult } from '../../engine/jobs/exaggeration-series';
import type { ExaggerationMetricsResult } from '../../engine/jobs/exaggeration-metrics';
import type { CliCommand, CliContext } from '../command';
import { openProjectArg, projectOptions } from '../project-arg';
import { runJobInTerminal } from '../run-job';

const fmt = (v: number | null | undefined, d = 3): string => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(d));

function parsed<T>(r: { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }): T {
  if (!r.success) throw new EngineError('invalid_request', `Invalid options: ${r.error.issues.map((i) => `${i.path.map(String).join('.')} ${i.message}`).join('; ')}`);
  return r.data;
}

async function runJob(ctx: CliContext, kind: string, params: unknown, title: string): Promise<unknown> {
  // Kinds of issue 7, typed loosely until they are added to the contract's JobKind.
  const snap = await runJobInTerminal(ctx, kind as JobKind, params, title);
  if (snap.status !== 'succeeded') throw new EngineError(snap.error?.code ?? 'internal', snap.error?.message ?? snap.status);
  return snap.result;
}

const num = (v: string | boolean | undefined): number | undefined => (typeof v === 'string' ? Number(v) : undefined);

export const exaggerateCommand: CliCommand = {
  name: 'exaggerate',
  summary: 'Progressive-exaggeration counterfactual series: train an explainer, show series, quality and bias metrics',
  usage:
    'xray-audit exaggerate (--project DIR | --demo) [--explainer NAME] [--train [--steps N] [--seed N] [--marker-rate R] [--resume]] [--images I,J,...] [--out DIR] [--metrics [--queries N] [--oracle ATTR]] [--json]',
  options: {
    ...projectOptions,
    explainer: { type: 'string', default: 'exaggeration' },
    train: { type: 'boolean', default: false },
    steps: { type: 'string' },
    seed: { type: 'string' },
    'marker-rate': { type: 'string' },
    resume: { type: 'boolean', default: false },
    images: { type: 'string' },
    out: { type: 'string' },
    metrics: { type: 'boolean', default: false },
    queries: { type: 'string', default: '200' },
    oracle: { type: 'string' },
    split: { type: 'string', default: 'test' },
  },
  async run(values, _p, ctx) {
    const name = String(values.explainer);
    const images = typeof values.images === 'string' ? values.images.split(',').filter(Boolean).map(Number) : null;
    if (!values.train && !images && !values.metrics) throw new EngineError('invalid_request', 'nothing to do: give --train, --images I,J,... and/or --metrics');
    const trainParams = values.train
      ? parsed(
          TrainExplainerParamsSchema.safeParse({
            name,
            resume: values.resume,
            ...(values['marker-rate'] !== undefined ? { marker: { rate: num(values['marker-rate']), seed: num(values.seed) ?? 0 } } : {}),
            options: { ...(values.steps ? { steps: num(values.steps) } : {}), ...(values.seed ? { seed: num(values.seed) } : {}) },
          }),
        )
      : null;
    const seriesParams = images ? parsed(GenerateSeriesParamsSchema.safeParse({ explainer: name, indices: images, differences: false })) : null;
    const metricsParams = values.metrics
      ? parsed(ExaggerationMetricsParamsSchema.safeParse({ explainer: name, split: values.split, queries: num(values.queries), ...(typeof values.oracle === 'string' ? { oracleAttribute: values.oracle } : {}) }))
      : null;
    await openProjectArg(values, ctx);
    const out: Record<string, unknown> = {};
    if (trainParams) {
      const r = (await runJob(ctx, 'train-explainer', trainParams, 'Train explainer')) as { steps: number; trainSeconds: number; outDir: string; history: { kl: number; rec: number }[] };
      const last = r.history.at(-1);
      ctx.log(`trained explainer ${name}: ${r.steps} steps in ${fmt(r.trainSeconds, 0)} s (last KL ${fmt(last?.kl)}, reconstruction L1 ${fmt(last ? last.rec / 2 : null, 4)}); saved in ${r.outDir}`);
      out.train = r;
    }
    if (seriesParams) {
      const r = (await runJob(ctx, 'exaggeration-series', seriesParams, 'Series')) as SeriesResult;
      for (const item of r.items) {
        const s = item.series;
        ctx.log(`image ${item.index} (${item.label}, ${item.split}): f(x) = ${fmt(s.query.f)} (bin ${s.query.bin})`);
        ctx.log(`  target  ${s.frames.map((f) => fmt(f.target, 2).padStart(5)).join(' ')}`);
        ctx.log(`  f       ${s.frames.map((f) => fmt(f.f, 2).padStart(5)).join(' ')}`);
        ctx.log(`  in bin  ${s.frames.map((f) => (f.inTargetBin ? 'yes' : 'no').padStart(5)).join(' ')}`);
        if (typeof values.out === 'string') {
          const dir = path.resolve(values.out);
          fs.mkdirSync(dir, { recursive: true });
          const png = (u: string): Buffer => Buffer.from(u.slice(u.indexOf(',') + 1), 'base64');
          fs.writeFileSync(path.join(dir, `image-${item.index}-query.png`), png(s.query.png));
          s.frames.forEach((f) => fs.writeFileSync(path.join(dir, `image-${item.index}-bin${f.targetBin}.png`), png(f.png)));
        }
      }
      if (typeof values.out === 'string') ctx.log(`frames written to ${path.resolve(values.out)}`);
      out.series = r;
    }
    if (metricsParams) {
      const r = (await runJob(ctx, 'exaggeration-metrics', metricsParams, 'Quality')) as ExaggerationMetricsResult;
      const c = r.compatibility;
      const s = r.selfConsistency;
      ctx.log(`${r.queries} ${r.split} queries, K = ${r.bins}`);
      ctx.log(`  target/achieved f correlation  ${fmt(c.targetCorrelation)}`);
      ctx.log(`  frames in their target bin     ${fmt(c.inTargetBin)}`);
      ctx.log(`  monotone series                ${fmt(c.monotone)}`);
      ctx.log(`  reconstruction L1              ${fmt(s.reconstructionL1, 4)}`);
      ctx.log(`  cycle L1                       ${fmt(s.cycleL1, 4)}`);
      ctx.log(`  latent space closeness         ${fmt(s.lsc)}`);
      if (r.frechet) ctx.log(`  Frechet distance (${r.frechet.kind})  ${fmt(r.frechet.overall)}`);
      if (r.confounding) {
        const b = r.confounding;
        ctx.log(`  confounding by ${b.attribute}=${b.positive}: f->0 ${fmt(b.low.changed.value)}, f->1 ${fmt(b.high.changed.value)}, overall ${fmt(b.overall.value)} (${fmt(b.overall.lo)}–${fmt(b.overall.hi)})`);
      }
      out.metrics = r;
    }
    return out;
  },
};
