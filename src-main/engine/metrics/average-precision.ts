// PR AUC as average precision, the step-wise sum sklearn's average_precision_score computes:
// AP = sum_k (R_k - R_{k-1}) * P_k over thresholds at each distinct score, highest first. Unlike
// trapezoidal interpolation of the PR curve, it never credits precision the classifier does not
// reach. Tied scores form one threshold, so ties are exact too.
import { checkBinary } from './input';
import { splitSorted, walkTieGroups } from './ranking';
import { missingClassReason } from './roc-auc';
import type { BinaryMetric, Labels, MetricOutcome, Scores } from './types';

/** Average precision of scores against 0/1 labels; NaN without positives (recall undefined). */
export function averagePrecision(scores: Scores, labels: Labels): MetricOutcome {
  const { positives: P } = checkBinary(scores, labels);
  if (P === 0) return { value: NaN, reason: missingClassReason('average precision', P) };
  let tp = 0;
  let fp = 0;
  let ap = 0;
  walkTieGroups(splitSorted(scores, labels), 'desc', (_t, dp, dn) => {
    tp += dp;
    fp += dn;
    // Recall only moves when the group holds positives; precision is taken after the whole group.
    if (dp > 0) ap += (dp / P) * (tp / (tp + fp));
  });
  return { value: ap };
}

export const averagePrecisionMetric: BinaryMetric = {
  id: 'averagePrecision',
  label: 'PR AUC (average precision)',
  higherIsBetter: true,
  usesThreshold: false,
  needsProbabilities: false,
  compute: (scores, labels) => averagePrecision(scores, labels),
};
