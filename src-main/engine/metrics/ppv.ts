// Positive predictive value (precision) at a threshold: TP / (TP + FP). Depends on prevalence,
// which is why it can differ between groups even when sensitivity and specificity do not.
import { confusionCounts, rate } from './confusion';
import type { BinaryMetric, Labels, MetricOutcome, Scores } from './types';

export function ppv(scores: Scores, labels: Labels, threshold: number): MetricOutcome {
  const c = confusionCounts(scores, labels, threshold);
  return rate(c.tp, c.tp + c.fp, 'PPV is undefined with no predicted positives');
}

export const ppvMetric: BinaryMetric = {
  id: 'ppv',
  label: 'PPV (precision)',
  higherIsBetter: true,
  usesThreshold: true,
  needsProbabilities: false,
  compute: (scores, labels, ctx) => ppv(scores, labels, ctx.threshold),
};
