// Input checks shared by all metrics. Malformed input (empty, mismatched lengths, labels that
// are not classes, NaN scores) is a caller bug and throws; a well-formed sample on which a metric
// is undefined (one class only) is not, and yields NaN with a reason instead.
import { EngineError } from '../jobs/errors';
import type { Labels, ProbabilityMatrix, Scores } from './types';

export function bad(message: string): never {
  throw new EngineError('bad_input', message);
}

/** Checks a binary sample; returns its size and class counts. */
export function checkBinary(
  scores: Scores,
  labels: Labels,
  opts: { probabilities?: boolean } = {},
): { n: number; positives: number; negatives: number } {
  const n = scores.length;
  if (labels.length !== n) bad(`scores and labels differ in length (${n} vs ${labels.length})`);
  if (n === 0) bad('cannot compute a metric on an empty sample');
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y === 1) positives++;
    else if (y !== 0) bad(`binary labels must be 0 or 1; got ${y} at index ${i}`);
    const s = scores[i];
    if (Number.isNaN(s)) bad(`score at index ${i} is NaN`);
    if (opts.probabilities && !(s >= 0 && s <= 1)) bad(`probability at index ${i} is outside [0, 1]: ${s}`);
  }
  return { n, positives, negatives: n - positives };
}

/** Checks a decision threshold. */
export function checkThreshold(threshold: number): void {
  if (!Number.isFinite(threshold)) bad(`threshold must be a finite number; got ${threshold}`);
}

/** A probability matrix normalised to a flat row-major buffer. */
export interface ProbMatrix {
  values: Float64Array;
  n: number;
  k: number;
}

/** Flattens and checks a multiclass probability matrix against its labels. */
export function checkMulticlass(probs: ProbabilityMatrix, labels: Labels): ProbMatrix {
  let values: Float64Array;
  let k: number;
  if (Array.isArray(probs)) {
    const rows = probs as readonly ArrayLike<number>[];
    k = rows.length > 0 ? rows[0].length : 0;
    values = new Float64Array(rows.length * k);
    rows.forEach((row, i) => {
      if (row.length !== k) bad(`probability row ${i} has ${row.length} columns, expected ${k}`);
      for (let c = 0; c < k; c++) values[i * k + c] = row[c];
    });
  } else {
    const flat = probs as { values: ArrayLike<number>; classes: number };
    k = flat.classes;
    if (!Number.isInteger(k) || k < 1) bad(`number of classes must be a positive integer; got ${k}`);
    if (flat.values.length % k !== 0) bad(`probability buffer length ${flat.values.length} is not a multiple of ${k}`);
    values = Float64Array.from(flat.values);
  }
  const n = k > 0 ? values.length / k : 0;
  if (labels.length !== n) bad(`probabilities and labels differ in length (${n} vs ${labels.length})`);
  if (n === 0) bad('cannot compute a metric on an empty sample');
  if (k < 2) bad(`multiclass metrics need at least 2 classes; got ${k}`);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= k) bad(`label at index ${i} is not a class in 0..${k - 1}: ${y}`);
  }
  for (let j = 0; j < values.length; j++) {
    const p = values[j];
    if (!(p >= 0 && p <= 1)) bad(`probability at row ${Math.floor(j / k)}, class ${j % k} is outside [0, 1]: ${p}`);
  }
  return { values, n, k };
}

/** Index of the largest probability in row i (first one on ties, like numpy's argmax). */
export function argmaxRow(m: ProbMatrix, i: number): number {
  let best = 0;
  let bestP = m.values[i * m.k];
  for (let c = 1; c < m.k; c++) {
    const p = m.values[i * m.k + c];
    if (p > bestP) {
      bestP = p;
      best = c;
    }
  }
  return best;
}

/** NaN and infinities become null, so results survive JSON round trips unchanged. */
export function jsonNumber(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
