// Makes a batch of causal queries for the auditor (seed 001, the human agent) and saves it in
// the open project (artefact `causal-queries-<batchId>`); the view then shows each manipulated
// image beside its original and saves the auditor's present/absent answers.
import { CausalQueriesParamsSchema, type CausalQueriesParams, type CausalQueryBatchSummary } from '../../api/schemas/causal-queries';
import { initBackend } from '../backend';
import { subSeed } from '../data/synthetic/rng';
import { causalSetup, manipulationBatch, storedBatch } from '../explain/causal-features/queries';
import { saveBatch } from '../explain/causal-features/query-store';
import { requireProject } from '../session';
import type { JobContext } from './context';

export const causalQueriesJob = {
  kind: 'causal-queries' as const,
  title: (p: CausalQueriesParams): string => `Causal queries (${p.experiment}, ${p.count} images)`,
  async run(params: CausalQueriesParams, ctx: JobContext): Promise<CausalQueryBatchSummary> {
    const p = CausalQueriesParamsSchema.parse(params);
    const store = requireProject();
    await initBackend();
    ctx.progress({ stage: 'observational network and Algorithm 1', fraction: 0.05 });
    const setup = await causalSetup(p);
    try {
      await ctx.checkpoint();
      ctx.progress({ stage: 'manipulating images', fraction: 0.7 });
      const b = manipulationBatch(setup, p.count, p.alpha, subSeed(p.seed, 9));
      const batchId = `${p.experiment === 'grating' ? 'grating' : 'pneumonia'}-${Date.now().toString(36)}`;
      const batch = await storedBatch(batchId, p, setup, b);
      ctx.progress({ stage: 'saving', fraction: 0.95 });
      await saveBatch(store, batch);
      ctx.progress({ stage: 'done', fraction: 1 });
      return { batchId, experiment: p.experiment, count: batch.queries.length, answered: 0, createdAt: batch.createdAt };
    } finally {
      setup.dispose();
    }
  },
};
