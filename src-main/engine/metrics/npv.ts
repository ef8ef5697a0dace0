// Negative predictive value at a threshold: TN / (TN + FN). Prevalence-dependent, like PPV.
import { confusionCounts, rate } from './confusion';
import type { BinaryMetric, Labels, MetricOutcome, Scores } from './types';

export function npv(scores: Scores, labels: Labels, threshold: number): MetricOutcome {
  const c = confusionCounts(scores, labels, threshold);
  return rate(c.tn, c.tn + c.fn, 'NPV is undefined with no predicted negatives');
}

export const npvMetric: BinaryMetric = {
  id: 'npv',
  label: 'NPV',
  higherIsBetter: true,
  usesThreshold: true,
  needsProbabilities: false,
  compute: (scores, labels, ctx) => npv(scores, labels, ctx.threshold),
};
