// Compatibility with the classifier (seed 004 section 4.1, "compatibility with f"): does
// f(x_delta) follow the target? Over series of K frames (frame k targets bin k's centre):
// Pearson correlation of target and achieved f, fraction of frames in their target bin, mean
// absolute error to the bin centre, and the fraction of series whose f never decreases.
import { binCentre, binOf } from '../../explain/exaggeration/bins';

/** Pearson correlation; NaN when either side is constant or n < 2. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new Error(`pearson: ${n} vs ${y.length} values`);
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/**
 * Whether a series never goes down by more than `tolerance` from one frame to the next (f of
 * saturated frames jitters by ~1e-3, which is not a reversal).
 */
export function isMonotone(values: ArrayLike<number>, tolerance = 0.01): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] < values[i - 1] - tolerance) return false;
  return true;
}

export interface CompatibilityResult {
  queries: number;
  bins: number;
  /** Pearson correlation of the target bin centre and f(x_delta) over all frames. */
  targetCorrelation: number;
  /** Fraction of frames with f(x_delta) in the target bin. */
  inTargetBin: number;
  /** Mean |f(x_delta) - target centre|. */
  meanAbsError: number;
  /** Fraction of series with non-decreasing f (drops up to `tolerance` ignored). */
  monotone: number;
  tolerance: number;
  /** Per target bin: mean achieved f and fraction in the bin. */
  perBin: { bin: number; target: number; meanF: number; inBin: number }[];
}

/** fFrames: [n * K], query-major (frame k of query i at i * K + k targets bin k). */
export function compatibility(fFrames: ArrayLike<number>, bins: number, tolerance = 0.01): CompatibilityResult {
  const n = Math.floor(fFrames.length / bins);
  if (n * bins !== fFrames.length || n === 0) throw new Error(`compatibility: ${fFrames.length} frame values are not a whole number of ${bins}-frame series`);
  const targets = Float64Array.from({ length: n * bins }, (_, j) => binCentre(j % bins, bins));
  let hits = 0;
  let err = 0;
  let monotone = 0;
  const perBin = Array.from({ length: bins }, (_, k) => ({ bin: k, target: binCentre(k, bins), meanF: 0, inBin: 0 }));
  for (let i = 0; i < n; i++) {
    const series = Array.from({ length: bins }, (_, k) => fFrames[i * bins + k]);
    if (isMonotone(series, tolerance)) monotone++;
    series.forEach((f, k) => {
      const hit = binOf(f, bins) === k;
      if (hit) hits++;
      err += Math.abs(f - targets[k]);
      perBin[k].meanF += f / n;
      perBin[k].inBin += (hit ? 1 : 0) / n;
    });
  }
  return {
    queries: n,
    bins,
    targetCorrelation: pearson(targets, fFrames),
    inTargetBin: hits / (n * bins),
    meanAbsError: err / (n * bins),
    monotone: monotone / n,
    tolerance,
    perBin,
  };
}
