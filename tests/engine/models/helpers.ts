// Shared fixtures for the model tests: backend setup, a small seeded slice of the demo set, a
// hand-written tfjs GraphModel, and a tiny smooth LayersModel for gradient checks.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll } from 'vitest';
import { initBackend } from '../../../src-main/engine/backend';
import { select, type ImageSet } from '../../../src-main/engine/data/image-set';
import { loadDemoPneumonia } from '../../../src-main/engine/data/importers/medmnist';
import { makeRng, permutation } from '../../../src-main/engine/data/synthetic/rng';
import { resourcesDir } from '../../../src-main/engine/resources';
import type { SidecarInput } from '../../../src-main/engine/models/sidecar';

/** wasm with one thread (test files run in parallel), cpu where wasm is unavailable. */
export async function setupBackend(): Promise<string> {
  const info = await initBackend({ prefer: 'wasm', wasmThreads: 1 });
  return info.name;
}

const temps: string[] = [];
// Registered while each spec file is collected (the file imports this module).
afterAll(() => temps.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A fresh temp folder, removed after the spec file's tests. */
export function tempDir(prefix = 'xa-models-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

let demo: ImageSet | null = null;
export function demoSet(): ImageSet {
  return (demo ??= loadDemoPneumonia(resourcesDir()));
}

/** A seeded random slice: `perSplit` images of each class from each named split. */
export function demoSlice(perSplit: Partial<Record<'train' | 'val' | 'test', number>>, seed = 1): ImageSet {
  const set = demoSet();
  const rows: number[] = [];
  for (const [split, n] of Object.entries(perSplit)) {
    for (const c of [0, 1]) {
      const idx = set.split.flatMap((s, i) => (s === split && set.labels[i] === c ? [i] : []));
      permutation(idx.length, makeRng(seed + c))
        .slice(0, n)
        .forEach((j) => rows.push(idx[j]));
    }
  }
  return select(set, rows.sort((a, b) => a - b));
}

export function sidecar(over: Partial<SidecarInput> = {}): SidecarInput {
  return {
    format: 'xray-audit-model',
    version: 1,
    inputSize: 8,
    channels: 1,
    normalization: { scale: 1 / 255, offset: 0 },
    classNames: ['normal', 'pneumonia'],
    positiveClass: 1,
    provenance: { source: 'test' },
    ...over,
  };
}

/** A tiny smooth (tanh) model on 8x8 inputs: finite differences are meaningful everywhere. */
export function tinySmoothModel(seed = 3): tf.LayersModel {
  const inp = tf.input({ shape: [8, 8, 1] });
  const c = tf.layers.conv2d({ name: 'conv', filters: 3, kernelSize: 3, activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed }) }).apply(inp) as tf.SymbolicTensor;
  const f = tf.layers.flatten({ name: 'flat' }).apply(c) as tf.SymbolicTensor;
  const d = tf.layers.dense({ name: 'logits', units: 2, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }).apply(f) as tf.SymbolicTensor;
  const p = tf.layers.activation({ name: 'probs', activation: 'softmax' }).apply(d) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: p });
}

/** Writes a hand-made tfjs GraphModel (8x8 grey -> flatten -> matmul -> softmax) with its sidecar. */
export function writeGraphModel(dir: string, seed = 5): Float32Array {
  const rng = makeRng(seed);
  const w = Float32Array.from({ length: 64 * 2 }, () => (rng() - 0.5) * 0.2);
  const f = (t: string) => ({ type: t });
  const json = {
    format: 'graph-model',
    generatedBy: 'test',
    convertedBy: 'hand',
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: f('DT_FLOAT'), shape: { shape: { dim: [{ size: '-1' }, { size: '8' }, { size: '8' }, { size: '1' }] } } } },
        { name: 'flat_shape', op: 'Const', attr: { value: { tensor: { dtype: 'DT_INT32', tensorShape: { dim: [{ size: '2' }] } } }, dtype: f('DT_INT32') } },
        { name: 'w', op: 'Const', attr: { value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '64' }, { size: '2' }] } } }, dtype: f('DT_FLOAT') } },
        { name: 'flat', op: 'Reshape', input: ['x', 'flat_shape'], attr: { T: f('DT_FLOAT'), Tshape: f('DT_INT32') } },
        { name: 'logits', op: 'MatMul', input: ['flat', 'w'], attr: { T: f('DT_FLOAT'), transpose_a: { b: false }, transpose_b: { b: false } } },
        { name: 'probs', op: 'Softmax', input: ['logits'], attr: { T: f('DT_FLOAT') } },
      ],
      library: {},
      versions: {},
    },
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'flat_shape', shape: [2], dtype: 'int32' },
          { name: 'w', shape: [64, 2], dtype: 'float32' },
        ],
      },
    ],
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  const shape = new Int32Array([-1, 64]);
  fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.concat([Buffer.from(shape.buffer), Buffer.from(w.buffer)]));
  fs.writeFileSync(path.join(dir, 'xray-audit.json'), JSON.stringify(sidecar({ output: 'probabilities' })));
  return w;
}

/** Positive-class rank AUC (Mann-Whitney, ties half): kept here so the tests do not depend on metrics/. */
export function rankAuc(scores: ArrayLike<number>, positive: ArrayLike<number>): number {
  const idx = Array.from(scores, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const ranks = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    for (let k = i; k <= j; k++) ranks[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let p = 0;
  let sum = 0;
  for (let i = 0; i < idx.length; i++) {
    if (!positive[i]) continue;
    p++;
    sum += ranks[i];
  }
  const n = idx.length - p;
  return (sum - (p * (p + 1)) / 2) / (p * n);
}
