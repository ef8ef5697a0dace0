// MedMNIST-style .npz: {train,val,test}_images (N x H x W uint8) and _labels (N x 1).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNpz, type NpyArray } from '../npy';
import type { ImageSet, Split } from '../image-set';
import { EngineError } from '../../jobs/errors';

export interface MedMnistOptions {
  classNames?: string[];
  positiveClass?: number;
  name?: string;
}

export function loadMedMnistNpz(file: string, opts: MedMnistOptions = {}): ImageSet {
  const base = path.basename(file);
  let arrays: Record<string, NpyArray>;
  try {
    arrays = parseNpz(fs.readFileSync(file));
  } catch (e) {
    throw new EngineError('bad_input', `${base}: ${(e as Error).message}`);
  }
  const splits: Split[] = ['train', 'val', 'test'];
  const present = splits.filter((s) => arrays[`${s}_images`]);
  if (!present.length) throw new EngineError('bad_input', `${base}: no train_images, val_images or test_images array`);
  let size = 0;
  let total = 0;
  for (const s of present) {
    const im = arrays[`${s}_images`];
    const lb = arrays[`${s}_labels`];
    if (im.dtype !== 'uint8' || im.shape.length !== 3 || im.shape[1] !== im.shape[2]) {
      throw new EngineError('bad_input', `${base}: ${s}_images must be N x S x S uint8 grey images (got ${im.dtype} ${JSON.stringify(im.shape)})`);
    }
    if (!lb || lb.shape[0] !== im.shape[0]) throw new EngineError('bad_input', `${base}: ${s}_labels missing or not one per image`);
    if (size && im.shape[1] !== size) throw new EngineError('bad_input', `${base}: splits have different image sizes`);
    size = im.shape[1];
    total += im.shape[0];
  }
  const px = size * size;
  const images = new Uint8Array(total * px);
  const labels = new Int32Array(total);
  const ids: string[] = [];
  const split: Split[] = [];
  let n = 0;
  for (const s of present) {
    const im = arrays[`${s}_images`];
    const lb = arrays[`${s}_labels`];
    images.set(im.data as Uint8Array, n * px);
    for (let i = 0; i < im.shape[0]; i++, n++) {
      labels[n] = Number(lb.data[i * (lb.shape[1] ?? 1)]);
      ids.push(`${s}-${String(i).padStart(5, '0')}`);
      split.push(s);
    }
  }
  const maxLabel = labels.reduce((a, b) => Math.max(a, b), 0);
  const classNames = opts.classNames ?? Array.from({ length: maxLabel + 1 }, (_, i) => `class ${i}`);
  if (classNames.length <= maxLabel) throw new EngineError('bad_input', `${base}: label ${maxLabel} has no class name`);
  return { name: opts.name ?? base.replace(/\.npz$/, ''), size, images, labels, classNames, positiveClass: opts.positiveClass ?? classNames.length - 1, ids, split, attributes: {} };
}

/** The bundled demo set (resources/pneumoniamnist.npz). */
export function loadDemoPneumonia(resourcesDir: string): ImageSet {
  return loadMedMnistNpz(path.join(resourcesDir, 'pneumoniamnist.npz'), {
    classNames: ['normal', 'pneumonia'],
    positiveClass: 1,
    name: 'PneumoniaMNIST (demo)',
  });
}
