// Training loop for the surrogates (SVAE or M2): seeded shuffling and reparameterisation noise,
// Adam, progress per batch (loss and the objective's terms) and per epoch (accuracy, agreement
// with the audited classifier, reconstruction), a checkpoint per epoch with resume, cancel
// between batches. A plain optimizer loop, so it runs on the wasm backend.
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../data/image-set';
import { makeRng, permutation, subSeed } from '../../data/synthetic/rng';
import { EngineError } from '../../jobs/errors';
import { imageBatch } from '../../models/batches';
import { readSurrogateCheckpoint, removeSurrogateCheckpoint, restoreSurrogateCheckpoint, saveSurrogateCheckpoint, type SurrogateEpoch, type SurrogateTrainState } from './checkpoint';
import { evaluateSurrogate } from './evaluate';
import { createSurrogate, surrogateConfig } from './factory';
import type { SurrogateOptionsInput } from '../../../api/schemas/invariance';
import { SurrogateOptionsSchema, type SurrogateOptions } from '../../../api/schemas/invariance';
import type { Surrogate } from './surrogate';

export interface SurrogateTrainHooks {
  progress?(u: { stage: string; fraction: number; metrics: Record<string, number> }): void;
  /** Awaited between batches; throws to cancel. */
  checkpoint?(): Promise<void>;
}

export interface SurrogateTrainRequest {
  set: ImageSet;
  /** Input size (the audited model's); set images are resized when they differ. */
  size: number;
  classNames: string[];
  trainRows: number[];
  /** Per set row: the labels to learn (true labels or the audited model's decisions), in classNames' indices. */
  targets: Int32Array;
  evalRows?: number[];
  trueLabels?: Int32Array | null;
  audited?: Int32Array | null;
  options?: SurrogateOptionsInput;
  /** Labels for augmented batches (the audited model's decisions on them); without it augmented images keep their row's target. */
  relabel?: (x: tf.Tensor4D) => Promise<Int32Array>;
  /**
   * The audited classifier, differentiable (probabilities [N, K] for 0..1 images): the soft
   * targets of option softTargets and the decision term of option decisionWeight come from it.
   */
  model?: ((x: tf.Tensor4D) => tf.Tensor2D) | null;
  /** Folder for the per-epoch checkpoint (none when absent). */
  checkpointDir?: string | null;
  resume?: boolean;
  /** Keep the checkpoint once training ends (to extend it later). */
  keepCheckpoint?: boolean;
}

export interface SurrogateTrainResult {
  surrogate: Surrogate;
  history: SurrogateEpoch[];
  epochsRun: number;
  resumedFrom: number | null;
  trainSeconds: number;
  backend: string;
}

function settingsOf(req: SurrogateTrainRequest, batchSize: number, learningRate: number, augment: unknown, extra: Record<string, unknown>): Record<string, unknown> {
  // What shaped the weights besides the config (the epoch count may grow on resume): rows and targets by a checksum.
  let h = 0;
  for (const i of req.trainRows) h = (Math.imul(h, 31) + i * 17 + req.targets[i]) >>> 0;
  return { batchSize, learningRate, augment, relabel: Boolean(req.relabel), rows: req.trainRows.length, rowsHash: h, ...extra };
}

/** The decision term in effect: 'auto' is the audited classifier for an SVAE on its decisions (when the classifier is given), else off; weight 0 is off. */
export function decisionTermOf(o: Pick<SurrogateOptions, 'decisionTerm' | 'decisionWeight' | 'model' | 'labels'>, hasModel: boolean): 'off' | 'audited' | 'surrogate' {
  if (o.decisionWeight <= 0) return 'off';
  if (o.decisionTerm === 'auto') return o.model === 'svae' && o.labels === 'model' && hasModel ? 'audited' : 'off';
  return o.decisionTerm;
}

/** The batch's label tensor [N, K]: the model's probabilities (soft targets), else one-hot of the decisions or the rows' targets. */
async function batchLabels(req: SurrogateTrainRequest, o: SurrogateOptions, x: tf.Tensor4D, rows: number[], k: number): Promise<tf.Tensor2D> {
  if (o.softTargets && req.model) return tf.tidy(() => req.model!(x));
  const labels = o.augment && req.relabel ? await req.relabel(x) : Int32Array.from(rows, (i) => req.targets[i]);
  return tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), k).toFloat() as tf.Tensor2D);
}

export async function trainSurrogate(req: SurrogateTrainRequest, hooks: SurrogateTrainHooks = {}): Promise<SurrogateTrainResult> {
  const parsed = SurrogateOptionsSchema.safeParse(req.options ?? {});
  if (!parsed.success) throw new EngineError('invalid_request', `surrogate options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const o = parsed.data;
  if (!req.trainRows.length) throw new EngineError('bad_input', 'no training images for the surrogate');
  const config = surrogateConfig(o, req.size, req.classNames);
  const k = config.classNames.length;
  const term = decisionTermOf(o, Boolean(req.model));
  if ((o.softTargets || term === 'audited') && (o.labels !== 'model' || !req.model)) throw new EngineError('invalid_request', 'softTargets and the audited decision term need labels "model" and the audited classifier');
  if (term !== 'off' && o.model !== 'svae') throw new EngineError('invalid_request', 'the decision term applies to the SVAE only');
  // Recorded only when used, so that checkpoints written before these options still resume.
  const extra = o.softTargets || term !== 'off' ? { softTargets: o.softTargets, decisionTerm: term, decisionWeight: o.decisionWeight } : {};
  const settings = settingsOf(req, o.batchSize, o.learningRate, o.augment, extra);
  const surrogate = createSurrogate(config);
  const decision = term === 'off' ? undefined : { weight: o.decisionWeight, decide: term === 'audited' ? req.model! : (x: tf.Tensor4D) => surrogate.classify(x) };
  const optimizer = tf.train.adam(o.learningRate);
  let state: SurrogateTrainState = { version: 1, epoch: 0, config, settings, history: [], trainSeconds: 0 };
  const dir = req.checkpointDir ?? null;
  let resumedFrom: number | null = null;
  try {
    const saved = dir && req.resume ? readSurrogateCheckpoint(dir) : null;
    if (saved) {
      if (JSON.stringify(saved.config) !== JSON.stringify(config) || JSON.stringify(saved.settings) !== JSON.stringify(settings)) {
        throw new EngineError('invalid_request', `${dir}: the checkpoint was trained with other settings or data; start without resume`);
      }
      await restoreSurrogateCheckpoint(dir!, surrogate, optimizer);
      state = saved;
      resumedFrom = saved.epoch;
    } else if (dir) {
      removeSurrogateCheckpoint(dir);
    }
    const vars = surrogate.params.list();
    const nBatches = Math.ceil(req.trainRows.length / o.batchSize);
    for (let epoch = state.epoch + 1; epoch <= o.epochs; epoch++) {
      const t0 = Date.now();
      const order = permutation(req.trainRows.length, makeRng(subSeed(o.seed, epoch, 1))).map((j) => req.trainRows[j]);
      const augRng = o.augment ? makeRng(subSeed(o.seed, epoch, 3)) : null;
      const sums: Record<string, number> = {};
      let lossSum = 0;
      for (let b = 0; b < nBatches; b++) {
        await hooks.checkpoint?.();
        const rows = order.slice(b * o.batchSize, (b + 1) * o.batchSize);
        const x = imageBatch(req.set, rows, config.size, o.augment || null, augRng);
        const y = await batchLabels(req, o, x, rows, k);
        let names: string[] = [];
        let kept: tf.Tensor | null = null;
        const loss = optimizer.minimize(
          () => {
            const t = surrogate.terms(x, y, subSeed(o.seed, epoch, b + 2), decision);
            names = Object.keys(t.parts);
            // The parts' batch means leave the gradient scope with the loss, read together once.
            kept = tf.keep(tf.stack(names.map((n) => tf.mean(t.parts[n]))));
            return tf.neg(tf.mean(t.objective)) as tf.Scalar;
          },
          true,
          vars,
        )!;
        const lv = (await loss.data())[0];
        const pv = await kept!.data();
        tf.dispose([x, y, loss, kept!]);
        if (!Number.isFinite(lv)) throw new EngineError('internal', `surrogate training diverged at epoch ${epoch}, batch ${b + 1} (loss ${lv}); lower the learning rate`);
        lossSum += lv;
        names.forEach((n, j) => (sums[n] = (sums[n] ?? 0) + pv[j]));
        const means = Object.fromEntries(names.map((n) => [n, sums[n] / (b + 1)]));
        hooks.progress?.({ stage: `epoch ${epoch}/${o.epochs}`, fraction: Math.min(1, (epoch - 1 + (b + 1) / nBatches) / o.epochs), metrics: { epoch, batch: b + 1, loss: lossSum / (b + 1), ...means } });
      }
      const ev = req.evalRows?.length ? await evaluateSurrogate(surrogate, { set: req.set, rows: req.evalRows, targets: req.targets, trueLabels: req.trueLabels, audited: req.audited, seed: subSeed(o.seed, epoch, 0) }) : null;
      const { n: _n, ...evalMetrics } = ev ?? { n: 0 };
      const stats: SurrogateEpoch = {
        epoch,
        loss: lossSum / nBatches,
        parts: Object.fromEntries(Object.entries(sums).map(([n, v]) => [n, v / nBatches])),
        eval: evalMetrics as Record<string, number>,
        seconds: (Date.now() - t0) / 1000,
      };
      state.history.push(stats);
      state.epoch = epoch;
      state.trainSeconds += stats.seconds;
      if (dir) await saveSurrogateCheckpoint(dir, surrogate, optimizer, state);
      hooks.progress?.({ stage: `epoch ${epoch}/${o.epochs}`, fraction: epoch / o.epochs, metrics: { epoch, loss: stats.loss, ...stats.parts, ...stats.eval } });
    }
  } catch (e) {
    surrogate.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
  if (dir && !req.keepCheckpoint) removeSurrogateCheckpoint(dir);
  return { surrogate, history: state.history, epochsRun: state.epoch, resumedFrom, trainSeconds: state.trainSeconds, backend: tf.getBackend() };
}
