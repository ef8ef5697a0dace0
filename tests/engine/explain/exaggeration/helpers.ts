// Fixtures for the exaggeration tests: backend setup, a tiny 28 px classifier (saved, so it has
// a hash), a tiny explainer architecture, and demo images.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll } from 'vitest';
import { initBackend } from '../../../../src-main/engine/backend';
import { select, type ImageSet } from '../../../../src-main/engine/data/image-set';
import { loadDemoPneumonia } from '../../../../src-main/engine/data/importers/medmnist';
import { makeRng, permutation } from '../../../../src-main/engine/data/synthetic/rng';
import type { ExplainerArch } from '../../../../src-main/engine/explain/exaggeration/config';
import type { AuditedModel } from '../../../../src-main/engine/models/audited-model';
import { loadAuditedModel, saveLayersModel } from '../../../../src-main/engine/models/load';
import { resourcesDir } from '../../../../src-main/engine/resources';

/** wasm with one thread (test files run in parallel), cpu where wasm is unavailable. */
export async function setupBackend(): Promise<string> {
  return (await initBackend({ prefer: 'wasm', wasmThreads: 1 })).name;
}

const temps: string[] = [];
afterAll(() => temps.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

export function tempDir(prefix = 'xa-exag-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A tiny architecture: 28 px, 4 bins, 4..8 channels. */
export const TINY: ExplainerArch = { imageSize: 28, bins: 4, width: 4, maxWidth: 8, downsamples: 2, discWidth: 4, seed: 3 };

/** A tiny 28 px softmax classifier (strided conv, dense), seeded; large initial weights make its
 * output depend visibly on the image (a glorot-initialised one sits at 0.5 for every image). */
export function tinyClassifier(seed = 1): tf.LayersModel {
  const init = (s: number) => tf.initializers.varianceScaling({ scale: 10, seed: s });
  const inp = tf.input({ shape: [28, 28, 1] });
  const c = tf.layers.conv2d({ name: 'conv', filters: 4, kernelSize: 5, strides: 4, activation: 'tanh', kernelInitializer: init(seed) }).apply(inp) as tf.SymbolicTensor;
  const f = tf.layers.flatten({ name: 'flat' }).apply(c) as tf.SymbolicTensor;
  const d = tf.layers.dense({ name: 'logits', units: 2, kernelInitializer: init(seed + 1) }).apply(f) as tf.SymbolicTensor;
  const p = tf.layers.activation({ name: 'probs', activation: 'softmax' }).apply(d) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: p });
}

/** The tiny classifier saved to a temp folder and loaded (so it carries a model hash). */
export async function savedTinyClassifier(seed = 1): Promise<AuditedModel> {
  const dir = tempDir('xa-exag-model-');
  const m = tinyClassifier(seed);
  await saveLayersModel(m, dir, {
    format: 'xray-audit-model',
    version: 1,
    inputSize: 28,
    channels: 1,
    normalization: { scale: 1 / 255, offset: 0 },
    classNames: ['normal', 'pneumonia'],
    positiveClass: 1,
    output: 'probabilities',
    provenance: { source: 'test', seed },
  });
  m.dispose();
  return loadAuditedModel(dir);
}

let demo: ImageSet | null = null;
export function demoSet(): ImageSet {
  return (demo ??= loadDemoPneumonia(resourcesDir()));
}

/** `n` seeded rows of a split, both classes. */
export function demoRows(split: 'train' | 'val' | 'test', n: number, seed = 1): number[] {
  const set = demoSet();
  const rows = set.split.flatMap((s, i) => (s === split ? [i] : []));
  return permutation(rows.length, makeRng(seed))
    .slice(0, n)
    .map((j) => rows[j]);
}

export function demoSlice(n: number, seed = 1): ImageSet {
  return select(demoSet(), demoRows('train', n, seed).sort((a, b) => a - b));
}
