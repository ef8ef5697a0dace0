// Expected calibration error with equal-width bins (Guo et al. 2017), and the reliability diagram
// it is read from. ECE = sum_b (n_b / n) * |accuracy_b - confidence_b|.
//
// Two binary views: 'top-label' (default; the standard ECE, and the one that generalises to
// multiclass) bins the confidence of the predicted class, max(p, 1 - p), against whether the
// prediction at 0.5 was right; 'positive' bins P(y = 1) against the observed fraction of positives
// (sklearn's calibration_curve view, which covers [0, 1] and shows under- and over-estimation).
import { argmaxRow, bad, checkBinary, checkMulticlass } from './input';
import type { BinaryMetric, Labels, MetricOutcome, ProbabilityMatrix, Scores } from './types';

export type CalibrationMode = 'top-label' | 'positive';

/** One bar of the reliability diagram, JSON-safe (empty bins have null means). */
export interface ReliabilityBin {
  /** Bin edges; the last bin includes its upper edge. */
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted confidence in the bin. */
  meanConfidence: number | null;
  /** Fraction correct ('top-label') or fraction positive ('positive') in the bin. */
  accuracy: number | null;
}

export interface CalibrationResult {
  mode: CalibrationMode;
  /** Expected calibration error, in [0, 1]. */
  ece: number;
  /** Maximum calibration error over non-empty bins. */
  mce: number;
  bins: ReliabilityBin[];
}

function checkBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) bad(`number of bins must be a positive integer; got ${bins}`);
}

/** Bins confidences (in [0, 1]) against outcomes (1 = correct / positive, 0 otherwise). */
function binned(conf: Float64Array, outcome: Uint8Array, nBins: number, mode: CalibrationMode): CalibrationResult {
  const count = new Float64Array(nBins);
  const sumConf = new Float64Array(nBins);
  const sumOut = new Float64Array(nBins);
  for (let i = 0; i < conf.length; i++) {
    const b = Math.min(nBins - 1, Math.floor(conf[i] * nBins));
    count[b]++;
    sumConf[b] += conf[i];
    sumOut[b] += outcome[i];
  }
  let ece = 0;
  let mce = 0;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < nBins; b++) {
    const c = count[b];
    const meanConfidence = c > 0 ? sumConf[b] / c : null;
    const accuracy = c > 0 ? sumOut[b] / c : null;
    if (c > 0) {
      const gap = Math.abs((accuracy as number) - (meanConfidence as number));
      ece += (c / conf.length) * gap;
      mce = Math.max(mce, gap);
    }
    bins.push({ lower: b / nBins, upper: (b + 1) / nBins, count: c, meanConfidence, accuracy });
  }
  return { mode, ece, mce, bins };
}

/** Calibration of binary positive-class probabilities (default 10 bins, top-label). */
export function calibration(
  probs: Scores,
  labels: Labels,
  opts: { bins?: number; mode?: CalibrationMode } = {},
): CalibrationResult {
  const nBins = opts.bins ?? 10;
  const mode = opts.mode ?? 'top-label';
  checkBins(nBins);
  const { n } = checkBinary(probs, labels, { probabilities: true });
  const conf = new Float64Array(n);
  const outcome = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = probs[i];
    if (mode === 'positive') {
      conf[i] = p;
      outcome[i] = labels[i];
    } else {
      const predicted = p >= 0.5 ? 1 : 0;
      conf[i] = predicted === 1 ? p : 1 - p;
      outcome[i] = predicted === labels[i] ? 1 : 0;
    }
  }
  return binned(conf, outcome, nBins, mode);
}

/** Top-label calibration of multiclass probabilities: max probability against argmax correctness. */
export function multiclassCalibration(probs: ProbabilityMatrix, labels: Labels, opts: { bins?: number } = {}): CalibrationResult {
  const nBins = opts.bins ?? 10;
  checkBins(nBins);
  const m = checkMulticlass(probs, labels);
  const conf = new Float64Array(m.n);
  const outcome = new Uint8Array(m.n);
  for (let i = 0; i < m.n; i++) {
    const c = argmaxRow(m, i);
    conf[i] = m.values[i * m.k + c];
    outcome[i] = c === labels[i] ? 1 : 0;
  }
  return binned(conf, outcome, nBins, 'top-label');
}

/** ECE alone, as a metric outcome (always defined on a non-empty sample). */
export function expectedCalibrationError(
  probs: Scores,
  labels: Labels,
  opts: { bins?: number; mode?: CalibrationMode } = {},
): MetricOutcome {
  return { value: calibration(probs, labels, opts).ece };
}

export const eceMetric: BinaryMetric = {
  id: 'ece',
  label: 'ECE',
  higherIsBetter: false,
  usesThreshold: false,
  needsProbabilities: true,
  compute: (probs, labels, ctx) => expectedCalibrationError(probs, labels, { bins: ctx.eceBins }),
};
