// `xray-audit invariances`: trains the SVAE surrogate on the project's model (and optionally an
// M2 to compare), then runs the invariance analysis: the invariance curves, gallery, latent
// counterfactuals and KL attribution maps (seed 003). Not registered yet: add
// `invariancesCommand` to src-main/cli/index.ts once the two job kinds are in the contract.
import type { JobKind } from '../../api/contract';
import { InvarianceAnalysisParamsSchema, InvarianceTrainParamsSchema, type InvarianceAnalysisResult, type SigmaCurve } from '../../api/schemas/invariance';
import { EngineError } from '../../engine/jobs/errors';
import type { CliCommand, CliContext } from '../command';
import { openProjectArg, projectOptions } from '../project-arg';
import { runJobInTerminal } from '../run-job';

// Job kinds by name: typed as the contract's JobKind once they are wired into it.
const TRAIN = 'invariance-train' as string as JobKind;
const ANALYSE = 'invariance-analysis' as string as JobKind;

const issues = (e: { issues: { path: PropertyKey[]; message: string }[] }): string => e.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');

async function runJob(ctx: CliContext, kind: JobKind, params: unknown, title: string): Promise<unknown> {
  const snap = await runJobInTerminal(ctx, kind, params, title);
  if (snap.status !== 'succeeded') throw new EngineError(snap.error?.code ?? 'internal', snap.error?.message ?? snap.status);
  return snap.result;
}

const pct = (v: number | undefined): string => (v === undefined ? '   —  ' : `${(100 * v).toFixed(1).padStart(5)}%`);

export const invariancesCommand: CliCommand = {
  name: 'invariances',
  summary: "What the project's model is insensitive to and what it relies on: SVAE surrogate, invariance test, counterfactuals, KL maps (seed 003)",
  usage:
    'xray-audit invariances (--project DIR | --demo) [--demo-model pneumonia|shortcut] [--name svae] [--reuse] [--resume] [--epochs N] [--labels model|true] [--m2] [--split test] [--images N] [--seed N] [--json]',
  options: {
    ...projectOptions,
    'demo-model': { type: 'string' },
    name: { type: 'string', default: 'svae' },
    reuse: { type: 'boolean', default: false },
    resume: { type: 'boolean', default: false },
    epochs: { type: 'string' },
    labels: { type: 'string', default: 'model' },
    m2: { type: 'boolean', default: false },
    split: { type: 'string', default: 'test' },
    images: { type: 'string', default: '500' },
    seed: { type: 'string', default: '0' },
  },
  async run(values, _p, ctx) {
    const name = values.name as string;
    const seed = Number(values.seed);
    const options = { labels: values.labels, seed, ...(values.epochs ? { epochs: Number(values.epochs) } : {}) };
    const train = InvarianceTrainParamsSchema.safeParse({ name, resume: values.resume, options: { ...options, model: 'svae' } });
    if (!train.success) throw new EngineError('invalid_request', `Invalid options: ${issues(train.error)}`);
    const m2Name = `${name}-m2`;
    const trainM2 = InvarianceTrainParamsSchema.safeParse({ name: m2Name, resume: values.resume, options: { ...options, model: 'm2' } });
    if (!trainM2.success) throw new EngineError('invalid_request', `Invalid options: ${issues(trainM2.error)}`);
    const analysis = InvarianceAnalysisParamsSchema.safeParse({ name, m2Name: values.m2 ? m2Name : undefined, split: values.split, testImages: Number(values.images), seed });
    if (!analysis.success) throw new EngineError('invalid_request', `Invalid options: ${issues(analysis.error)}`);

    await openProjectArg(values, ctx);
    const demoModel = values['demo-model'];
    if (demoModel === 'pneumonia' || demoModel === 'shortcut') await ctx.engine().call('model.attachDemo', { which: demoModel });
    else if (demoModel !== undefined) throw new EngineError('invalid_request', '--demo-model is pneumonia or shortcut');

    const trained: unknown[] = [];
    if (!values.reuse) {
      trained.push(await runJob(ctx, TRAIN, train.data, `Train SVAE '${name}'`));
      if (values.m2) trained.push(await runJob(ctx, TRAIN, trainM2.data, `Train M2 '${m2Name}'`));
    }
    for (const t of trained as { name: string; kind: string; epochsRun: number; trainSeconds: number; final: Record<string, number> }[]) {
      const f = t.final;
      ctx.log(`${t.kind.toUpperCase()} '${t.name}': ${t.epochsRun} epochs in ${t.trainSeconds.toFixed(0)} s; agreement with the model ${pct(f.agreement)}, accuracy ${pct(f.accuracy)}, reconstruction ${f.reconstruction?.toFixed(1)} nats`);
    }
    const r = (await runJob(ctx, ANALYSE, analysis.data, `Invariances of '${name}'`)) as InvarianceAnalysisResult;
    const c = r.curves;
    const row = (label: string, curve: SigmaCurve | null): void => {
      // Keys follow the sigmas' order.
      if (curve) ctx.log(`  ${label.padEnd(34)}${Object.values(curve).map(pct).join(' ')}`);
    };
    ctx.log(`invariance test on ${c.n} ${r.split} images: share of labels kept when z2 ~ N(0, sigma^2)`);
    ctx.log(`  ${'sigma'.padEnd(34)}${c.sigmas.map((s) => String(s).padStart(6)).join(' ')}`);
    row('SVAE head (re-encoded)', c.svaeHead);
    row('audited model on decoded images', c.auditedClassifier);
    row('M2', c.m2);
    row('control: z1 resampled', c.z1Control);
    ctx.log(`  chance ${pct(c.chance.uniform)}; the audited model keeps its decision on ${pct(c.reconstructionAgreement ?? undefined)} of plain reconstructions`);
    for (const g of r.gallery) ctx.log(`image ${g.id}: label ${g.label}, SVAE ${g.predicted}, model ${g.audited ?? '—'}; ${g.samples.length} invariant samples from ${g.draws} draws`);
    for (const s of r.counterfactuals) {
      const moves = s.perClass.map((p) => `${p.target} (z1[${p.dim}] ${p.delta > 0 ? '+' : ''}${p.delta}: SVAE ${p.label}, model ${p.audited ?? '—'})`);
      ctx.log(`counterfactuals for image ${s.index}: ${moves.join('; ') || 'no single-dimension move changes the label'}`);
    }
    for (const m of r.maps) ctx.log(`KL maps ${m.method} for image ${m.index}: d_k1 ${m.divergence.k1.toFixed(3)}, d_k2 ${m.divergence.k2.toFixed(3)}`);
    return { trained, analysis: r };
  },
};
