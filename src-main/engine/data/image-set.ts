// The in-memory image set every analysis works on: square grey images at one size, labels,
// splits and attribute columns (sex, site, a known confounder...). Pixels stay uint8 to keep
// memory small; models convert batches to float on use.
export type Split = 'train' | 'val' | 'test';

export interface ImageSet {
  name: string;
  /** Side of the square images, in pixels. */
  size: number;
  /** Row-major, N * size * size grey values 0..255. */
  images: Uint8Array;
  /** Class index per image. */
  labels: Int32Array;
  classNames: string[];
  /** Index of the class whose probability the audit explains (e.g. pneumonia). */
  positiveClass: number;
  /** Stable, non-identifying image keys. */
  ids: string[];
  split: Split[];
  /** Attribute columns; null where unknown. */
  attributes: Record<string, (string | null)[]>;
}

export function count(set: ImageSet): number {
  return set.labels.length;
}

/** The images whose indices are given, in that order. */
export function select(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const px = set.size * set.size;
  const images = new Uint8Array(indices.length * px);
  const labels = new Int32Array(indices.length);
  const ids: string[] = [];
  const split: Split[] = [];
  const attributes: ImageSet['attributes'] = Object.fromEntries(Object.keys(set.attributes).map((k) => [k, [] as (string | null)[]]));
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j];
    images.set(set.images.subarray(i * px, (i + 1) * px), j * px);
    labels[j] = set.labels[i];
    ids.push(set.ids[i]);
    split.push(set.split[i]);
    for (const k of Object.keys(set.attributes)) attributes[k].push(set.attributes[k][i]);
  }
  return { ...set, images, labels, ids, split, attributes };
}

export function splitOf(set: ImageSet, which: Split): ImageSet {
  const idx: number[] = [];
  set.split.forEach((s, i) => s === which && idx.push(i));
  return select(set, idx);
}

/** Images per class, per split and per attribute value. */
export function summarize(set: ImageSet): {
  total: number;
  perClass: Record<string, number>;
  perSplit: Record<string, number>;
  perAttribute: Record<string, Record<string, number>>;
} {
  const perClass: Record<string, number> = {};
  const perSplit: Record<string, number> = {};
  set.labels.forEach((l) => (perClass[set.classNames[l]] = (perClass[set.classNames[l]] ?? 0) + 1));
  set.split.forEach((s) => (perSplit[s] = (perSplit[s] ?? 0) + 1));
  const perAttribute: Record<string, Record<string, number>> = {};
  for (const [k, col] of Object.entries(set.attributes)) {
    perAttribute[k] = {};
    for (const v of col) perAttribute[k][v ?? '(unknown)'] = (perAttribute[k][v ?? '(unknown)'] ?? 0) + 1;
  }
  return { total: set.labels.length, perClass, perSplit, perAttribute };
}

/** The images of `a` then those of `b` (same size and classes); attributes missing on one side are null. */
export function concatSets(a: ImageSet, b: ImageSet): ImageSet {
  if (a.size !== b.size || a.classNames.join('\n') !== b.classNames.join('\n')) throw new Error('concatSets: sets differ in image size or classes');
  const keys = [...new Set([...Object.keys(a.attributes), ...Object.keys(b.attributes)])];
  const images = new Uint8Array(a.images.length + b.images.length);
  images.set(a.images);
  images.set(b.images, a.images.length);
  const labels = new Int32Array(a.labels.length + b.labels.length);
  labels.set(a.labels);
  labels.set(b.labels, a.labels.length);
  const col = (s: ImageSet, k: string): (string | null)[] => s.attributes[k] ?? s.ids.map(() => null);
  return {
    ...a,
    images,
    labels,
    ids: [...a.ids, ...b.ids],
    split: [...a.split, ...b.split],
    attributes: Object.fromEntries(keys.map((k) => [k, [...col(a, k), ...col(b, k)]])),
  };
}
