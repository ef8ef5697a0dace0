// Saving an explainer: explainer.json (options, step, history, the hash of the classifier it
// explains, parameter manifest) and weights.bin (float32, manifest order). Loading refuses an
// explainer trained against another classifier. Resume restores the weights and the step count;
// Adam's moment estimates are not saved (a resumed run restarts them).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../../jobs/errors';
import { writeFileAtomic } from '../../models/io';
import { createVae, type VaeParams } from './architecture';
import type { Explainer, ExplainerTrainOptions, StepStats } from './train';

export const EXPLAINER_FILE = 'explainer.json';
export const EXPLAINER_WEIGHTS = 'weights.bin';

interface Manifest {
  format: 'xray-audit-causal-explainer';
  version: 1;
  classifierHash: string | null;
  inputSize: number;
  options: ExplainerTrainOptions;
  step: number;
  history: StepStats[];
  weights: { name: string; shape: number[] }[];
  savedAt: string;
}

const entries = (vae: VaeParams): [string, tf.Variable][] => [...[...vae.encoder].map(([n, v]) => [`encoder/${n}`, v] as [string, tf.Variable]), ...[...vae.decoder].map(([n, v]) => [`decoder/${n}`, v] as [string, tf.Variable])];

export async function saveExplainer(dir: string, ex: Explainer, classifierHash: string | null): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const list = entries(ex.vae);
  const parts: Float32Array[] = [];
  for (const [, v] of list) parts.push((await v.data()) as Float32Array);
  const total = parts.reduce((a, p) => a + p.length, 0);
  const buf = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    buf.set(p, o);
    o += p.length;
  }
  const manifest: Manifest = {
    format: 'xray-audit-causal-explainer',
    version: 1,
    classifierHash,
    inputSize: ex.vae.config.inputSize,
    options: ex.options,
    step: ex.step,
    history: ex.history,
    weights: list.map(([name, v]) => ({ name, shape: v.shape })),
    savedAt: new Date().toISOString(),
  };
  writeFileAtomic(path.join(dir, EXPLAINER_WEIGHTS), Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
  writeFileAtomic(path.join(dir, EXPLAINER_FILE), Buffer.from(JSON.stringify(manifest, null, 1)));
}

export function hasExplainer(dir: string): boolean {
  return fs.existsSync(path.join(dir, EXPLAINER_FILE)) && fs.existsSync(path.join(dir, EXPLAINER_WEIGHTS));
}

/** Loads an explainer; refuses one saved for a different classifier hash. */
export async function loadExplainer(dir: string, classifierHash: string | null): Promise<Explainer> {
  if (!hasExplainer(dir)) throw new EngineError('not_found', `${dir}: no saved explainer`);
  const m = JSON.parse(fs.readFileSync(path.join(dir, EXPLAINER_FILE), 'utf8')) as Manifest;
  if (m.format !== 'xray-audit-causal-explainer' || m.version !== 1) throw new EngineError('bad_input', `${dir}: not an explainer file`);
  if (m.classifierHash && classifierHash && m.classifierHash !== classifierHash) {
    throw new EngineError('invalid_request', `${dir}: this explainer was trained for another classifier (hash ${m.classifierHash.slice(0, 12)}, loaded ${classifierHash.slice(0, 12)})`);
  }
  const bytes = fs.readFileSync(path.join(dir, EXPLAINER_WEIGHTS));
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const o = m.options;
  const vae = createVae({ inputSize: m.inputSize, k: o.k, l: o.l, filters: o.filters, seed: o.seed });
  const byName = new Map(entries(vae));
  let off = 0;
  for (const w of m.weights) {
    const v = byName.get(w.name);
    const n = w.shape.reduce((a, b) => a * b, 1);
    if (!v || v.size !== n) throw new EngineError('bad_input', `${dir}: weight ${w.name} does not fit the architecture`);
    v.assign(tf.tensor(data.subarray(off, off + n), v.shape));
    off += n;
  }
  if (off !== data.length) throw new EngineError('bad_input', `${dir}: weights.bin has ${data.length} values, manifest ${off}`);
  return { vae, options: o, history: m.history, step: m.step };
}
