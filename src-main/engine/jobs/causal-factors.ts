// Generative causal explanation (seed 000): trains a VAE explainer g(alpha, beta) against the
// open project's model (frozen, inference mode) to maximise C(alpha; Y) + lambda * D, then
// reports I(alpha; Y) at evaluation size, the per-factor influence, the capacity certificate and
// latent sweeps (PNG data URLs) with the classifier's output per frame.
// Progress per step (step, C, D, loss); a checkpoint every `checkpointEvery` steps in the output
// folder (resume: true continues from it; an explainer saved for another classifier is refused);
// cancel between steps (the last checkpoint stays).
// With data 'project' the result is kept in the project (artefact `causal-factors-<name>`).
//
// Wiring (for all.ts and the API contract): kind 'causal-factors', params CausalFactorsParamsSchema
// (src-main/api/schemas/causal-factors.ts), result CausalFactorsResult (JSON).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CausalFactorsParamsSchema, type CausalFactorsParams, type CausalFactorsResult } from '../../api/schemas/causal-factors';
import { activeBackend, initBackend } from '../backend';
import type { ImageSet } from '../data/image-set';
import { loadDemoPneumonia } from '../data/importers/medmnist';
import { makeRng, permutation } from '../data/synthetic/rng';
import { capacityCertificate } from '../explain/causal/certificate';
import { hasExplainer, loadExplainer, saveExplainer } from '../explain/causal/io';
import { saveCausalFactors } from '../explain/causal/saved';
import { latentSweeps } from '../explain/causal/sweeps';
import { evaluateInfluence, newExplainer, trainExplainer, type Explainer } from '../explain/causal/train';
import { disposeVae } from '../explain/causal/architecture';
import type { AuditedModel } from '../models/audited-model';
import { imageBatch } from '../models/batches';
import { loadAuditedModel } from '../models/load';
import { projectModel } from '../models/project-model';
import { modelsDir, resourcesDir } from '../resources';
import { currentProject, projectImages, requireProject } from '../session';
import type { JobContext } from './context';
import { EngineError } from './errors';

export { CausalFactorsParamsSchema, type CausalFactorsParams, type CausalFactorsResult };

function outputDir(p: CausalFactorsParams): string {
  if (p.outDir) {
    if (!path.isAbsolute(p.outDir)) throw new EngineError('invalid_request', `outDir must be an absolute path (got "${p.outDir}")`);
    return p.outDir;
  }
  const project = currentProject();
  if (!project) throw new EngineError('invalid_request', 'no project is open: open one or give outDir');
  return path.join(project.dir, 'causal', p.name);
}

async function inputs(p: CausalFactorsParams): Promise<{ set: ImageSet; model: AuditedModel; owned: boolean }> {
  if (p.data === 'demo') return { set: loadDemoPneumonia(resourcesDir()), model: await loadAuditedModel(path.join(modelsDir(), 'pneumonia-demo')), owned: true };
  const store = requireProject();
  return { set: await projectImages(), model: await projectModel(store), owned: false };
}

/** The explainer's report for a trained explainer: influence, certificate, sweeps. */
export async function explainerReport(
  ex: Explainer,
  model: AuditedModel,
  set: ImageSet,
  opts: { evalNAlpha: number; evalNBeta: number; sweepRows: number[]; seed: number; betaInfluence?: boolean; onChunk?: () => Promise<void> },
): Promise<Pick<CausalFactorsResult, 'influence' | 'certificate' | 'sweeps'>> {
  const inf = await evaluateInfluence(ex, model, { nAlpha: opts.evalNAlpha, nBeta: opts.evalNBeta, seed: opts.seed, factors: opts.betaInfluence === false ? 'alpha' : 'all', onChunk: opts.onChunk });
  const { k } = ex.options;
  const m = model.classNames.length;
  const sweeps: CausalFactorsResult['sweeps'] = [];
  for (const row of opts.sweepRows) {
    const x = imageBatch(set, [row], model.inputSize);
    const sw = await latentSweeps(ex, model, x);
    x.dispose();
    sweeps.push({ imageId: set.ids[row], label: set.classNames[set.labels[row]] ?? String(set.labels[row]), reconstructionProbs: sw.reconstructionProbs, factors: sw.factors.map(({ frames: _f, ...f }) => f) });
  }
  return {
    influence: {
      joint: inf.joint,
      independent: inf.independent,
      perFactor: inf.perFactor.map((nats, i) => ({ name: i < k ? `alpha${i + 1}` : `beta${i - k + 1}`, causal: i < k, nats })),
      nAlpha: inf.nAlpha,
      nBeta: inf.nBeta,
      logM: Math.log(m),
    },
    certificate: capacityCertificate(m, inf.joint),
    sweeps,
  };
}

export const causalFactorsJob = {
  kind: 'causal-factors' as const,
  title: (p: CausalFactorsParams): string => `Causal factors '${p.name}' (K = ${p.options.k}, L = ${p.options.l})${p.data === 'demo' ? ' on the demo' : ''}`,
  async run(params: CausalFactorsParams, ctx: JobContext): Promise<CausalFactorsResult> {
    const p = CausalFactorsParamsSchema.parse(params);
    await initBackend();
    const dir = outputDir(p);
    ctx.progress({ stage: 'loading images and model', fraction: 0 });
    const { set, model, owned } = await inputs(p);
    let ex: Explainer | null = null;
    try {
      if (!(model.inputSize === 28 || model.inputSize === 64 || model.inputSize === 128)) throw new EngineError('invalid_request', `the explainer supports models with 28, 64 or 128 px inputs (this one: ${model.inputSize})`);
      const trainRows = set.split.flatMap((s, i) => (p.trainSplits.includes(s) ? [i] : []));
      if (!trainRows.length) throw new EngineError('bad_input', `The image set has no images in ${p.trainSplits.join(', ')}`);
      let sweepPool = set.split.flatMap((s, i) => (s === p.sweepSplit ? [i] : []));
      if (!sweepPool.length) sweepPool = trainRows;
      const sweepRows = permutation(sweepPool.length, makeRng(p.options.seed + 5))
        .slice(0, p.sweepImages)
        .map((j) => sweepPool[j]);

      let resumedFrom: number | null = null;
      if (p.resume && hasExplainer(dir)) {
        ex = await loadExplainer(dir, model.hash);
        const same = JSON.stringify({ ...ex.options, steps: 0 }) === JSON.stringify({ ...p.options, steps: 0 });
        if (!same) throw new EngineError('invalid_request', `${dir} holds an explainer with other options: give another name or resume: false`);
        ex.options = { ...ex.options, steps: p.options.steps };
        resumedFrom = ex.step;
      } else {
        ex = newExplainer(model, p.options);
      }
      await ctx.checkpoint();

      const t0 = performance.now();
      const startStep = ex.step;
      const snapshots: CausalFactorsResult['snapshots'] = [];
      const optimizer = tf.train.adam(p.options.lr, 0.5, 0.999);
      let lastSave = ex.step;
      const total = Math.max(1, p.options.steps - startStep);
      const e = ex;
      try {
        // Train in chunks between checkpoints / snapshots.
        while (e.step < p.options.steps) {
          const stops = [p.options.steps, lastSave + p.checkpointEvery];
          if (p.sweepEvery > 0) stops.push((Math.floor(e.step / p.sweepEvery) + 1) * p.sweepEvery);
          const target = Math.min(...stops);
          const finalSteps = e.options.steps;
          e.options = { ...e.options, steps: target };
          await trainExplainer(
            e,
            model,
            set,
            trainRows,
            {
              checkpoint: () => ctx.checkpoint(),
              onStep: (s) => ctx.progress({ stage: 'training the explainer', fraction: 0.9 * ((s.step - startStep) / total), metrics: { step: s.step, C: s.C, D: s.D, loss: s.loss } }),
            },
            optimizer,
          );
          e.options = { ...e.options, steps: finalSteps };
          if (e.step - lastSave >= p.checkpointEvery || e.step >= p.options.steps) {
            await saveExplainer(dir, e, model.hash);
            lastSave = e.step;
          }
          if (p.sweepEvery > 0 && e.step % p.sweepEvery === 0 && sweepRows.length) {
            const x = imageBatch(set, [sweepRows[0]], model.inputSize);
            const sw = await latentSweeps(e, model, x);
            x.dispose();
            snapshots.push({ step: e.step, factors: sw.factors.map((f) => ({ name: f.name, png: f.png ?? '' })) });
          }
        }
      } finally {
        optimizer.dispose();
      }
      if (!fs.existsSync(dir) || lastSave !== e.step) await saveExplainer(dir, e, model.hash);
      const trainSeconds = (performance.now() - t0) / 1000;

      ctx.progress({ stage: 'estimating I(alpha; Y) and rendering sweeps', fraction: 0.9 });
      const report = await explainerReport(e, model, set, { evalNAlpha: p.evalNAlpha, evalNBeta: p.evalNBeta, sweepRows, seed: p.options.seed, betaInfluence: p.betaInfluence, onChunk: () => ctx.checkpoint() });
      ctx.progress({ stage: 'done', fraction: 1, metrics: { I_alpha_Y: report.influence.joint } });
      const result: CausalFactorsResult = {
        dir,
        classifierHash: model.hash,
        classNames: model.classNames,
        options: e.options,
        steps: e.step,
        resumedFrom,
        trainSeconds,
        backend: activeBackend()?.name ?? tf.getBackend(),
        history: e.history,
        snapshots,
        ...report,
      };
      // The latest result of each explainer is kept in the project (the Explain view and the report read it).
      if (p.data === 'project') await saveCausalFactors(requireProject(), p.name, result);
      return result;
    } finally {
      if (ex) disposeVae(ex.vae);
      if (owned) model.dispose();
    }
  },
};
