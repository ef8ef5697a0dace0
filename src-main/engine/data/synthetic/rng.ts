// Seeded pseudo-random numbers (mulberry32): shuffles, augmentation and synthetic confounders
// must be reproducible from a seed, which Math.random is not.
export type Rng = () => number;

/** A generator of uniform numbers in [0, 1) from a 32-bit seed. */
export function makeRng(seed: number): Rng {
  let a = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives an independent seed for a sub-stream (e.g. one epoch) from a base seed. */
export function subSeed(seed: number, ...parts: number[]): number {
  let h = Math.floor(seed) >>> 0;
  for (const p of parts) h = Math.imul(h ^ (Math.floor(p) + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace<T>(a: T[] | Int32Array, rng: Rng): typeof a {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** 0..n-1 in a seeded random order. */
export function permutation(n: number, rng: Rng): number[] {
  return shuffleInPlace(Array.from({ length: n }, (_, i) => i), rng) as number[];
}
