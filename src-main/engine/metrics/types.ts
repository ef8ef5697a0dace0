// Shared types of the metrics module. Metric functions are pure and synchronous; they take
// plain arrays (typed arrays straight from tfjs' dataSync() work as they are).

/** Scores: the positive-class probability per sample (binary), or any real score for ranking metrics. */
export type Scores = ArrayLike<number>;
/** Class labels per sample: 0/1 for binary metrics, 0..k-1 for multiclass ones. */
export type Labels = ArrayLike<number>;

/**
 * Class probabilities for multiclass metrics: either one row per sample, or a flat row-major
 * buffer with the number of classes (the shape a tfjs `[n, k]` tensor's dataSync() gives).
 */
export type ProbabilityMatrix = readonly ArrayLike<number>[] | { values: ArrayLike<number>; classes: number };

/**
 * In-memory result of one metric on one sample. `value` is NaN when the metric is undefined
 * for the sample (e.g. ROC AUC with a single class), and `reason` then says why, so callers can
 * show the reason instead of a bare "NaN".
 */
export interface MetricOutcome {
  value: number;
  reason?: string;
}

/** What a registered metric may need besides scores and labels. */
export interface MetricContext {
  /** Decision threshold: a sample is predicted positive when score >= threshold. */
  threshold: number;
  /** Number of equal-width bins for ECE. */
  eceBins: number;
}

/** A binary metric as registered in the metric registry and iterated by evaluation and audits. */
export interface BinaryMetric {
  /** Stable key used in JSON results (camelCase). */
  id: string;
  /** Human label for tables and reports. */
  label: string;
  /** Whether larger values are better (false for ECE, Brier); null when neither (positive rate). */
  higherIsBetter: boolean | null;
  /** Whether the value depends on the decision threshold. */
  usesThreshold: boolean;
  /** Whether scores must be probabilities in [0, 1] (calibration metrics). */
  needsProbabilities: boolean;
  /** Computes the metric; throws on malformed input (empty, mismatched, non-binary labels). */
  compute(scores: Scores, labels: Labels, ctx: MetricContext): MetricOutcome;
}

/** Public description of a metric, for UIs and reports. */
export type MetricInfo = Pick<BinaryMetric, 'id' | 'label' | 'higherIsBetter' | 'usesThreshold'>;

/** Binary confusion counts at a threshold. */
export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/**
 * A bootstrap interval, JSON-safe: undefined numbers are null, never NaN or Infinity
 * (JSON.stringify would silently turn those into null anyway).
 */
export interface BootstrapInterval {
  /** The metric on the full sample; null when undefined there (see `reason`). */
  value: number | null;
  /** Lower and upper percentile bounds; null when no resample gave a defined value. */
  lo: number | null;
  hi: number | null;
  /** Sample size the metric was computed on. */
  n: number;
  /** Resamples drawn. */
  resamples: number;
  /** Resamples that gave a defined value (others, e.g. lacking a class, were skipped). */
  used: number;
  /** Confidence level, e.g. 0.95. */
  confidence: number;
  /** Why value or bounds are null, when they are. */
  reason?: string;
}
