// Trains a progressive-exaggeration explainer for the open project's classifier on its images:
// progress with every loss term, a sample grid every N steps (<explainer>/samples/), checkpoints,
// resume, cancel; saved in <project>/explainers/<name>/ and recorded in the manifest.
//
// Wiring (for all.ts and the API contract): kind 'train-explainer', params
// TrainExplainerParamsSchema (src-main/api/schemas/exaggeration.ts).
import * as path from 'node:path';
import { addMarker, decorrelatedRates } from '../data/synthetic/marker';
import { trainExplainer } from '../explain/exaggeration/trainer';
import { explainerDir, recordExplainer } from '../explain/exaggeration/project';
import { projectModel } from '../models/project-model';
import { projectImages, requireProject } from '../session';
import type { JobContext } from './context';
import { EngineError } from './errors';

export { TrainExplainerParamsSchema, type TrainExplainerParams } from '../../api/schemas/exaggeration';
import type { TrainExplainerParams } from '../../api/schemas/exaggeration';

export const trainExplainerJob = {
  kind: 'train-explainer' as const,
  title: (p: TrainExplainerParams): string => `Train exaggeration explainer ${p.name}${p.resume ? ' (resume)' : ''}`,
  async run(params: TrainExplainerParams, ctx: JobContext) {
    const store = requireProject();
    ctx.progress({ stage: 'loading images and classifier', fraction: 0 });
    const model = await projectModel(store);
    const base = await projectImages();
    const set = params.marker ? addMarker(base, { seed: params.marker.seed, rates: { [params.split]: decorrelatedRates(params.marker.rate) } }) : base;
    const rows = set.split.flatMap((s, i) => (s === params.split ? [i] : []));
    if (!rows.length) throw new EngineError('bad_input', `The image set has no '${params.split}' split to train on`);
    await ctx.checkpoint();
    const outDir = explainerDir(store, params.name);
    const result = await trainExplainer(
      {
        model,
        set,
        rows,
        outDir,
        options: params.options,
        resume: params.resume,
        provenance: { project: store.manifest.name, datasetHash: store.manifest.dataset?.contentHash ?? null, split: params.split, ...(params.marker ? { marker: params.marker } : {}) },
      },
      { progress: (u) => ctx.progress(u), checkpoint: () => ctx.checkpoint() },
    );
    await recordExplainer(store, {
      name: params.name,
      dir: path.relative(store.dir, outDir),
      hash: result.hash,
      classifierHash: result.classifierHash,
      architecture: result.architecture,
      steps: result.steps,
      trainSeconds: Math.round(result.trainSeconds * 10) / 10,
      trainedAt: new Date().toISOString(),
    });
    return { name: params.name, ...result, outDir: path.relative(store.dir, outDir) };
  },
};
