// The condition of seed 004: [0, 1] cut into K equal bins; c_f(x, delta) is the bin holding
// f(x) + delta, and a series shows one frame per bin, targeting the bin's centre.

/** Bin index of a probability (1.0 falls in the last bin). */
export function binOf(p: number, bins: number): number {
  if (!(p >= 0)) return 0;
  return Math.min(bins - 1, Math.floor(p * bins));
}

export function binsOf(p: ArrayLike<number>, bins: number): Int32Array {
  return Int32Array.from(p, (v) => binOf(v, bins));
}

/** Centre of bin k: the target t of the compatibility loss. */
export function binCentre(k: number, bins: number): number {
  return (k + 0.5) / bins;
}

/** [lo, hi) of bin k. */
export function binRange(k: number, bins: number): [number, number] {
  return [k / bins, (k + 1) / bins];
}
