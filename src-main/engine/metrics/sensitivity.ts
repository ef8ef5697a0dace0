// Sensitivity (recall, true-positive rate) at a threshold: TP / (TP + FN). Undefined without
// positives. Equalized odds compares it across groups.
import { confusionCounts, rate } from './confusion';
import type { BinaryMetric, Labels, MetricOutcome, Scores } from './types';

export function sensitivity(scores: Scores, labels: Labels, threshold: number): MetricOutcome {
  const c = confusionCounts(scores, labels, threshold);
  return rate(c.tp, c.tp + c.fn, 'sensitivity is undefined with no positive samples');
}

export const sensitivityMetric: BinaryMetric = {
  id: 'sensitivity',
  label: 'Sensitivity (TPR)',
  higherIsBetter: true,
  usesThreshold: true,
  needsProbabilities: false,
  compute: (scores, labels, ctx) => sensitivity(scores, labels, ctx.threshold),
};
