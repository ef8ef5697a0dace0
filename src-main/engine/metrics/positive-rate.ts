// Positive rate at a threshold: the fraction predicted positive, whatever the label. Demographic
// parity compares it across groups. Neither better high nor low: it is reported, not ranked.
import { confusionCounts } from './confusion';
import type { BinaryMetric, Labels, MetricOutcome, Scores } from './types';

export function positiveRate(scores: Scores, labels: Labels, threshold: number): MetricOutcome {
  const c = confusionCounts(scores, labels, threshold);
  return { value: (c.tp + c.fp) / scores.length };
}

export const positiveRateMetric: BinaryMetric = {
  id: 'positiveRate',
  label: 'Positive rate',
  higherIsBetter: null,
  usesThreshold: true,
  needsProbabilities: false,
  compute: (scores, labels, ctx) => positiveRate(scores, labels, ctx.threshold),
};
