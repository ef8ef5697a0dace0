// Trains an exaggeration explainer against a frozen classifier on an image set: seeded batches
// and target bins (reproducible and resumable from any checkpoint), a linear learning-rate decay
// over the second half, progress with every loss term, a sample series grid every N steps,
// checkpoints every M steps (and on cancel), and the explainer saved with the classifier's hash.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../data/image-set';
import { makeRng, permutation, subSeed } from '../../data/synthetic/rng';
import { CancelledError, EngineError } from '../../jobs/errors';
import type { AuditedModel } from '../../models/audited-model';
import { imageBatch, predictPositive } from '../../models/batches';
import { binsOf } from './bins';
import {
  checkpointDir,
  readExplainerCheckpointState,
  removeExplainerCheckpoint,
  restoreExplainerCheckpoint,
  saveExplainerCheckpoint,
  type ExplainerTrainState,
  type HistoryEntry,
} from './checkpoint';
import { explainerArch, ExplainerTrainOptionsSchema, type ExplainerArch, type ExplainerTrainOptions, type ExplainerTrainOptionsInput } from './config';
import { classifierRef, ExaggerationExplainer } from './explainer';
import { saveExplainer } from './io';
import { renderSample, SAMPLES_DIR, type TrainingSample } from './sample';
import { ExaggerationStep, LOSS_KEYS, type StepLosses } from './step';

export interface ExplainerTrainRequest {
  /** The classifier to explain (frozen); its hash is saved with the explainer. */
  model: AuditedModel;
  set: ImageSet;
  /** Rows to train on; default the 'train' split (all rows when the set has none). */
  rows?: number[];
  /** The explainer is written here; checkpoint/ and samples/ inside. */
  outDir: string;
  options?: ExplainerTrainOptionsInput;
  /** Continue from outDir's checkpoint when there is one. */
  resume?: boolean;
  /** Extra provenance recorded in explainer.json (data description, command...). */
  provenance?: Record<string, unknown>;
}

export interface ExplainerTrainHooks {
  /** Per step: the step's loss terms (means over the last steps), step, lr; fraction of the job. */
  progress?(u: { stage: string; fraction: number; metrics: Record<string, number> }): void;
  /** Awaited between steps; throws to cancel (the job passes ctx.checkpoint). */
  checkpoint?(): Promise<void>;
  /** After each sample grid is written. */
  sample?(s: TrainingSample): void;
}

export interface ExplainerTrainResult {
  outDir: string;
  /** Hash of the saved explainer folder (explainer.json + weights.bin). */
  hash: string;
  classifierHash: string | null;
  architecture: ExplainerArch;
  options: ExplainerTrainOptions;
  steps: number;
  /** The step the run resumed after, or null for a fresh start. */
  resumedFrom: number | null;
  trainSeconds: number;
  /** Mean loss terms per window of steps. */
  history: HistoryEntry[];
  samples: TrainingSample[];
  parameters: number;
  weightBytes: number;
  backend: string;
}

/** Loss means are logged over windows of this many steps. */
const HISTORY_EVERY = 50;

function defaultRows(set: ImageSet): number[] {
  const train = set.split.flatMap((s, i) => (s === 'train' ? [i] : []));
  return train.length ? train : Array.from(set.labels, (_, i) => i);
}

function dataKey(set: ImageSet, rows: number[]): string {
  const h = crypto.createHash('sha256');
  const px = set.size * set.size;
  for (const i of rows) h.update(set.images.subarray(i * px, (i + 1) * px));
  return `${rows.length}:${h.digest('hex').slice(0, 32)}`;
}

/** Both rates: constant over the first half, then linear decay to finalLrFraction. */
function lrFactor(o: ExplainerTrainOptions, step: number): number {
  const half = o.steps / 2;
  if (step <= half) return 1;
  return 1 - (1 - o.finalLrFraction) * ((step - half) / Math.max(1, o.steps - half));
}

function setRate(opt: tf.Optimizer, lr: number): void {
  // Adam reads its rate on every step; tfjs only hides the field.
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

/** Settings that shaped the weights must match on resume; steps, sampling and checkpointing may change. */
function compatible(a: ExplainerTrainOptions, b: ExplainerTrainOptions): boolean {
  const key = (o: ExplainerTrainOptions): string => JSON.stringify({ ...o, steps: 0, sampleEvery: 0, checkpointEvery: 0, keepCheckpoint: true, finalLrFraction: 0 });
  return key(a) === key(b);
}

/** Preview queries for the sample grids: training rows at f quantiles 0.1, 0.4, 0.6, 0.9. */
function previewRows(rows: number[], p: Float32Array): number[] {
  const order = rows.map((_, j) => j).sort((a, b) => p[a] - p[b]);
  const picks = [0.1, 0.4, 0.6, 0.9].map((q) => rows[order[Math.min(order.length - 1, Math.floor(q * order.length))]]);
  return [...new Set(picks)];
}

export async function trainExplainer(req: ExplainerTrainRequest, hooks: ExplainerTrainHooks = {}): Promise<ExplainerTrainResult> {
  const { model, set, outDir } = req;
  const parsed = ExplainerTrainOptionsSchema.safeParse(req.options ?? {});
  if (!parsed.success) throw new EngineError('invalid_request', `explainer training options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const o = parsed.data;
  const arch = explainerArch(model.inputSize, { seed: o.seed }, o.architecture);
  const rows = req.rows ?? defaultRows(set);
  if (rows.length < o.batchSize) throw new EngineError('bad_input', `${set.name}: ${rows.length} training images, fewer than one batch of ${o.batchSize}`);
  fs.mkdirSync(outDir, { recursive: true });

  hooks.progress?.({ stage: 'scoring training images', fraction: 0, metrics: {} });
  const p0 = await predictPositive(model, set, rows);
  const identity = binsOf(p0, arch.bins);
  const key = dataKey(set, rows);

  const explainer = new ExaggerationExplainer(arch, classifierRef(model), o.weights, { discriminator: true });
  const optG = tf.train.adam(o.learningRate, o.beta1, o.beta2);
  const optD = tf.train.adam(o.discLearningRate, o.beta1, o.beta2);
  let state: ExplainerTrainState = { version: 1, step: 0, options: o, architecture: arch, classifierHash: model.hash, dataKey: key, history: [], trainSeconds: 0 };
  const samples: TrainingSample[] = [];
  try {
    const saved = req.resume ? readExplainerCheckpointState(outDir) : null;
    if (saved) {
      const why =
        saved.classifierHash !== model.hash
          ? 'it was trained for another classifier'
          : JSON.stringify(saved.architecture) !== JSON.stringify(arch) || !compatible(saved.options, o)
            ? 'it was trained with other settings (architecture, loss weights, batch, rates or seed)'
            : saved.dataKey !== key
              ? 'it was trained on other images'
              : null;
      if (why) throw new EngineError('invalid_request', `${checkpointDir(outDir)}: cannot resume: ${why}; start without resume or use another name`);
      await restoreExplainerCheckpoint(outDir, explainer, optG, optD);
      state = { ...saved, options: o };
    } else {
      removeExplainerCheckpoint(outDir);
      fs.rmSync(path.join(outDir, SAMPLES_DIR), { recursive: true, force: true });
    }
    const resumedFrom = saved ? saved.step : null;
    const stepper = new ExaggerationStep(explainer, model, o.weights, optG, optD);
    const preview = previewRows(rows, p0);
    const perEpoch = Math.floor(rows.length / o.batchSize);
    let perm: number[] = [];
    let permEpoch = -1;
    const window: StepLosses[] = [];
    let windowSeconds = 0;

    const mean = (list: StepLosses[]): StepLosses => Object.fromEntries(LOSS_KEYS.map((k) => [k, list.reduce((a, l) => a + l[k], 0) / Math.max(1, list.length)])) as unknown as StepLosses;
    const saveCheckpoint = (): Promise<void> => saveExplainerCheckpoint(outDir, explainer, optG, optD, state);

    try {
      for (let step = state.step + 1; step <= o.steps; step++) {
        await hooks.checkpoint?.();
        const t0 = Date.now();
        const lr = lrFactor(o, step);
        setRate(optG, o.learningRate * lr);
        setRate(optD, o.discLearningRate * lr);
        // Seeded from (seed, step) alone, so a resumed run draws what the uninterrupted one would.
        const epoch = Math.floor((step - 1) / perEpoch);
        if (epoch !== permEpoch) {
          perm = permutation(rows.length, makeRng(subSeed(o.seed, epoch, 1)));
          permEpoch = epoch;
        }
        const b = (step - 1) % perEpoch;
        const idx = perm.slice(b * o.batchSize, (b + 1) * o.batchSize);
        const batchRows = idx.map((j) => rows[j]);
        const rng = makeRng(subSeed(o.seed, step, 2));
        const target = Int32Array.from(idx, () => Math.floor(rng() * arch.bins));
        const x = imageBatch(set, batchRows, arch.imageSize);
        let losses: StepLosses;
        try {
          losses = await stepper.run(x, Int32Array.from(idx, (j) => identity[j]), target);
        } finally {
          x.dispose();
        }
        if (!LOSS_KEYS.every((k) => Number.isFinite(losses[k]))) throw new EngineError('internal', `explainer training diverged at step ${step} (${LOSS_KEYS.map((k) => `${k} ${losses[k]}`).join(', ')}); lower the learning rates`);
        const dt = (Date.now() - t0) / 1000;
        state.trainSeconds += dt;
        windowSeconds += dt;
        state.step = step;
        window.push(losses);
        const m = mean(window.slice(-HISTORY_EVERY));
        hooks.progress?.({ stage: `step ${step}/${o.steps}`, fraction: step / o.steps, metrics: { step, ...m, lr: o.learningRate * lr, steps_per_second: 1 / Math.max(1e-6, dt) } });
        if (step % HISTORY_EVERY === 0 || step === o.steps) {
          state.history.push({ step, seconds: Math.round(windowSeconds * 10) / 10, ...mean(window) });
          window.length = 0;
          windowSeconds = 0;
        }
        if ((o.sampleEvery > 0 && step % o.sampleEvery === 0) || step === o.steps) {
          const s = await renderSample(explainer, model, set, preview, outDir, step);
          samples.push(s);
          hooks.sample?.(s);
          hooks.progress?.({ stage: `step ${step}/${o.steps}`, fraction: step / o.steps, metrics: { step, sample_step: step, sample_in_target_bin: s.inTargetBin } });
        }
        if (o.checkpointEvery > 0 && step % o.checkpointEvery === 0 && step < o.steps) await saveCheckpoint();
      }
    } catch (e) {
      // Keep the work done so far: resume continues from here.
      if (e instanceof CancelledError && state.step > (resumedFrom ?? 0)) await saveCheckpoint();
      throw e;
    }
    if (o.keepCheckpoint) await saveCheckpoint();
    else removeExplainerCheckpoint(outDir);
    const training = {
      ...(req.provenance ?? {}),
      dataset: set.name,
      images: rows.length,
      dataKey: key,
      options: o,
      steps: state.step,
      trainSeconds: Math.round(state.trainSeconds * 10) / 10,
      backend: tf.getBackend(),
      tfjs: tf.version.tfjs,
      finalLosses: state.history.at(-1) ?? null,
    };
    const hash = await saveExplainer(explainer, outDir, training);
    return {
      outDir,
      hash,
      classifierHash: model.hash,
      architecture: arch,
      options: o,
      steps: state.step,
      resumedFrom,
      trainSeconds: state.trainSeconds,
      history: state.history,
      samples,
      parameters: explainer.parameterCount(),
      weightBytes: fs.statSync(path.join(outDir, 'weights.bin')).size,
      backend: tf.getBackend(),
    };
  } finally {
    optG.dispose();
    optD.dispose();
    explainer.dispose();
  }
}
