// ROC AUC: the probability that a random positive scores above a random negative, ties counting
// one half. Computed as the Mann-Whitney U statistic with average ranks, which is exact under
// ties and equal to the trapezoidal area under the ROC curve (what sklearn's roc_auc_score gives).
import { checkBinary, checkMulticlass } from './input';
import { splitSorted, walkTieGroups } from './ranking';
import type { BinaryMetric, Labels, MetricOutcome, ProbabilityMatrix, Scores } from './types';

/** Reason shared by the ranking metrics when a class is missing. */
export function missingClassReason(metric: string, positives: number): string {
  const which = positives === 0 ? 'no positive samples' : 'no negative samples';
  return `${metric} is undefined with ${which} (only one class present)`;
}

/** Binary ROC AUC of scores (higher = more positive) against 0/1 labels. */
export function rocAuc(scores: Scores, labels: Labels): MetricOutcome {
  const { positives: P, negatives: N } = checkBinary(scores, labels);
  if (P === 0 || N === 0) return { value: NaN, reason: missingClassReason('ROC AUC', P) };
  // Rank sum of the positives, each tie group getting the average of the ranks it spans.
  let rank = 0; // ranks used so far (1-based ranks of the next group start at rank + 1)
  let rankSumPos = 0;
  walkTieGroups(splitSorted(scores, labels), 'asc', (_t, dp, dn) => {
    const size = dp + dn;
    const avgRank = rank + (size + 1) / 2;
    rankSumPos += dp * avgRank;
    rank += size;
  });
  const u = rankSumPos - (P * (P + 1)) / 2;
  return { value: u / (P * N) };
}

/** ROC curve, JSON-safe. The first point (0, 0) has threshold null: "above every score". */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Point i predicts positive when score >= thresholds[i]. */
  thresholds: (number | null)[];
}

/**
 * ROC curve at every distinct score, highest first (sklearn's roc_curve with
 * drop_intermediate=False, except that its leading +inf threshold is null here).
 * Empty arrays when a class is missing.
 */
export function rocCurve(scores: Scores, labels: Labels): RocCurve {
  const { positives: P, negatives: N } = checkBinary(scores, labels);
  if (P === 0 || N === 0) return { fpr: [], tpr: [], thresholds: [] };
  const curve: RocCurve = { fpr: [0], tpr: [0], thresholds: [null] };
  let tp = 0;
  let fp = 0;
  walkTieGroups(splitSorted(scores, labels), 'desc', (t, dp, dn) => {
    tp += dp;
    fp += dn;
    curve.fpr.push(fp / N);
    curve.tpr.push(tp / P);
    curve.thresholds.push(Number.isFinite(t) ? t : null);
  });
  return curve;
}

/**
 * Multiclass ROC AUC, one-vs-rest, macro-averaged over classes (sklearn's
 * roc_auc_score(multi_class='ovr', average='macro')). Undefined when any class is absent from the
 * labels, as sklearn refuses it too: averaging only the defined classes would quietly change
 * what the number means.
 */
export function macroRocAuc(probs: ProbabilityMatrix, labels: Labels): MetricOutcome & { perClass: number[] } {
  const m = checkMulticlass(probs, labels);
  const column = new Float64Array(m.n);
  const isClass = new Int32Array(m.n);
  const perClass: number[] = [];
  const missing: number[] = [];
  for (let c = 0; c < m.k; c++) {
    for (let i = 0; i < m.n; i++) {
      column[i] = m.values[i * m.k + c];
      isClass[i] = labels[i] === c ? 1 : 0;
    }
    const auc = rocAuc(column, isClass);
    perClass.push(auc.value);
    if (Number.isNaN(auc.value)) missing.push(c);
  }
  if (missing.length > 0) {
    return { value: NaN, perClass, reason: `macro ROC AUC is undefined: class ${missing.join(', ')} is the only class or absent` };
  }
  return { value: perClass.reduce((a, b) => a + b, 0) / m.k, perClass };
}

export const rocAucMetric: BinaryMetric = {
  id: 'rocAuc',
  label: 'ROC AUC',
  higherIsBetter: true,
  usesThreshold: false,
  needsProbabilities: false,
  compute: (scores, labels) => rocAuc(scores, labels),
};
