// Fixtures for the saliency tests: the backend, a small untrained CNN of the project's family
// (its layer names are the shipped models'), the demo model, seeded test images and a small
// reference sample.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { makeRng, permutation } from '../../../../src-main/engine/data/synthetic/rng';
import { makeReference } from '../../../../src-main/engine/explain/saliency';
import type { ReferenceImages } from '../../../../src-main/engine/explain/saliency/types';
import { buildCnn, imageBatch, loadAuditedModel, wrapLayersModel, type AuditedModel } from '../../../../src-main/engine/models';
import { modelsDir } from '../../../../src-main/engine/resources';
import { demoSet, sidecar } from '../../models/helpers';

export { setupBackend, demoSet, sidecar, tinySmoothModel } from '../../models/helpers';

/** An untrained 28 px residual CNN with stages 4/8/8: `stage1_block0` at 14 px, `features` at 7 px. */
export function smallCnn(seed = 1): AuditedModel {
  return wrapLayersModel(buildCnn({ inputSize: 28, widths: [4, 8, 8], batchNorm: false, seed }), sidecar({ inputSize: 28 }));
}

let demo: Promise<AuditedModel> | null = null;
/** The shipped clean demo model (loaded once per spec file). */
export function demoModel(): Promise<AuditedModel> {
  return (demo ??= loadAuditedModel(path.join(modelsDir(), 'pneumonia-demo')));
}

/** Seeded random rows of one split of the demo set. */
export function demoRows(split: 'train' | 'test', n: number, seed = 1): number[] {
  const set = demoSet();
  const rows = set.split.flatMap((s, i) => (s === split ? [i] : []));
  return permutation(rows.length, makeRng(seed)).slice(0, n).map((j) => rows[j]);
}

/** n seeded random test images [n, 28, 28, 1] and their labels. */
export function demoImages(n: number, seed = 1): { x: tf.Tensor4D; labels: number[] } {
  const rows = demoRows('test', n, seed);
  return { x: imageBatch(demoSet(), rows), labels: rows.map((i) => demoSet().labels[i]) };
}

/** A small random training sample for the bottleneck statistics. */
export function smallReference(n = 64, seed = 2): ReferenceImages {
  return makeReference(imageBatch(demoSet(), demoRows('train', n, seed)));
}
