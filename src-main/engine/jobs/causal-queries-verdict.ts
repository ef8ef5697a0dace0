// The auditor as the agent of Algorithm 2: rebuilds the batch's C (same experiment, seed and
// settings, so the same network), grows its causal data set with the auditor's answered
// queries (present = the higher causal class), retrains C, and reports the feature effects of C
// before and after the answers and of the classifier under audit, with the audit verdict.
// Saved in the project (artefact `causal-queries-verdict-<batchId>`) for the report.
import { CausalQueriesParamsSchema, CausalQueriesVerdictParamsSchema, type CausalQueriesVerdictParams } from '../../api/schemas/causal-queries';
import { initBackend } from '../backend';
import { subSeed } from '../data/synthetic/rng';
import type { Effect, Verdict } from '../explain/causal-features/effects';
import { meanInterval } from '../explain/causal-features/effects';
import { concatImages, pick } from '../explain/causal-features/images';
import { causalSetup, fromBase64 } from '../explain/causal-features/queries';
import { readStoredBatch } from '../explain/causal-features/query-store';
import { requireProject } from '../session';
import type { JobContext } from './context';
import { EngineError } from './errors';

export interface CausalQueriesVerdictResult {
  batchId: string;
  experiment: 'grating' | 'pneumonia-marker';
  answered: number;
  count: number;
  present: number;
  absent: number;
  /** The auditor's MErr: answered manipulations judged not to be in their target class. */
  auditorMerr: number;
  /** Agreement with the scripted agent (GRATING's ground truth; the source label for PneumoniaMNIST), with a 95% interval. */
  agreement: Effect;
  /** Effects of C before (Algorithm 1 only) and after retraining with the auditor's answers, and of the classifier under audit. */
  before: { effects: Record<string, Effect>; verdict: Verdict };
  after: { effects: Record<string, Effect>; verdict: Verdict };
  observational: { effects: Record<string, Effect>; verdict: Verdict };
  analysedAt: string;
}

const pickKeys = (e: Record<string, Effect>, part: string): Record<string, Effect> => Object.fromEntries(Object.entries(e).filter(([k]) => k.endsWith(part)));

export const causalQueriesVerdictJob = {
  kind: 'causal-queries-verdict' as const,
  title: (p: CausalQueriesVerdictParams): string => `Causal verdict from the auditor's answers (${p.batchId})`,
  async run(params: CausalQueriesVerdictParams, ctx: JobContext): Promise<CausalQueriesVerdictResult> {
    const p = CausalQueriesVerdictParamsSchema.parse(params);
    const store = requireProject();
    const { batch, answers } = await readStoredBatch(store, p.batchId);
    const answered = batch.queries.filter((q) => answers[q.index]);
    if (!answered.length) throw new EngineError('invalid_request', `No query of batch '${p.batchId}' is answered yet`);
    const bp = CausalQueriesParamsSchema.parse(batch.params);
    await initBackend();
    ctx.progress({ stage: 'rebuilding C (Algorithm 1)', fraction: 0.05 });
    const setup = await causalSetup(bp);
    try {
      await ctx.checkpoint();
      ctx.progress({ stage: 'effects before the answers', fraction: 0.5 });
      const o = { testImages: p.testImages, bootstrap: p.bootstrap };
      const before = await setup.effects((im) => setup.c.predict(im), o);

      // D_csl grown by the answered queries; they make up half of each retraining epoch (as in Algorithm 2).
      ctx.progress({ stage: 'retraining C with the answers', fraction: 0.6 });
      const manipulated = pick(fromBase64(batch.pixels.manipulated, batch.size), answered.map((q) => q.index));
      const targets = answered.map((q) => (answers[q.index].answer === 'present' ? 1 : 0));
      const nObs = setup.unit.length;
      const reps = Math.max(1, Math.round(nObs / answered.length));
      const rows = [...Array.from({ length: nObs }, (_, k) => k)];
      for (let r = 0; r < reps; r++) for (let k = 0; k < answered.length; k++) rows.push(nObs + k);
      const all = concatImages(setup.images, manipulated);
      const allTargets = Float32Array.from([...setup.unit, ...targets]);
      await setup.c.train(pick(all, rows), Float32Array.from(rows, (r) => allTargets[r]), { epochs: p.retrainEpochs, seed: subSeed(bp.seed, 10) });
      await ctx.checkpoint();
      ctx.progress({ stage: 'effects after the answers', fraction: 0.85 });
      const after = await setup.effects((im) => setup.c.predict(im), o);

      const present = targets.filter((t) => t === 1).length;
      const result: CausalQueriesVerdictResult = {
        batchId: batch.batchId,
        experiment: batch.experiment,
        answered: answered.length,
        count: batch.queries.length,
        present,
        absent: answered.length - present,
        auditorMerr: answered.filter((q, k) => targets[k] !== q.targetClass).length / answered.length,
        agreement: meanInterval(
          answered.map((q) => (answers[q.index].answer === q.truth ? 1 : 0)),
          { resamples: p.bootstrap, seed: bp.seed },
        ),
        before: { effects: pickKeys(before.effects, '_causal'), verdict: before.verdicts.causal },
        after: { effects: pickKeys(after.effects, '_causal'), verdict: after.verdicts.causal },
        observational: { effects: pickKeys(after.effects, '_observational'), verdict: after.verdicts.observational },
        analysedAt: new Date().toISOString(),
      };
      const blob = await store.writeBlob(Buffer.from(JSON.stringify(result)), 'json');
      await store.update((m) => {
        m.artefacts[`causal-queries-verdict-${batch.batchId}`] = { kind: 'causal-queries-verdict', blob, meta: { batchId: batch.batchId, answered: result.answered, at: result.analysedAt } };
      });
      ctx.progress({ stage: 'done', fraction: 1 });
      return result;
    } finally {
      setup.dispose();
    }
  },
};
