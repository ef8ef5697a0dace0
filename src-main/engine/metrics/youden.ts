// Youden-optimal threshold: the ROC operating point maximising J = sensitivity + specificity - 1.
// A helper for choosing a threshold on a validation split; choosing it on the test split and then
// reporting test metrics at it would be optimistic.
import { checkBinary } from './input';
import { splitSorted, walkTieGroups } from './ranking';
import { missingClassReason } from './roc-auc';
import type { Labels, Scores } from './types';

/** The chosen operating point, JSON-safe (nulls when a class is missing). */
export interface YoudenPoint {
  /** Predict positive when score >= threshold; one of the observed scores. */
  threshold: number | null;
  j: number | null;
  sensitivity: number | null;
  specificity: number | null;
  reason?: string;
}

/**
 * Scans every distinct score as a threshold. On equal J the highest threshold wins (the first
 * maximum along sklearn's roc_curve, i.e. what argmax(tpr - fpr) picks there).
 */
export function youdenThreshold(scores: Scores, labels: Labels): YoudenPoint {
  const { positives: P, negatives: N } = checkBinary(scores, labels);
  if (P === 0 || N === 0) {
    return { threshold: null, j: null, sensitivity: null, specificity: null, reason: missingClassReason('the Youden threshold', P) };
  }
  let tp = 0;
  let fp = 0;
  const best = { t: NaN, j: -Infinity, tp: 0, fp: 0 };
  walkTieGroups(splitSorted(scores, labels), 'desc', (t, dp, dn) => {
    tp += dp;
    fp += dn;
    const j = tp / P - fp / N;
    if (j > best.j) Object.assign(best, { t, j, tp, fp });
  });
  return {
    threshold: Number.isFinite(best.t) ? best.t : null,
    j: best.j,
    sensitivity: best.tp / P,
    specificity: 1 - best.fp / N,
  };
}
