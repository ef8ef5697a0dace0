// Accuracy: the fraction of correct predictions. Binary: at a threshold (score >= threshold is
// positive). Multiclass: argmax prediction. Defined for any non-empty sample, one class included.
import { confusionCounts } from './confusion';
import { argmaxRow, checkMulticlass } from './input';
import type { BinaryMetric, Labels, MetricOutcome, ProbabilityMatrix, Scores } from './types';

export function accuracy(scores: Scores, labels: Labels, threshold: number): MetricOutcome {
  const c = confusionCounts(scores, labels, threshold);
  return { value: (c.tp + c.tn) / scores.length };
}

export function multiclassAccuracy(probs: ProbabilityMatrix, labels: Labels): MetricOutcome {
  const m = checkMulticlass(probs, labels);
  let correct = 0;
  for (let i = 0; i < m.n; i++) if (argmaxRow(m, i) === labels[i]) correct++;
  return { value: correct / m.n };
}

export const accuracyMetric: BinaryMetric = {
  id: 'accuracy',
  label: 'Accuracy',
  higherIsBetter: true,
  usesThreshold: true,
  needsProbabilities: false,
  compute: (scores, labels, ctx) => accuracy(scores, labels, ctx.threshold),
};
