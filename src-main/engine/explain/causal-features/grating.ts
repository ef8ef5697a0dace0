// GRATING (seed 001 section 1.2, Fig. 1, as in 4.1): 10x10 binary images. Hidden H1 ~ Bern(0.5)
// draws one complete vertical bar (v-bar) at a random column, hidden H2 ~ Bern(0.5) one complete
// horizontal bar (h-bar) at a random row, plus ~3% noise pixels. T depends on H1 and on the h-bar
// in the image: P(T=1) = 0.1 (neither), 0.4 (H1 only), 0.7 (h-bar only), 1.0 (both).
// Observationally H1 = 1 iff there is a v-bar, so P(T | i) follows both bars; under do(I = i), H1
// keeps its prior, so P(T | do(I = i)) = 0.25 without an h-bar and 0.85 with one, whatever v-bar i has.
import { makeRng } from '../../data/synthetic/rng';
import { countOf, imageAt, type Images } from './images';

export const GRATING_SIZE = 10;
export const GRATING_NOISE = 0.03;
export const P_H1 = 0.5;
export const P_H2 = 0.5;
/** P(T = 1 | H1, h-bar in the image), indexed [h1][hbar]. */
export const P_T = [
  [0.1, 0.7],
  [0.4, 1.0],
];

export interface GratingSample {
  images: Images;
  h1: Uint8Array;
  h2: Uint8Array;
  /** A sampled behaviour T. */
  t: Uint8Array;
}

const on = (v: number): boolean => v >= 0.5;

/** Whether some row is completely on. */
export function hasHbar(img: ArrayLike<number>, size = GRATING_SIZE): boolean {
  for (let r = 0; r < size; r++) {
    let full = true;
    for (let c = 0; c < size && full; c++) full = on(img[r * size + c]);
    if (full) return true;
  }
  return false;
}

/** Whether some column is completely on. */
export function hasVbar(img: ArrayLike<number>, size = GRATING_SIZE): boolean {
  for (let c = 0; c < size; c++) {
    let full = true;
    for (let r = 0; r < size && full; r++) full = on(img[r * size + c]);
    if (full) return true;
  }
  return false;
}

export function paintHbar(img: Float32Array, row: number, size = GRATING_SIZE): void {
  img.fill(1, row * size, (row + 1) * size);
}

export function paintVbar(img: Float32Array, col: number, size = GRATING_SIZE): void {
  for (let r = 0; r < size; r++) img[r * size + col] = 1;
}

/** Observational P(T = 1 | I = i): H1 is read off the v-bar. */
export function pObservational(img: ArrayLike<number>, size = GRATING_SIZE): number {
  return P_T[hasVbar(img, size) ? 1 : 0][hasHbar(img, size) ? 1 : 0];
}

/** Interventional P(T = 1 | do(I = i)): H1 from its prior; only the h-bar in i matters. */
export function pDo(img: ArrayLike<number>, size = GRATING_SIZE): number {
  const h = hasHbar(img, size) ? 1 : 0;
  return P_H1 * P_T[1][h] + (1 - P_H1) * P_T[0][h];
}

/** n observational samples from a seed. */
export function sampleGrating(n: number, seed: number, opts: { size?: number; noise?: number } = {}): GratingSample {
  const size = opts.size ?? GRATING_SIZE;
  const noise = opts.noise ?? GRATING_NOISE;
  const rng = makeRng(seed);
  const images: Images = { size, data: new Float32Array(n * size * size) };
  const h1 = new Uint8Array(n);
  const h2 = new Uint8Array(n);
  const t = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const img = imageAt(images, k);
    h1[k] = rng() < P_H1 ? 1 : 0;
    h2[k] = rng() < P_H2 ? 1 : 0;
    for (let p = 0; p < img.length; p++) img[p] = rng() < noise ? 1 : 0;
    if (h1[k]) paintVbar(img, Math.floor(rng() * size), size);
    if (h2[k]) paintHbar(img, Math.floor(rng() * size), size);
    t[k] = rng() < P_T[h1[k]][hasHbar(img, size) ? 1 : 0] ? 1 : 0;
  }
  return { images, h1, h2, t };
}

/** P(T | do) for every image of a batch. */
export function pDoAll(images: Images): Float32Array {
  return Float32Array.from({ length: countOf(images) }, (_, k) => pDo(imageAt(images, k), images.size));
}
