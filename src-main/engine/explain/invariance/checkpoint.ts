// Surrogate training checkpoints: weights, Adam's slots and the loop state after each epoch, in
// <dir>/ written to a temp folder and swapped in (a crash mid-write keeps the previous one).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../../jobs/errors';
import { writeFileAtomic } from '../../models/io';
import type { Surrogate, SurrogateConfig } from './surrogate';

export interface SurrogateEpoch {
  epoch: number;
  /** Means over the epoch's batches: loss = -L, and the objective's parts. */
  loss: number;
  parts: Record<string, number>;
  /** Evaluation after the epoch (see evaluateSurrogate). */
  eval: Record<string, number>;
  seconds: number;
}

export interface SurrogateTrainState {
  version: 1;
  epoch: number;
  config: SurrogateConfig;
  /** Training settings that shape the weights (batch size, rate, data): must match on resume. */
  settings: Record<string, unknown>;
  history: SurrogateEpoch[];
  trainSeconds: number;
}

const STATE = 'state.json';

export async function saveSurrogateCheckpoint(dir: string, s: Surrogate, optimizer: tf.Optimizer, state: SurrogateTrainState): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const w = await s.params.encode();
  writeFileAtomic(path.join(tmp, 'weights.bin'), w.data);
  writeFileAtomic(path.join(tmp, 'weights.json'), JSON.stringify(w.specs));
  const ow = await optimizer.getWeights();
  const o = await tf.io.encodeWeights(ow);
  // getWeights returns the step count as a fresh scalar; the slots are the optimizer's own variables.
  ow.filter((x) => !(x.tensor instanceof tf.Variable)).forEach((x) => x.tensor.dispose());
  writeFileAtomic(path.join(tmp, 'optimizer.bin'), new Uint8Array(o.data));
  writeFileAtomic(path.join(tmp, 'optimizer.json'), JSON.stringify({ className: optimizer.getClassName(), specs: o.specs }));
  writeFileAtomic(path.join(tmp, STATE), JSON.stringify(state, null, 1));
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(dir)) fs.renameSync(dir, old);
  fs.renameSync(tmp, dir);
  fs.rmSync(old, { recursive: true, force: true });
}

export function readSurrogateCheckpoint(dir: string): SurrogateTrainState | null {
  const file = path.join(dir, STATE);
  if (!fs.existsSync(file)) return null;
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as SurrogateTrainState;
    if (s.version !== 1 || typeof s.epoch !== 'number') throw new Error('unknown version');
    return s;
  } catch (e) {
    throw new EngineError('bad_input', `${file}: unreadable checkpoint: ${(e as Error).message}`);
  }
}

/** Loads the checkpoint's weights into `s` and its slots into `optimizer` (Adam matches slots by position). */
export async function restoreSurrogateCheckpoint(dir: string, s: Surrogate, optimizer: tf.Optimizer): Promise<void> {
  const bytes = (f: string): Uint8Array => {
    const b = fs.readFileSync(path.join(dir, f));
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  };
  s.params.load(JSON.parse(fs.readFileSync(path.join(dir, 'weights.json'), 'utf8')), bytes('weights.bin'), dir);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'optimizer.json'), 'utf8')) as { className: string; specs: tf.io.WeightsManifestEntry[] };
  if (meta.className !== optimizer.getClassName()) throw new EngineError('bad_input', `${dir}: optimizer ${meta.className} does not match ${optimizer.getClassName()}`);
  const b = bytes('optimizer.bin');
  const map = tf.io.decodeWeights(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer, meta.specs);
  await optimizer.setWeights(meta.specs.map((sp) => ({ name: sp.name, tensor: map[sp.name] })));
  tf.dispose(Object.values(map));
}

export function removeSurrogateCheckpoint(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
