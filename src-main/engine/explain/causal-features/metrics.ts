// Seed 001 Eqs. 2-3. MErr_l = (1/Q) sum_k |A(i^_k) - c^_k|: with 0/1 causal class indices (two
// causal classes) the fraction of manipulations whose agent answer misses the target class.
// MDist_l = (1/Q) sum_k d(i_k, i^_k), with d(j, i) = ||j - i||^2 / n, the metric of the
// manipulator's objective (for binary images: the fraction of pixels flipped).
import { countOf, imageAt, type Images } from './images';

export function merr(answers: ArrayLike<number>, targets: ArrayLike<number>): number {
  if (answers.length !== targets.length || answers.length === 0) throw new Error('merr: answers and targets must be non-empty and of equal length');
  let s = 0;
  for (let k = 0; k < answers.length; k++) s += Math.abs(answers[k] - targets[k]);
  return s / answers.length;
}

export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let p = 0; p < a.length; p++) s += (a[p] - b[p]) ** 2;
  return s / a.length;
}

export function mdist(originals: Images, manipulated: Images): number {
  const q = countOf(originals);
  if (q !== countOf(manipulated) || q === 0) throw new Error('mdist: batches must be non-empty and of equal size');
  let s = 0;
  for (let k = 0; k < q; k++) s += distance(imageAt(originals, k), imageAt(manipulated, k));
  return s / q;
}
