// Brier score: mean squared error of the predicted probabilities. Unlike ECE it needs no binning
// and is a proper scoring rule, so it rewards both calibration and discrimination.
import { checkBinary, checkMulticlass } from './input';
import type { BinaryMetric, Labels, MetricOutcome, ProbabilityMatrix, Scores } from './types';

/** Binary Brier score: mean of (p - y)^2 (sklearn's brier_score_loss), in [0, 1]. */
export function brierScore(probs: Scores, labels: Labels): MetricOutcome {
  const { n } = checkBinary(probs, labels, { probabilities: true });
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (probs[i] - labels[i]) ** 2;
  return { value: sum / n };
}

/** Multiclass Brier score: mean over samples of sum_k (p_k - [y = k])^2 (Brier's original), in [0, 2]. */
export function multiclassBrierScore(probs: ProbabilityMatrix, labels: Labels): MetricOutcome {
  const m = checkMulticlass(probs, labels);
  let sum = 0;
  for (let i = 0; i < m.n; i++) {
    for (let c = 0; c < m.k; c++) sum += (m.values[i * m.k + c] - (labels[i] === c ? 1 : 0)) ** 2;
  }
  return { value: sum / m.n };
}

export const brierMetric: BinaryMetric = {
  id: 'brier',
  label: 'Brier score',
  higherIsBetter: false,
  usesThreshold: false,
  needsProbabilities: true,
  compute: (probs, labels) => brierScore(probs, labels),
};
