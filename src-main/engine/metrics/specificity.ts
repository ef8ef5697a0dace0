// Specificity (true-negative rate) at a threshold: TN / (TN + FP) = 1 - FPR. Undefined without
// negatives. Equalized odds compares the FPR across groups, so the specificity gap is the FPR gap.
import { confusionCounts, rate } from './confusion';
import type { BinaryMetric, Labels, MetricOutcome, Scores } from './types';

export function specificity(scores: Scores, labels: Labels, threshold: number): MetricOutcome {
  const c = confusionCounts(scores, labels, threshold);
  return rate(c.tn, c.tn + c.fp, 'specificity is undefined with no negative samples');
}

export const specificityMetric: BinaryMetric = {
  id: 'specificity',
  label: 'Specificity (TNR)',
  higherIsBetter: true,
  usesThreshold: true,
  needsProbabilities: false,
  compute: (scores, labels, ctx) => specificity(scores, labels, ctx.threshold),
};
