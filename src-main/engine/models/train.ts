// The training loop for the CNN family: seeded shuffling and augmentation, class weighting,
// early stopping on the validation split, a checkpoint per epoch with resume, cancel between
// batches. Written as a plain optimizer loop (not model.fit) so that it runs on the wasm
// backend with the project's own kernels, reports per batch and can stop at any batch.
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../data/image-set';
import { makeRng, permutation, subSeed } from '../data/synthetic/rng';
import { EngineError } from '../jobs/errors';
import { rocAuc } from '../metrics/roc-auc';
import { buildCnn, cnnConfig, type CnnConfig } from './architectures/cnn';
import { toModelInput } from './audited-model';
import { imageBatch, predictRows } from './batches';
import { checkpointDir, readCheckpointState, removeCheckpoint, restoreOptimizer, saveCheckpoint, type TrainState } from './checkpoint';
import { hashModelDir } from './hash';
import { wrapLayersModel, saveLayersModel } from './load';
import { fileLoadHandler } from './io';
import { parseSidecar, type Sidecar } from './sidecar';
import { TrainOptionsSchema, type EpochStats, type TrainOptions, type TrainOptionsInput } from './train-options';

export interface TrainHooks {
  /** Called per batch and per epoch; metrics: epoch, loss and, after each epoch, val_loss, val_auc, val_acc, lr. */
  progress?(u: { stage: string; fraction: number; metrics: Record<string, number> }): void;
  /** Awaited between batches; throws to cancel (the job passes ctx.checkpoint). */
  checkpoint?(): Promise<void>;
}

export interface TrainRequest {
  set: ImageSet;
  /** The trained model (best epoch) is written here; the checkpoint in its `checkpoint/` folder. */
  outDir: string;
  options?: TrainOptionsInput;
  /** Continue from outDir's checkpoint when there is one. */
  resume?: boolean;
  /** Extra provenance for the sidecar (dataset description, command...). */
  provenance?: Record<string, unknown>;
}

export interface TrainResult {
  outDir: string;
  hash: string;
  architecture: CnnConfig;
  options: TrainOptions;
  epochsRun: number;
  bestEpoch: number;
  best: EpochStats;
  history: EpochStats[];
  stoppedEarly: boolean;
  /** The epoch the run resumed after, or null for a fresh start. */
  resumedFrom: number | null;
  trainSeconds: number;
  backend: string;
}

const NORMALIZATION = { scale: 1 / 255, offset: 0 };

/** Train and val row indices: the set's own val split, or a seeded stratified cut of train. */
function splitRows(set: ImageSet, o: TrainOptions): { train: number[]; val: number[] } {
  const train: number[] = [];
  const val: number[] = [];
  set.split.forEach((s, i) => (s === 'train' ? train : s === 'val' ? val : null)?.push(i));
  if (!train.length) throw new EngineError('bad_input', `${set.name}: no training images (split 'train' is empty)`);
  if (val.length) return { train, val };
  // Splits are often sorted by label, so cut per class after a seeded shuffle.
  const rng = makeRng(subSeed(o.seed, 7));
  const keep: number[] = [];
  for (let c = 0; c < set.classNames.length; c++) {
    const rows = train.filter((i) => set.labels[i] === c);
    const order = permutation(rows.length, rng);
    const nVal = Math.round(rows.length * o.valFraction);
    order.forEach((j, k) => (k < nVal ? val : keep).push(rows[j]));
  }
  return { train: keep.sort((a, b) => a - b), val: val.sort((a, b) => a - b) };
}

function classWeights(set: ImageSet, rows: number[], mode: TrainOptions['classWeighting']): number[] {
  const k = set.classNames.length;
  const counts = new Array(k).fill(0);
  for (const i of rows) counts[set.labels[i]]++;
  return counts.map((n) => (mode === 'none' || n === 0 ? 1 : rows.length / (k * n)));
}

function learningRate(o: TrainOptions, epoch: number): number {
  if (o.schedule === 'constant') return o.learningRate;
  const t = (epoch - 1) / Math.max(1, o.epochs - 1);
  return o.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * t)));
}

function sidecarFor(set: ImageSet, arch: CnnConfig, o: TrainOptions, extra: Record<string, unknown>): Sidecar {
  return parseSidecar({
    format: 'xray-audit-model',
    version: 1,
    inputSize: arch.inputSize,
    channels: arch.channels,
    normalization: NORMALIZATION,
    classNames: set.classNames,
    positiveClass: set.positiveClass,
    output: 'probabilities',
    // No timestamp: retraining with the same seed then reproduces the model hash too.
    provenance: { source: 'xray-audit train', dataset: set.name, seed: o.seed, ...extra },
    architecture: arch,
  });
}

/** Mean unweighted cross-entropy, accuracy and positive-class ROC AUC on the given rows. */
async function validate(model: tf.LayersModel, sidecar: Sidecar, set: ImageSet, rows: number[]): Promise<{ loss: number; auc: number; acc: number }> {
  const probs = await predictRows(wrapUnowned(model, sidecar), set, rows);
  const k = set.classNames.length;
  let loss = 0;
  let correct = 0;
  const pos = new Float64Array(rows.length);
  const isPos = new Int32Array(rows.length);
  rows.forEach((i, j) => {
    const y = set.labels[i];
    loss -= Math.log(Math.max(1e-7, probs[j * k + y]));
    let arg = 0;
    for (let c = 1; c < k; c++) if (probs[j * k + c] > probs[j * k + arg]) arg = c;
    if (arg === y) correct++;
    pos[j] = probs[j * k + set.positiveClass];
    isPos[j] = y === set.positiveClass ? 1 : 0;
  });
  return { loss: loss / rows.length, auc: rocAuc(pos, isPos).value, acc: correct / rows.length };
}

/** An AuditedModel view that must not dispose the model it wraps. */
function wrapUnowned(model: tf.LayersModel, sidecar: Sidecar): ReturnType<typeof wrapLayersModel> {
  const m = wrapLayersModel(model, sidecar);
  m.dispose = () => {};
  return m;
}

function compatible(a: TrainOptions, b: TrainOptions): boolean {
  // Epochs, patience and checkpoint keeping may change on resume; what shaped the weights may not.
  const key = (o: TrainOptions): string => JSON.stringify({ ...o, epochs: 0, earlyStopping: { ...o.earlyStopping, patience: 0 }, keepCheckpoint: true });
  return key(a) === key(b);
}

export async function trainClassifier(req: TrainRequest, hooks: TrainHooks = {}): Promise<TrainResult> {
  const { set, outDir } = req;
  const parsed = TrainOptionsSchema.safeParse(req.options ?? {});
  if (!parsed.success) throw new EngineError('invalid_request', `training options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const o = parsed.data;
  const arch = cnnConfig({ inputSize: set.size, numClasses: set.classNames.length, seed: o.seed }, o.architecture);
  if (arch.numClasses !== set.classNames.length) throw new EngineError('invalid_request', `architecture.numClasses ${arch.numClasses} differs from the set's ${set.classNames.length} classes`);
  const { train, val } = splitRows(set, o);
  const weights = classWeights(set, train, o.classWeighting);
  const sidecar = sidecarFor(set, arch, o, req.provenance ?? {});
  const monitorSign = o.earlyStopping.monitor === 'val_auc' ? 1 : -1;
  fs.mkdirSync(outDir, { recursive: true });

  let state: TrainState = { version: 1, epoch: 0, options: o, history: [], best: null, wait: 0, stoppedEarly: false, trainSeconds: 0 };
  let model: tf.LayersModel;
  const optimizer = tf.train.adam(o.learningRate);
  const saved = req.resume ? readCheckpointState(outDir) : null;
  if (saved) {
    if (!compatible(saved.options, o)) {
      optimizer.dispose();
      throw new EngineError('invalid_request', `${checkpointDir(outDir)}: the checkpoint was trained with other settings (architecture, seed, data options); start without resume or use another output folder`);
    }
    model = await tf.loadLayersModel(fileLoadHandler(checkpointDir(outDir)));
    await restoreOptimizer(outDir, optimizer);
    state = { ...saved, options: o, stoppedEarly: false };
  } else {
    removeCheckpoint(outDir);
    model = buildCnn(arch);
  }
  const resumedFrom = saved ? saved.epoch : null;
  // Loss from the logits (numerically stable); shares the model's layers and weights.
  const logitsModel = tf.model({ inputs: model.inputs, outputs: model.getLayer('logits').output as tf.SymbolicTensor });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const nBatches = Math.ceil(train.length / o.batchSize);
  const k = set.classNames.length;

  try {
    for (let epoch = state.epoch + 1; epoch <= o.epochs; epoch++) {
      if (o.earlyStopping.patience > 0 && state.wait >= o.earlyStopping.patience) {
        state.stoppedEarly = true;
        break;
      }
      const t0 = Date.now();
      const lr = learningRate(o, epoch);
      // Adam reads its rate on every step; tfjs only hides the field.
      (optimizer as unknown as { learningRate: number }).learningRate = lr;
      const order = permutation(train.length, makeRng(subSeed(o.seed, epoch, 1))).map((j) => train[j]);
      const augRng = makeRng(subSeed(o.seed, epoch, 2));
      let lossSum = 0;
      for (let b = 0; b < nBatches; b++) {
        await hooks.checkpoint?.();
        const rows = order.slice(b * o.batchSize, (b + 1) * o.batchSize);
        const x = imageBatch(set, rows, arch.inputSize, o.augment || null, augRng);
        const y = tf.tidy(() => tf.oneHot(tf.tensor1d(rows.map((i) => set.labels[i]), 'int32'), k));
        const w = tf.tensor1d(rows.map((i) => weights[set.labels[i]]));
        const loss = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(y, logitsModel.apply(toModelInput(x, sidecar), { training: true }) as tf.Tensor, w) as tf.Scalar,
          true,
          vars,
        )!;
        const lv = (await loss.data())[0];
        tf.dispose([x, y, w, loss]);
        if (!Number.isFinite(lv)) throw new EngineError('internal', `training diverged at epoch ${epoch}, batch ${b + 1} (loss ${lv}); lower the learning rate`);
        lossSum += lv;
        hooks.progress?.({ stage: `epoch ${epoch}/${o.epochs}`, fraction: Math.min(1, (epoch - 1 + (b + 1) / nBatches) / o.epochs), metrics: { epoch, batch: b + 1, loss: lossSum / (b + 1), lr } });
      }
      const v = await validate(model, sidecar, set, val);
      const stats: EpochStats = { epoch, loss: lossSum / nBatches, val_loss: v.loss, val_auc: v.auc, val_acc: v.acc, lr, seconds: (Date.now() - t0) / 1000 };
      state.history.push(stats);
      state.epoch = epoch;
      state.trainSeconds += stats.seconds;
      const value = o.earlyStopping.monitor === 'val_auc' ? v.auc : v.loss;
      if (!state.best || monitorSign * (value - state.best.value) > o.earlyStopping.minDelta || Number.isNaN(state.best.value)) {
        state.best = { epoch, value };
        state.wait = 0;
        await saveLayersModel(model, outDir, { ...sidecar, provenance: { ...sidecar.provenance, epoch } });
      } else {
        state.wait++;
      }
      await saveCheckpoint(outDir, model, sidecar, optimizer, state);
      const { seconds: _s, ...metrics } = stats;
      hooks.progress?.({ stage: `epoch ${epoch}/${o.epochs}`, fraction: epoch / o.epochs, metrics: { ...metrics, best_epoch: state.best.epoch } });
    }
    if (o.earlyStopping.patience > 0 && state.wait >= o.earlyStopping.patience && state.epoch < o.epochs) state.stoppedEarly = true;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
  if (!o.keepCheckpoint) removeCheckpoint(outDir);
  const best = state.history.find((h) => h.epoch === state.best?.epoch);
  if (!best) throw new EngineError('internal', 'training ended without a completed epoch');
  return {
    outDir,
    hash: hashModelDir(outDir),
    architecture: arch,
    options: o,
    epochsRun: state.epoch,
    bestEpoch: best.epoch,
    best,
    history: state.history,
    stoppedEarly: state.stoppedEarly,
    resumedFrom,
    trainSeconds: state.trainSeconds,
    backend: tf.getBackend(),
  };
}
