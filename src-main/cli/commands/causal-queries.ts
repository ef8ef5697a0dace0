// xray-audit causal-queries: the auditor's causal queries (seed 001) from the terminal. Make a
// batch of manipulated images in a project (answered in the app's Explain > Causal features),
// list the batches with their progress, or retrain C with a batch's answers and print the verdict.
import { CausalQueriesParamsSchema, CausalQueriesVerdictParamsSchema, type CausalQueryBatchSummary } from '../../api/schemas/causal-queries';
import type { CausalQueriesVerdictResult } from '../../engine/jobs/causal-queries-verdict';
import { EngineError } from '../../engine/jobs/errors';
import type { CliCommand } from '../command';
import { openProjectArg, projectOptions } from '../project-arg';
import { runJobInTerminal } from '../run-job';

const num = (v: string | boolean | undefined): number | undefined => (typeof v === 'string' ? Number(v) : undefined);
const invalid = (issues: { path: PropertyKey[]; message: string }[]): EngineError =>
  new EngineError('invalid_request', `Invalid options: ${issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);

export const causalQueriesCommand: CliCommand = {
  name: 'causal-queries',
  summary: 'Causal queries answered by the auditor (seed 001): make a batch, list batches, or retrain C with the answers',
  usage: 'xray-audit causal-queries (--project DIR | --demo) (--create N [--experiment grating|pneumonia-marker] [--seed 1] | --list | --verdict BATCH) [--json]',
  options: { ...projectOptions, create: { type: 'string' }, list: { type: 'boolean' }, verdict: { type: 'string' }, experiment: { type: 'string', default: 'grating' }, seed: { type: 'string' } },
  async run(values, _p, ctx) {
    await openProjectArg(values, ctx);
    const engine = ctx.engine();
    if (typeof values.create === 'string') {
      const parsed = CausalQueriesParamsSchema.safeParse({ experiment: values.experiment, count: num(values.create), seed: num(values.seed) });
      if (!parsed.success) throw invalid(parsed.error.issues);
      const snap = await runJobInTerminal(ctx, 'causal-queries', parsed.data, 'Causal queries');
      if (snap.status !== 'succeeded') throw new EngineError(snap.error?.code ?? 'internal', snap.error?.message ?? snap.status);
      const b = snap.result as CausalQueryBatchSummary;
      ctx.log(`batch ${b.batchId}: ${b.count} queries (${b.experiment}); answer them in the app: Explain > Causal features`);
      return b;
    }
    if (typeof values.verdict === 'string') {
      const parsed = CausalQueriesVerdictParamsSchema.safeParse({ batchId: values.verdict });
      if (!parsed.success) throw invalid(parsed.error.issues);
      const snap = await runJobInTerminal(ctx, 'causal-queries-verdict', parsed.data, 'Causal verdict');
      if (snap.status !== 'succeeded') throw new EngineError(snap.error?.code ?? 'internal', snap.error?.message ?? snap.status);
      const r = snap.result as CausalQueriesVerdictResult;
      ctx.log(`${r.answered} of ${r.count} answered (${r.present} present, ${r.absent} absent); your MErr ${r.auditorMerr.toFixed(3)}; agreement with the scripted agent ${r.agreement.mean.toFixed(3)} (${r.agreement.lo.toFixed(3)} to ${r.agreement.hi.toFixed(3)})`);
      ctx.log(`classifier under audit: ${r.observational.verdict.text}`);
      ctx.log(`C with your answers: ${r.after.verdict.text}`);
      return r;
    }
    if (values.list) {
      const batches = await engine.call('causalQueries.list', {});
      if (!batches.length) ctx.log('no batches in this project (make one with --create N)');
      for (const b of batches) ctx.log(`${b.batchId}  ${b.experiment.padEnd(16)} ${b.answered} / ${b.count} answered`);
      return batches;
    }
    throw new EngineError('invalid_request', 'give --create N, --list or --verdict BATCH');
  },
};
