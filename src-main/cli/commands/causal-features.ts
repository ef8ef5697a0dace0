// xray-audit causal-features: visual causal feature learning (seed 001) on GRATING or on
// PneumoniaMNIST with a burned-in marker; prints MErr/MDist per iteration, effects and verdicts.
// Not registered yet: needs 'causal-features' in the API contract's job kinds (hence the cast).
import { CausalFeaturesParamsSchema } from '../../api/schemas/causal-features';
import type { CausalFeaturesResult } from '../../engine/explain/causal-features';
import { EngineError } from '../../engine/jobs/errors';
import type { CliCommand } from '../command';
import { runJobInTerminal } from '../run-job';

const num = (v: string | boolean | undefined): number | undefined => (typeof v === 'string' ? Number(v) : undefined);

export const causalFeaturesCommand: CliCommand = {
  name: 'causal-features',
  summary: 'Visual causal feature learning (seed 001): causal vs spurious features, manipulator, causal queries',
  usage: 'xray-audit causal-features [--experiment grating|pneumonia-marker] [--iterations 20] [--queries 100] [--seed 1] [--json]',
  options: {
    experiment: { type: 'string', default: 'grating' },
    iterations: { type: 'string' },
    queries: { type: 'string' },
    seed: { type: 'string' },
    observational: { type: 'string' },
  },
  async run(values, _p, ctx) {
    const parsed = CausalFeaturesParamsSchema.safeParse({
      experiment: values.experiment,
      iterations: num(values.iterations),
      queries: num(values.queries),
      seed: num(values.seed),
      observational: num(values.observational),
    });
    if (!parsed.success) throw new EngineError('invalid_request', `Invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const snap = await runJobInTerminal(ctx, 'causal-features', parsed.data, 'Causal features');
    if (snap.status !== 'succeeded') throw new EngineError(snap.error?.code ?? 'internal', snap.error?.message ?? snap.status);
    const r = snap.result as CausalFeaturesResult;
    ctx.log(`${r.experiment}: ${r.observationalClasses.length} observational classes -> ${r.causalValues.length} causal classes (P(T|do) ${r.causalValues.map((v) => v.toFixed(2)).join(', ')})`);
    for (const s of r.curves) ctx.log(`  iteration ${String(s.iteration).padStart(2)}  MErr ${s.merr.toFixed(3)}  MDist ${s.mdist.toFixed(4)}`);
    for (const [k, e] of Object.entries(r.effects)) ctx.log(`  effect ${k.padEnd(22)} ${e.mean.toFixed(3)}  (${e.lo.toFixed(3)} to ${e.hi.toFixed(3)}, n=${e.n})`);
    ctx.log(`verdict (classifier under audit): ${r.verdicts.observational.text}`);
    ctx.log(`verdict (causal predictor C): ${r.verdicts.causal.text}`);
    return r;
  },
};
