// Training checkpoints of an explainer: <outDir>/checkpoint/ holds every weight (discriminator
// and power-iteration vectors included), both Adam optimisers' slots and the loop state. Written
// to a temp folder and swapped in, so a crash mid-write leaves the previous checkpoint intact.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../../models/io';
import { EngineError } from '../../jobs/errors';
import type { ExplainerArch, ExplainerTrainOptions } from './config';
import type { ExaggerationExplainer } from './explainer';
import { decodeTensors, encodeTensors } from './io';
import type { StepLosses } from './step';

export const CHECKPOINT_DIR = 'checkpoint';
const STATE = 'state.json';

/** Mean losses over a window of steps. */
export type HistoryEntry = { step: number; seconds: number } & StepLosses;

export interface ExplainerTrainState {
  version: 1;
  /** Steps completed. */
  step: number;
  options: ExplainerTrainOptions;
  architecture: ExplainerArch;
  classifierHash: string | null;
  /** Identifies the training images (count and a hash of their pixels). */
  dataKey: string;
  history: HistoryEntry[];
  trainSeconds: number;
}

export function checkpointDir(outDir: string): string {
  return path.join(outDir, CHECKPOINT_DIR);
}

async function writeTensors(dir: string, base: string, tensors: tf.NamedTensorMap, extra: Record<string, unknown> = {}): Promise<void> {
  const { bytes, specs } = await encodeTensors(tensors);
  writeFileAtomic(path.join(dir, `${base}.bin`), bytes);
  writeFileAtomic(path.join(dir, `${base}.json`), JSON.stringify({ ...extra, specs }));
}

function readTensors(dir: string, base: string): { values: tf.NamedTensorMap; specs: tf.io.WeightsManifestEntry[]; meta: Record<string, unknown> } {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, `${base}.json`), 'utf8')) as { specs: tf.io.WeightsManifestEntry[] } & Record<string, unknown>;
  return { values: decodeTensors(fs.readFileSync(path.join(dir, `${base}.bin`)), meta.specs), specs: meta.specs, meta };
}

async function optimizerTensors(opt: tf.Optimizer): Promise<{ tensors: tf.NamedTensorMap; fresh: tf.Tensor[] }> {
  const weights = await opt.getWeights();
  // getWeights returns the step count as a fresh scalar (the rest are the optimiser's own variables).
  const fresh = weights.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor);
  // Named by position: Adam pairs slots with variables by order, not by name.
  return { tensors: Object.fromEntries(weights.map((w, i) => [`${String(i).padStart(4, '0')}:${w.name}`, w.tensor])), fresh };
}

export async function saveExplainerCheckpoint(outDir: string, explainer: ExaggerationExplainer, optG: tf.Optimizer, optD: tf.Optimizer, state: ExplainerTrainState): Promise<void> {
  const final = checkpointDir(outDir);
  const tmp = `${final}.tmp-${process.pid}`;
  const old = `${final}.old-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  await writeTensors(tmp, 'weights', explainer.store.tensors());
  for (const [name, opt] of [['optimizer-g', optG], ['optimizer-d', optD]] as const) {
    const { tensors, fresh } = await optimizerTensors(opt);
    await writeTensors(tmp, name, tensors, { className: opt.getClassName() });
    tf.dispose(fresh);
  }
  writeFileAtomic(path.join(tmp, STATE), JSON.stringify(state, null, 1));
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(final)) fs.renameSync(final, old);
  fs.renameSync(tmp, final);
  fs.rmSync(old, { recursive: true, force: true });
}

export function readExplainerCheckpointState(outDir: string): ExplainerTrainState | null {
  const file = path.join(checkpointDir(outDir), STATE);
  if (!fs.existsSync(file)) return null;
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as ExplainerTrainState;
    if (s.version !== 1 || typeof s.step !== 'number') throw new Error('unknown version');
    return s;
  } catch (e) {
    throw new EngineError('bad_input', `${file}: unreadable checkpoint state: ${(e as Error).message}`);
  }
}

/** Restores every weight of the explainer and both optimisers' slots. */
export async function restoreExplainerCheckpoint(outDir: string, explainer: ExaggerationExplainer, optG: tf.Optimizer, optD: tf.Optimizer): Promise<void> {
  const dir = checkpointDir(outDir);
  try {
    const w = readTensors(dir, 'weights');
    try {
      explainer.store.assign(w.values, ['encoder', 'generator', 'discriminator'], path.join(dir, 'weights.bin'));
    } finally {
      tf.dispose(Object.values(w.values));
    }
    for (const [name, opt] of [['optimizer-g', optG], ['optimizer-d', optD]] as const) {
      const o = readTensors(dir, name);
      if (o.meta.className !== opt.getClassName()) throw new Error(`${name}: optimiser ${String(o.meta.className)} does not match ${opt.getClassName()}`);
      await opt.setWeights(o.specs.map((s) => ({ name: s.name.slice(5), tensor: o.values[s.name] })));
      tf.dispose(Object.values(o.values));
    }
  } catch (e) {
    if (e instanceof EngineError) throw e;
    throw new EngineError('bad_input', `${dir}: cannot restore the checkpoint: ${(e as Error).message}`);
  }
}

export function removeExplainerCheckpoint(outDir: string): void {
  fs.rmSync(checkpointDir(outDir), { recursive: true, force: true });
}
