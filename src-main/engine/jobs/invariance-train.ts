// Trains the invariance surrogate (SVAE, or M2 for comparison) on the open project's images
// against its model: labels are the model's decisions (the audit default) or the data set's.
// Progress per batch (loss, reconstruction, KL terms) and per epoch (accuracy, agreement with
// the model, reconstruction); a checkpoint per epoch in <project>/invariance/<name>/checkpoint
// (resume: true continues from it); cancel between batches. The trained surrogate is saved in the
// project with the model's hash (artefact `invariance-<name>`).
//
// Wiring (for all.ts and the API contract): kind 'invariance-train', params InvarianceTrainParamsSchema.
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { InvarianceTrainParamsSchema, type InvarianceTrainParams } from '../../api/schemas/invariance';
import { makeRng, permutation } from '../data/synthetic/rng';
import { artefactKey, saveSurrogateToProject } from '../explain/invariance/io';
import { argmaxRows } from '../explain/invariance/evaluate';
import { auditedDecisions, labelsInModelSpace } from '../explain/invariance/labels';
import type { AuditedModel } from '../models/audited-model';
import { trainSurrogate } from '../explain/invariance/train';
import { projectModel } from '../models/project-model';
import { projectImages, requireProject } from '../session';
import type { JobContext } from './context';
import { EngineError } from './errors';

export { InvarianceTrainParamsSchema, type InvarianceTrainParams };

export interface InvarianceTrainResult {
  name: string;
  artefact: string;
  kind: 'svae' | 'm2';
  modelHash: string | null;
  datasetHash: string | null;
  labels: 'model' | 'true';
  trainImages: number;
  evalImages: number;
  epochsRun: number;
  resumedFrom: number | null;
  trainSeconds: number;
  backend: string;
  /** Per epoch: loss, the objective's terms, and the evaluation (target_accuracy, accuracy, agreement, reconstruction). */
  history: { epoch: number; loss: number; parts: Record<string, number>; eval: Record<string, number>; seconds: number }[];
  final: Record<string, number>;
}

/** The model's decisions (argmax) for a batch. */
async function decisionsOf(model: AuditedModel, x: tf.Tensor4D): Promise<Int32Array> {
  const p = model.predict(x);
  const v = argmaxRows(await p.data(), p.shape[1]);
  p.dispose();
  return v;
}

/** Up to n rows, a seeded choice kept in index order. */
export function sampleRows(rows: number[], n: number, seed: number): number[] {
  if (rows.length <= n) return rows;
  return permutation(rows.length, makeRng(seed))
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((j) => rows[j]);
}

export const invarianceTrainJob = {
  kind: 'invariance-train' as const,
  title: (p: InvarianceTrainParams): string => `Train invariance ${p.options.model === 'm2' ? 'M2' : 'SVAE'} '${p.name}'${p.resume ? ' (resume)' : ''}`,
  async run(params: InvarianceTrainParams, ctx: JobContext): Promise<InvarianceTrainResult> {
    const p = InvarianceTrainParamsSchema.parse(params);
    const store = requireProject();
    ctx.progress({ stage: 'loading images and model', fraction: 0 });
    const set = await projectImages();
    const model = await projectModel(store);
    const trainRows = set.split.flatMap((s, i) => (p.trainSplits.includes(s) ? [i] : []));
    const evalRows = sampleRows(
      set.split.flatMap((s, i) => (s === p.evalSplit ? [i] : [])),
      p.evalImages,
      p.options.seed + 1,
    );
    if (!trainRows.length) throw new EngineError('bad_input', `The image set has no images in ${p.trainSplits.join(', ')}`);
    await ctx.checkpoint();
    ctx.progress({ stage: "the model's decisions", fraction: 0.01 });
    const audited = await auditedDecisions(model, set, [...new Set([...trainRows, ...evalRows])]);
    const trueLabels = labelsInModelSpace(set, model);
    if (p.options.labels === 'true' && !trueLabels) throw new EngineError('bad_input', `The image set's classes (${set.classNames.join(', ')}) do not match the model's (${model.classNames.join(', ')}): train on the model's decisions`);
    const targets = p.options.labels === 'model' ? audited : trueLabels!;
    await ctx.checkpoint();
    const r = await trainSurrogate(
      {
        set,
        size: model.inputSize,
        classNames: model.classNames,
        trainRows,
        targets,
        evalRows,
        trueLabels,
        audited,
        options: p.options,
        relabel: p.options.labels === 'model' ? (x) => decisionsOf(model, x) : undefined,
        model: (x) => model.predict(x),
        checkpointDir: path.join(store.dir, 'invariance', p.name, 'checkpoint'),
        resume: p.resume,
        keepCheckpoint: false,
      },
      { progress: (u) => ctx.progress({ ...u, fraction: 0.02 + 0.96 * u.fraction }), checkpoint: () => ctx.checkpoint() },
    );
    try {
      ctx.progress({ stage: 'saving', fraction: 0.99 });
      const final = r.history[r.history.length - 1]?.eval ?? {};
      const result: InvarianceTrainResult = {
        name: p.name,
        artefact: artefactKey(p.name),
        kind: p.options.model,
        modelHash: model.hash,
        datasetHash: store.manifest.dataset?.contentHash ?? null,
        labels: p.options.labels,
        trainImages: trainRows.length,
        evalImages: evalRows.length,
        epochsRun: r.epochsRun,
        resumedFrom: r.resumedFrom,
        trainSeconds: r.trainSeconds,
        backend: r.backend,
        history: r.history,
        final,
      };
      const { history: _h, ...summary } = result;
      await saveSurrogateToProject(store, p.name, r.surrogate, model.hash, { ...summary, history: r.history });
      return result;
    } finally {
      r.surrogate.dispose();
    }
  },
};
