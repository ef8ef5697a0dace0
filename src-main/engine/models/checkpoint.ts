// Training checkpoints: <outDir>/checkpoint/ holds the last epoch's model (a loadable model
// folder), the optimizer state and the loop state. It is written to a temp folder and swapped
// in, so a crash mid-write leaves the previous checkpoint intact.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../jobs/errors';
import { writeFileAtomic } from './io';
import { saveLayersModel } from './load';
import type { Sidecar } from './sidecar';
import type { EpochStats, TrainOptions } from './train-options';

export const CHECKPOINT_DIR = 'checkpoint';
const STATE = 'state.json';
const OPT_JSON = 'optimizer.json';
const OPT_BIN = 'optimizer.bin';

export interface TrainState {
  version: 1;
  /** Last completed epoch. */
  epoch: number;
  options: TrainOptions;
  history: EpochStats[];
  best: { epoch: number; value: number } | null;
  /** Epochs since the best one. */
  wait: number;
  stoppedEarly: boolean;
  trainSeconds: number;
}

export function checkpointDir(outDir: string): string {
  return path.join(outDir, CHECKPOINT_DIR);
}

export async function saveCheckpoint(outDir: string, model: tf.LayersModel, sidecar: Sidecar, optimizer: tf.Optimizer, state: TrainState): Promise<void> {
  const final = checkpointDir(outDir);
  const tmp = `${final}.tmp-${process.pid}`;
  const old = `${final}.old-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  await saveLayersModel(model, tmp, sidecar);
  const weights = await optimizer.getWeights();
  const { data, specs } = await tf.io.encodeWeights(weights);
  // getWeights returns the step count as a fresh scalar (the rest are the optimizer's own variables).
  weights.filter((w) => !(w.tensor instanceof tf.Variable)).forEach((w) => w.tensor.dispose());
  writeFileAtomic(path.join(tmp, OPT_BIN), new Uint8Array(data));
  writeFileAtomic(path.join(tmp, OPT_JSON), JSON.stringify({ className: optimizer.getClassName(), specs }));
  writeFileAtomic(path.join(tmp, STATE), JSON.stringify(state, null, 1));
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(final)) fs.renameSync(final, old);
  fs.renameSync(tmp, final);
  fs.rmSync(old, { recursive: true, force: true });
}

export function readCheckpointState(outDir: string): TrainState | null {
  const file = path.join(checkpointDir(outDir), STATE);
  if (!fs.existsSync(file)) return null;
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as TrainState;
    if (s.version !== 1 || typeof s.epoch !== 'number') throw new Error('unknown version');
    return s;
  } catch (e) {
    throw new EngineError('bad_input', `${file}: unreadable checkpoint state: ${(e as Error).message}`);
  }
}

/** Restores the optimizer's slots (Adam moments, step count) saved with the checkpoint. */
export async function restoreOptimizer(outDir: string, optimizer: tf.Optimizer): Promise<void> {
  const dir = checkpointDir(outDir);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, OPT_JSON), 'utf8')) as { className: string; specs: tf.io.WeightsManifestEntry[] };
  if (meta.className !== optimizer.getClassName()) throw new EngineError('bad_input', `${path.join(dir, OPT_JSON)}: optimizer ${meta.className} does not match ${optimizer.getClassName()}`);
  const buf = fs.readFileSync(path.join(dir, OPT_BIN));
  const map = tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, meta.specs);
  // Adam matches slots to variables by position, so keep the saved order.
  await optimizer.setWeights(meta.specs.map((s) => ({ name: s.name, tensor: map[s.name] })));
  tf.dispose(Object.values(map));
}

export function removeCheckpoint(outDir: string): void {
  fs.rmSync(checkpointDir(outDir), { recursive: true, force: true });
}
