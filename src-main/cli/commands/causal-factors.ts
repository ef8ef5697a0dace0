// xray-audit causal-factors: trains (or resumes) a generative causal explainer (seed 000) of the
// project's model and prints I(alpha; Y), the per-factor influence, the capacity certificate and
// the classifier's output along each factor's sweep.
import { CausalFactorsParamsSchema, type CausalFactorsResult } from '../../api/schemas/causal-factors';
import { EngineError } from '../../engine/jobs/errors';
import type { CliCommand } from '../command';
import { openProjectArg, projectOptions } from '../project-arg';
import { runJobInTerminal } from '../run-job';

const num = (v: string | boolean | undefined): number | undefined => (typeof v === 'string' ? Number(v) : undefined);

export const causalFactorsCommand: CliCommand = {
  name: 'causal-factors',
  summary: "Learn the factors of variation the project's model responds to (generative causal explanation) and its capacity certificate",
  usage: 'xray-audit causal-factors (--project DIR | --demo) [--name explainer] [--k 1] [--l 5] [--steps 500] [--lambda 0.05] [--lr 5e-4] [--batch 64] [--filters 64] [--train-samples 32x8] [--variant joint|independent] [--fresh] [--json]',
  options: {
    ...projectOptions,
    name: { type: 'string', default: 'explainer' },
    k: { type: 'string' },
    l: { type: 'string' },
    steps: { type: 'string' },
    lambda: { type: 'string' },
    lr: { type: 'string' },
    batch: { type: 'string' },
    filters: { type: 'string' },
    'train-samples': { type: 'string' },
    variant: { type: 'string' },
    seed: { type: 'string' },
    fresh: { type: 'boolean', default: false },
  },
  async run(values, _p, ctx) {
    let trainNAlpha: number | undefined;
    let trainNBeta: number | undefined;
    if (typeof values['train-samples'] === 'string') {
      const m = /^(\d+)x(\d+)$/.exec(values['train-samples']);
      if (!m) throw new EngineError('invalid_request', '--train-samples is N_ALPHAxN_BETA, e.g. 32x8');
      trainNAlpha = Number(m[1]);
      trainNBeta = Number(m[2]);
    }
    const options = Object.fromEntries(
      Object.entries({ k: num(values.k), l: num(values.l), steps: num(values.steps), lambda: num(values.lambda), lr: num(values.lr), batchSize: num(values.batch), filters: num(values.filters), trainNAlpha, trainNBeta, variant: values.variant, seed: num(values.seed) }).filter(([, v]) => v !== undefined),
    );
    const parsed = CausalFactorsParamsSchema.safeParse({ name: values.name, options, resume: !values.fresh });
    if (!parsed.success) throw new EngineError('invalid_request', `Invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    await openProjectArg(values, ctx);
    const snap = await runJobInTerminal(ctx, 'causal-factors', parsed.data, 'Causal factors');
    if (snap.status !== 'succeeded') throw new EngineError(snap.error?.code ?? 'internal', snap.error?.message ?? snap.status);
    const r = snap.result as CausalFactorsResult;
    ctx.log(`explainer ${r.dir}: K = ${r.options.k}, L = ${r.options.l}, ${r.steps} steps (${r.trainSeconds.toFixed(0)} s on ${r.backend})`);
    ctx.log(`I(alpha;Y) = ${r.influence.joint.toFixed(3)} nats of log ${r.classNames.length} = ${r.influence.logM.toFixed(3)} (N_alpha = ${r.influence.nAlpha}, N_beta = ${r.influence.nBeta})`);
    for (const f of r.influence.perFactor) ctx.log(`  ${f.name.padEnd(8)} ${f.causal ? 'causal    ' : 'non-causal'} I = ${f.nats.toFixed(3)}`);
    ctx.log(r.certificate.text);
    for (const s of r.sweeps) {
      ctx.log(`sweeps of image ${s.imageId} (${s.label}), P(${r.classNames.at(-1)}) per frame -3..3 sigma:`);
      for (const f of s.factors) ctx.log(`  ${f.name.padEnd(8)} ${f.probs.map((p) => p[p.length - 1].toFixed(2)).join(' ')}`);
    }
    return r;
  },
};
