// Trains a classifier from the CNN family on the open project's images (or the bundled demo set),
// reporting loss, val_loss, val_auc and epoch per epoch, cancellable between batches, resumable
// from the checkpoint in its output folder.
//
// Wiring (for all.ts and the API contract): kind 'train-classifier', params
// TrainClassifierParamsSchema; annotate trainClassifierJob as JobDefinition<'train-classifier'>.
import * as path from 'node:path';
import type { ImageSet } from '../data/image-set';
import { loadDemoPneumonia } from '../data/importers/medmnist';
import { addMarker } from '../data/synthetic/marker';
import { trainClassifier } from '../models/train';
import { resourcesDir } from '../resources';
import { currentProject, projectImages } from '../session';
import type { JobContext } from './context';
import { EngineError } from './errors';
import type { JobDefinition } from './registry';

export { TrainClassifierParamsSchema, type TrainClassifierParams } from '../../api/schemas/training';
import type { TrainClassifierParams } from '../../api/schemas/training';

function outputDir(p: TrainClassifierParams): string {
  if (p.outDir) {
    if (!path.isAbsolute(p.outDir)) throw new EngineError('invalid_request', `outDir must be an absolute path (got "${p.outDir}")`);
    return p.outDir;
  }
  const project = currentProject();
  if (!project) throw new EngineError('invalid_request', 'no project is open: open one or give outDir');
  return path.join(project.dir, 'models', p.name);
}

async function imagesFor(p: TrainClassifierParams): Promise<ImageSet> {
  const set = p.data === 'demo' ? loadDemoPneumonia(resourcesDir()) : await projectImages();
  if (!p.marker) return set;
  const { seed, ...rates } = p.marker;
  return addMarker(set, { seed, rates });
}

export const trainClassifierJob: JobDefinition<'train-classifier'> = {
  kind: 'train-classifier',
  title: (p: TrainClassifierParams): string => `Train classifier ${p.outDir ? path.basename(p.outDir) : p.name}${p.resume ? ' (resume)' : ''}`,
  async run(params: TrainClassifierParams, ctx: JobContext) {
    const outDir = outputDir(params);
    ctx.progress({ stage: 'loading images', fraction: 0 });
    const set = await imagesFor(params);
    await ctx.checkpoint();
    const result = await trainClassifier(
      { set, outDir, options: params.options, resume: params.resume, provenance: params.marker ? { marker: params.marker } : {} },
      { progress: (u) => ctx.progress(u), checkpoint: () => ctx.checkpoint() },
    );
    return result;
  },
};
