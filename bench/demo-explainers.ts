// The data and models of the shipped exaggeration explainers, shared by bench/train-explainer.ts
// and bench/exaggeration.ts so both see the same images.
//
// Training images: the demo PneumoniaMNIST train split with the burned-in marker painted on a
// seeded half of each class (label-independent), so the generator learns to draw and remove the
// marker; whether an explainer then uses it to move f is up to the classifier it explains (the
// bias audit of seed 004 section 4.4). Queries: 200 seeded test images, the marker likewise on
// half of each class.
import * as path from 'node:path';
import type { ImageSet } from '../src-main/engine/data/image-set';
import { loadDemoPneumonia } from '../src-main/engine/data/importers/medmnist';
import { addMarker, decorrelatedRates } from '../src-main/engine/data/synthetic/marker';
import { makeRng, permutation } from '../src-main/engine/data/synthetic/rng';
import { modelsDir, resourcesDir } from '../src-main/engine/resources';

export const MARKER_SEED = 7;
export const QUERY_SEED = 11;

export const DEMO_EXPLAINERS = [
  { name: 'exaggeration-pneumonia', classifier: 'pneumonia-demo', description: 'explains the clean demo classifier models/pneumonia-demo' },
  { name: 'exaggeration-shortcut', classifier: 'shortcut-demo', description: 'explains the shortcut demo classifier models/shortcut-demo (marker on 90% of pneumonia, 10% of normal training images)' },
] as const;

export const classifierDir = (name: string): string => path.join(modelsDir(), name);

/** The demo set with the marker on a seeded half of each class in every split. */
export function markedDemoSet(): ImageSet {
  const r = decorrelatedRates(0.5);
  return addMarker(loadDemoPneumonia(resourcesDir()), { seed: MARKER_SEED, rates: { train: r, val: r, test: r } });
}

export function rowsOf(set: ImageSet, split: string): number[] {
  return set.split.flatMap((s, i) => (s === split ? [i] : []));
}

/** `n` seeded test rows (sorted). */
export function queryRows(set: ImageSet, n = 200): number[] {
  const test = rowsOf(set, 'test');
  return permutation(test.length, makeRng(QUERY_SEED))
    .slice(0, n)
    .map((j) => test[j])
    .sort((a, b) => a - b);
}
