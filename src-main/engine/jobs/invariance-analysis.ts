// Runs the invariance analysis of a trained SVAE on the open project (seed 003): invariance
// curves (SVAE head, the audited model on decoded images, M2 when given, the z1 control), a
// gallery of invariantly transformed samples, latent counterfactuals and the k = 1 / k = 2
// divergence maps, all as JSON with PNG data URLs; saved in the project
// (artefact `invariance-analysis-<name>`).
//
// Wiring (for all.ts and the API contract): kind 'invariance-analysis', params InvarianceAnalysisParamsSchema.
import { InvarianceAnalysisParamsSchema, type InvarianceAnalysisParams, type InvarianceAnalysisResult } from '../../api/schemas/invariance';
import { analyseInvariances } from '../explain/invariance/analysis';
import { loadSurrogateFromProject } from '../explain/invariance/io';
import { M2Vae } from '../explain/invariance/m2';
import type { Surrogate } from '../explain/invariance/surrogate';
import { Svae } from '../explain/invariance/svae';
import { projectModel } from '../models/project-model';
import { projectImages, requireProject } from '../session';
import type { JobContext } from './context';
import { EngineError } from './errors';
import { sampleRows } from './invariance-train';

export { InvarianceAnalysisParamsSchema, type InvarianceAnalysisParams, type InvarianceAnalysisResult };

export const invarianceAnalysisJob = {
  kind: 'invariance-analysis' as const,
  title: (p: InvarianceAnalysisParams): string => `Invariances of '${p.name}' on ${p.split}`,
  async run(params: InvarianceAnalysisParams, ctx: JobContext): Promise<InvarianceAnalysisResult> {
    const p = InvarianceAnalysisParamsSchema.parse(params);
    const store = requireProject();
    ctx.progress({ stage: 'loading', fraction: 0 });
    const set = await projectImages();
    const model = await projectModel(store);
    const loaded: Surrogate[] = [];
    try {
      const svae = await loadSurrogateFromProject(store, p.name, model.hash);
      loaded.push(svae);
      if (!(svae instanceof Svae)) throw new EngineError('invalid_request', `'${p.name}' is an ${svae.config.kind.toUpperCase()}, not an SVAE: give it as m2Name`);
      let m2: M2Vae | null = null;
      if (p.m2Name) {
        const s = await loadSurrogateFromProject(store, p.m2Name, model.hash);
        loaded.push(s);
        if (!(s instanceof M2Vae)) throw new EngineError('invalid_request', `'${p.m2Name}' is not an M2 model`);
        m2 = s;
      }
      const all = set.split.flatMap((s, i) => (s === p.split ? [i] : []));
      if (!all.length) throw new EngineError('bad_input', `The image set has no '${p.split}' split`);
      for (const q of p.queries ?? []) if (q >= set.labels.length) throw new EngineError('invalid_request', `query ${q} is not an image of the set (0..${set.labels.length - 1})`);
      const out = await analyseInvariances({
        svae,
        m2,
        audited: model,
        set,
        testRows: sampleRows(all, p.testImages, p.seed + 1),
        params: p,
        hooks: { progress: (stage, fraction) => ctx.progress({ stage, fraction }), checkpoint: () => ctx.checkpoint() },
      });
      const result: InvarianceAnalysisResult = {
        name: p.name,
        modelHash: model.hash,
        datasetHash: store.manifest.dataset?.contentHash ?? null,
        split: p.split,
        classNames: svae.config.classNames,
        ...out,
        analysedAt: new Date().toISOString(),
      };
      const blob = await store.writeBlob(Buffer.from(JSON.stringify(result)), 'json');
      await store.update((m) => {
        m.artefacts[`invariance-analysis-${p.name}`] = { kind: 'invariance-analysis', blob, meta: { name: p.name, modelHash: model.hash, datasetHash: result.datasetHash, split: p.split, at: result.analysedAt } };
      });
      return result;
    } finally {
      loaded.forEach((s) => s.dispose());
    }
  },
};
