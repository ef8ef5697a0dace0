// The "burned-in marker" confounder: a small bright square tag in a corner of a chosen fraction
// of positive and of negative images (like a hospital's burned-in annotation), recorded as the
// attribute `marker`. With rates that differ by class the marker becomes a shortcut a classifier
// can learn; with equal rates (a decorrelated split) it is independent of the label.
import { EngineError } from '../../jobs/errors';
import { select, type ImageSet, type Split } from '../image-set';
import { makeRng, permutation, subSeed } from './rng';

export type Corner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

/** Fractions of each class that get the marker, in one split. */
export interface MarkerRates {
  positive: number;
  negative: number;
}

export interface MarkerOptions {
  /** Rates per split; splits not named are left unmarked ('absent'). */
  rates: Partial<Record<Split, MarkerRates>>;
  seed: number;
  corner?: Corner;
  /** Side of the square in pixels; default 3 at 28 px, scaled with the image size. */
  side?: number;
  /** Grey value of the tag, 0..255; default 255. */
  value?: number;
  /** Attribute column to record it in; default 'marker'. */
  attribute?: string;
}

export const MARKER_PRESENT = 'present';
export const MARKER_ABSENT = 'absent';

/** The geometry used for an image size: 3x3 inset by 2 px at 28 px, scaled proportionally. */
export function markerBox(size: number, corner: Corner = 'top-right', side?: number): { x: number; y: number; side: number } {
  const s = side ?? Math.max(2, Math.round((3 * size) / 28));
  const inset = Math.max(1, Math.round((2 * size) / 28));
  const x = corner.endsWith('left') ? inset : size - inset - s;
  const y = corner.startsWith('top') ? inset : size - inset - s;
  return { x, y, side: s };
}

/** Paints the marker into one image (row-major, size x size) in place. */
export function paintMarker(image: Uint8Array, size: number, box: { x: number; y: number; side: number }, value = 255): void {
  for (let r = box.y; r < box.y + box.side; r++) image.fill(value, r * size + box.x, r * size + box.x + box.side);
}

/**
 * A copy of the set with the marker added. Exactly round(rate * n) images of each class in each
 * split are marked (a seeded choice), so that the realised rates equal the requested ones.
 */
export function addMarker(set: ImageSet, opts: MarkerOptions): ImageSet {
  const attr = opts.attribute ?? 'marker';
  for (const [split, r] of Object.entries(opts.rates)) {
    for (const [k, v] of Object.entries(r ?? {})) {
      if (!(v >= 0 && v <= 1)) throw new EngineError('invalid_request', `marker rate ${split}.${k} must be within 0..1 (got ${v})`);
    }
  }
  const value = opts.value ?? 255;
  const box = markerBox(set.size, opts.corner, opts.side);
  if (box.side < 1 || box.x < 0 || box.y < 0 || box.side > set.size) throw new EngineError('invalid_request', `marker of side ${box.side} does not fit ${set.size} px images`);
  const px = set.size * set.size;
  const images = set.images.slice();
  const column: (string | null)[] = new Array(set.labels.length).fill(MARKER_ABSENT);
  const splits: Split[] = ['train', 'val', 'test'];
  splits.forEach((split, si) => {
    const rates = opts.rates[split];
    if (!rates) return;
    for (const positive of [true, false]) {
      const members: number[] = [];
      set.labels.forEach((l, i) => set.split[i] === split && (l === set.positiveClass) === positive && members.push(i));
      const rate = positive ? rates.positive : rates.negative;
      const k = Math.round(rate * members.length);
      const order = permutation(members.length, makeRng(subSeed(opts.seed, si, positive ? 1 : 0)));
      for (let j = 0; j < k; j++) {
        const i = members[order[j]];
        paintMarker(images.subarray(i * px, (i + 1) * px), set.size, box, value);
        column[i] = MARKER_PRESENT;
      }
    }
  });
  return { ...set, images, attributes: { ...set.attributes, [attr]: column } };
}

/** Rates for a shortcut: marker on most positives and few negatives. */
export function shortcutRates(positive = 0.9, negative = 0.1): MarkerRates {
  return { positive, negative };
}

/** Rates for a decorrelated split: the same fraction of each class, so marker and label are independent. */
export function decorrelatedRates(rate = 0.5): MarkerRates {
  return { positive: rate, negative: rate };
}

/**
 * The named splits' images twice, once as they are and once with the marker (ids get the suffix
 * '+marker'): the marker is then independent of the label and of the image content, so subgroup
 * gaps by `marker` measure the model's reaction to the marker alone, without the sampling noise
 * of a random decorrelated split.
 */
export function markerPairs(set: ImageSet, opts: Omit<MarkerOptions, 'rates' | 'seed'> & { splits?: Split[] } = {}): ImageSet {
  const splits = opts.splits ?? ['test'];
  const rows = set.split.flatMap((s, i) => (splits.includes(s) ? [i] : []));
  const doubled = select(set, [...rows, ...rows]);
  const box = markerBox(set.size, opts.corner, opts.side);
  const px = set.size * set.size;
  const column: (string | null)[] = doubled.ids.map((_, j) => (j < rows.length ? MARKER_ABSENT : MARKER_PRESENT));
  for (let j = rows.length; j < doubled.ids.length; j++) paintMarker(doubled.images.subarray(j * px, (j + 1) * px), set.size, box, opts.value ?? 255);
  const ids = doubled.ids.map((id, j) => (j < rows.length ? id : `${id}+marker`));
  return { ...doubled, ids, attributes: { ...doubled.attributes, [opts.attribute ?? 'marker']: column } };
}
