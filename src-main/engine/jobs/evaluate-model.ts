// Evaluates the project's model on a split: metrics with bootstrap intervals, ROC, calibration,
// and the subgroup audit over every attribute column. The result is saved in the project.
import type { z } from 'zod';
import type { JobDefinition } from './registry';
import type { JobContext } from './context';
import type { EvaluationResult, JobParamsSchemas } from '../../api/contract';
import { EngineError } from './errors';
import { requireProject, projectImages } from '../session';
import { positiveLabels, projectModel } from '../models/project-model';
import { predictPositive } from '../models/batches';
import { evaluateBinary } from '../metrics/evaluate';
import { auditSubgroups } from '../metrics/subgroups';

/** Attribute columns worth auditing: categorical, not geometry, not identifiers. */
function auditableColumns(attributes: Record<string, (string | null)[]>, indices: number[]): Record<string, (string | null)[]> {
  const out: Record<string, (string | null)[]> = {};
  for (const [k, col] of Object.entries(attributes)) {
    if (k === 'box' || k === 'mask') continue;
    const values = indices.map((i) => col[i]);
    const distinct = new Set(values.filter((v) => v !== null));
    if (distinct.size >= 2 && distinct.size <= 12) out[k] = values;
  }
  return out;
}

export type EvaluateParams = z.infer<(typeof JobParamsSchemas)['evaluate-model']>;

/** Evaluates the open project's model and saves the result in the project. */
export async function evaluateProject(params: EvaluateParams, ctx: JobContext): Promise<EvaluationResult> {
    const store = requireProject();
    const set = await projectImages();
    const model = await projectModel(store);
    const indices: number[] = [];
    set.split.forEach((s, i) => s === params.split && indices.push(i));
    if (!indices.length) throw new EngineError('bad_input', `The image set has no '${params.split}' split`);
    ctx.progress({ stage: 'predicting', fraction: 0.05 });
    const probs = await predictPositive(model, set, indices);
    await ctx.checkpoint();
    const all = positiveLabels(set.classNames, set.labels, model);
    const labels = Int32Array.from(indices, (i) => all[i]);
    ctx.progress({ stage: 'bootstrapping metrics', fraction: 0.3 });
    const bootstrap = { resamples: params.bootstrap, seed: params.seed };
    const evaluation = evaluateBinary(probs, labels, { threshold: params.threshold, bootstrap });
    await ctx.checkpoint();
    const columns = auditableColumns(set.attributes, indices);
    ctx.progress({ stage: 'subgroup audit', fraction: 0.6 });
    const subgroups = Object.keys(columns).length
      ? auditSubgroups(probs, labels, columns, { threshold: params.threshold, minGroupSize: params.minGroupSize, bootstrap })
      : null;
    const result: EvaluationResult = {
      split: params.split,
      modelHash: model.hash,
      datasetHash: store.manifest.dataset?.contentHash ?? null,
      positiveClass: model.classNames[model.positiveClass],
      evaluation,
      subgroups,
      evaluatedAt: new Date().toISOString(),
    };
    ctx.progress({ stage: 'saving', fraction: 0.95 });
    const blob = await store.writeBlob(Buffer.from(JSON.stringify(result)), 'json');
    await store.update((m) => {
      m.artefacts[`evaluation-${params.split}`] = { kind: 'evaluation', blob, meta: { split: params.split, modelHash: model.hash, datasetHash: result.datasetHash, at: result.evaluatedAt } };
    });
    return result;
}

/** The saved evaluation of a split, if it was made with the current model and data. */
export async function savedEvaluation(split: EvaluateParams['split']): Promise<EvaluationResult | null> {
  const store = requireProject();
  const a = store.manifest.artefacts[`evaluation-${split}`];
  if (!a?.blob) return null;
  const r = JSON.parse((await store.readBlob(a.blob)).toString('utf8')) as EvaluationResult;
  const modelHash = (store.manifest.artefacts.model?.meta as { hash?: string } | undefined)?.hash;
  return r.modelHash === modelHash && r.datasetHash === store.manifest.dataset?.contentHash ? r : null;
}

export const evaluateModelJob: JobDefinition<'evaluate-model'> = {
  kind: 'evaluate-model',
  title: (p) => `Evaluate on ${p.split}`,
  run: (params, ctx) => evaluateProject(params, ctx),
};
