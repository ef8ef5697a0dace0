// Confusion matrices. Binary: a sample is predicted positive when score >= threshold, the same
// convention as sklearn's ROC thresholds, so a Youden threshold read off the ROC curve reproduces
// its operating point exactly. Multiclass: prediction is the argmax class.
import { argmaxRow, checkBinary, checkMulticlass, checkThreshold } from './input';
import type { ConfusionCounts, Labels, MetricOutcome, ProbabilityMatrix, Scores } from './types';

/** Binary confusion counts at a threshold. */
export function confusionCounts(scores: Scores, labels: Labels, threshold: number): ConfusionCounts {
  checkBinary(scores, labels);
  checkThreshold(threshold);
  const c: ConfusionCounts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i] >= threshold;
    if (labels[i] === 1) {
      if (predicted) c.tp++;
      else c.fn++;
    } else if (predicted) c.fp++;
    else c.tn++;
  }
  return c;
}

/**
 * Multiclass confusion matrix: matrix[true][predicted], sklearn's layout. For k = 2 with
 * one-column-per-class probabilities it matches [[tn, fp], [fn, tp]] at threshold 0.5 (ties at
 * exactly 0.5 go to class 0 here, by argmax; the binary counts send them to class 1).
 */
export function confusionMatrix(probs: ProbabilityMatrix, labels: Labels): number[][] {
  const m = checkMulticlass(probs, labels);
  const matrix = Array.from({ length: m.k }, () => new Array<number>(m.k).fill(0));
  for (let i = 0; i < m.n; i++) matrix[labels[i]][argmaxRow(m, i)]++;
  return matrix;
}

/** num / den, or NaN with the reason when den is 0 (rates of an empty cell are undefined). */
export function rate(num: number, den: number, reason: string): MetricOutcome {
  return den === 0 ? { value: NaN, reason } : { value: num / den };
}
