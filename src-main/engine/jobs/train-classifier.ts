// Trains a classifier from the CNN family on the open project's images (or the bundled demo set),
// reporting loss, val_loss, val_auc and epoch per epoch, cancellable between batches, resumable
// from the checkpoint in its output folder.
//
// Wiring (for all.ts and the API contract): kind 'train-classifier', params
// TrainClassifierParamsSchema; annotate trainClassifierJob as JobDefinition<'train-classifier'>.
import * as path from 'node:path';
import { z } from 'zod';
import type { ImageSet } from '../data/image-set';
import { loadDemoPneumonia } from '../data/importers/medmnist';
import { addMarker } from '../data/synthetic/marker';
import { TrainOptionsSchema } from '../models/train-options';
import { trainClassifier } from '../models/train';
import { resourcesDir } from '../resources';
import { currentProject, projectImages } from '../session';
import type { JobContext } from './context';
import { EngineError } from './errors';

const Rates = z.object({ positive: z.number().min(0).max(1), negative: z.number().min(0).max(1) }).strict();

export const TrainClassifierParamsSchema = z
  .object({
    /** 'project': the open project's image set; 'demo': the bundled PneumoniaMNIST. */
    data: z.enum(['project', 'demo']).default('project'),
    /** Model folder name under <project>/models/ (used when outDir is not given). */
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      .default('classifier'),
    /** Absolute output folder; overrides name. Needed when no project is open. */
    outDir: z.string().min(1).max(4096).optional(),
    /** Continue from the checkpoint in the output folder when there is one. */
    resume: z.boolean().default(false),
    /** Add the synthetic burned-in marker confounder before training (per-split rates). */
    marker: z
      .object({
        seed: z.number().int().min(0).default(0),
        train: Rates.optional(),
        val: Rates.optional(),
        test: Rates.optional(),
      })
      .strict()
      .optional(),
    options: TrainOptionsSchema.default(TrainOptionsSchema.parse({})),
  })
  .strict();

export type TrainClassifierParams = z.infer<typeof TrainClassifierParamsSchema>;

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

export const trainClassifierJob = {
  kind: 'train-classifier' as const,
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
