// Visual causal feature learning (seed 001) as a job: GRATING or PneumoniaMNIST with a marker;
// returns MErr/MDist curves, feature effects, verdicts and example manipulations (JSON).
// Saved in the open project, when there is one (artefact `causal-features-<experiment>`), for the report.
import { CausalFeaturesParamsSchema, type CausalFeaturesParams } from '../../api/schemas/causal-features';
import { initBackend } from '../backend';
import { runGrating, runPneumoniaMarker, type CausalFeaturesResult } from '../explain/causal-features';
import type { JobContext } from './context';
import { currentProject } from '../session';

export const causalFeaturesJob = {
  kind: 'causal-features' as const,
  title: (p: CausalFeaturesParams): string => `Causal features (${p.experiment}, ${p.iterations} iterations)`,
  async run(params: CausalFeaturesParams, ctx: JobContext): Promise<CausalFeaturesResult> {
    const p = CausalFeaturesParamsSchema.parse(params);
    await initBackend();
    const hooks = {
      progress: (stage: string, fraction: number, metrics?: Record<string, number>) => ctx.progress({ stage, fraction, metrics }),
      checkpoint: () => ctx.checkpoint(),
    };
    const result = p.experiment === 'grating' ? await runGrating(p, hooks) : await runPneumoniaMarker(p, hooks);
    const store = currentProject();
    if (store) {
      const blob = await store.writeBlob(Buffer.from(JSON.stringify(result)), 'json');
      const at = new Date().toISOString();
      await store.update((m) => {
        m.artefacts[`causal-features-${p.experiment}`] = { kind: 'causal-features', blob, meta: { experiment: p.experiment, seed: p.seed, iterations: p.iterations, queries: p.queries, at } };
      });
    }
    ctx.progress({ stage: 'done', fraction: 1 });
    return result;
  },
};
