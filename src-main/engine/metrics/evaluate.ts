// Evaluation of a classifier on a split: every registered metric with a bootstrap interval, plus
// what the plots need (ROC curve, reliability diagram, confusion matrix) and the Youden point.
// Results are plain JSON (no NaN, no Infinity) for the UI, the CLI's --json and the report.
import { multiclassAccuracy } from './accuracy';
import { bootstrapMetrics, percentileInterval, resampleStatistics, resolveBootstrapOptions, type BootstrapOptions, type MetricFn, type ResolvedBootstrapOptions } from './bootstrap';
import { multiclassBrierScore } from './brier';
import { confusionCounts, confusionMatrix } from './confusion';
import { calibration, multiclassCalibration, type CalibrationMode, type CalibrationResult } from './ece';
import { checkBinary, checkMulticlass, checkThreshold, jsonNumber } from './input';
import { binaryMetrics, type MetricRegistry } from './registry';
import { macroRocAuc, rocCurve, type RocCurve } from './roc-auc';
import type { BinaryMetric, BootstrapInterval, ConfusionCounts, Labels, MetricContext, MetricInfo, MetricOutcome, ProbabilityMatrix, Scores } from './types';
import { youdenThreshold, type YoudenPoint } from './youden';

export interface EvaluateOptions {
  /** Decision threshold for the threshold metrics (default 0.5). */
  threshold?: number;
  /** Equal-width bins for ECE and the reliability diagram (default 10). */
  eceBins?: number;
  /** Reliability diagram view (default 'top-label'; ECE in `metrics` is always top-label). */
  calibrationMode?: CalibrationMode;
  /** Metric ids to compute (default: all registered, in registry order). */
  metrics?: string[];
  bootstrap?: BootstrapOptions;
  /** Registry to draw metrics from (default: the built-in one). */
  registry?: MetricRegistry;
}

/** Evaluation of a binary classifier; `metrics` is keyed by metric id. */
export interface BinaryEvaluation {
  kind: 'binary';
  n: number;
  positives: number;
  negatives: number;
  threshold: number;
  /** Metric descriptions, in display order. */
  metricInfo: MetricInfo[];
  metrics: Record<string, BootstrapInterval>;
  confusion: ConfusionCounts;
  roc: RocCurve;
  calibration: CalibrationResult;
  /** Youden-optimal threshold on this split (informative; see youden.ts on choosing thresholds). */
  youden: YoudenPoint;
  bootstrap: ResolvedBootstrapOptions;
}

/** Resolves metric ids against a registry (all of them by default). */
export function selectMetrics(registry: MetricRegistry, ids?: string[]): BinaryMetric[] {
  if (!ids) return registry.list();
  if (new Set(ids).size !== ids.length) throw new Error(`duplicate metric ids in ${ids.join(', ')}`);
  return ids.map((id) => registry.get(id));
}

/** Adapts registered metrics to the bootstrap's (scores, labels) => outcome form. */
export function metricFns(metrics: BinaryMetric[], ctx: MetricContext): Record<string, MetricFn> {
  return Object.fromEntries(metrics.map((m) => [m.id, (s: Float64Array, y: Int32Array) => m.compute(s, y, ctx)]));
}

/** Evaluates binary positive-class probabilities against 0/1 labels. */
export function evaluateBinary(probs: Scores, labels: Labels, options: EvaluateOptions = {}): BinaryEvaluation {
  const threshold = options.threshold ?? 0.5;
  const eceBins = options.eceBins ?? 10;
  checkThreshold(threshold);
  const { n, positives, negatives } = checkBinary(probs, labels, { probabilities: true });
  const boot = resolveBootstrapOptions(options.bootstrap);
  const metrics = selectMetrics(options.registry ?? binaryMetrics, options.metrics);
  return {
    kind: 'binary',
    n,
    positives,
    negatives,
    threshold,
    metricInfo: metrics.map(({ id, label, higherIsBetter, usesThreshold }) => ({ id, label, higherIsBetter, usesThreshold })),
    metrics: bootstrapMetrics(probs, labels, metricFns(metrics, { threshold, eceBins }), boot),
    confusion: confusionCounts(probs, labels, threshold),
    roc: rocCurve(probs, labels),
    calibration: calibration(probs, labels, { bins: eceBins, mode: options.calibrationMode }),
    youden: youdenThreshold(probs, labels),
    bootstrap: boot,
  };
}

/** Evaluation of a multiclass classifier (argmax predictions, one-vs-rest macro AUC). */
export interface MulticlassEvaluation {
  kind: 'multiclass';
  n: number;
  classes: number;
  /** Samples per true class. */
  classCounts: number[];
  /** accuracy, macroRocAuc, ece (top-label), brier, with intervals. */
  metrics: Record<'accuracy' | 'macroRocAuc' | 'ece' | 'brier', BootstrapInterval>;
  /** One-vs-rest AUC per class, null when the class is absent or alone. */
  perClassRocAuc: (number | null)[];
  /** matrix[true][predicted]. */
  confusion: number[][];
  calibration: CalibrationResult;
  bootstrap: ResolvedBootstrapOptions;
}

/** Evaluates multiclass probabilities (rows, or a flat [n, k] buffer) against labels 0..k-1. */
export function evaluateMulticlass(
  probs: ProbabilityMatrix,
  labels: Labels,
  options: { eceBins?: number; bootstrap?: BootstrapOptions } = {},
): MulticlassEvaluation {
  const m = checkMulticlass(probs, labels);
  const boot = resolveBootstrapOptions(options.bootstrap);
  const eceBins = options.eceBins ?? 10;
  const y = Int32Array.from(labels);
  const names = ['accuracy', 'macroRocAuc', 'ece', 'brier'] as const;
  const compute = (p: ProbabilityMatrix, l: Int32Array): MetricOutcome[] => [
    multiclassAccuracy(p, l),
    macroRocAuc(p, l),
    { value: multiclassCalibration(p, l, { bins: eceBins }).ece },
    multiclassBrierScore(p, l),
  ];
  const full = compute({ values: m.values, classes: m.k }, y);
  const rv = new Float64Array(m.values.length);
  const ry = new Int32Array(m.n);
  const draws = resampleStatistics(
    m.n,
    (idx) => {
      for (let i = 0; i < m.n; i++) {
        rv.set(m.values.subarray(idx[i] * m.k, (idx[i] + 1) * m.k), i * m.k);
        ry[i] = y[idx[i]];
      }
      return compute({ values: rv, classes: m.k }, ry).map((o) => o.value);
    },
    { resamples: boot.resamples, seed: boot.seed, strata: boot.stratify ? y : null },
  );
  const info = { n: m.n, resamples: boot.resamples, confidence: boot.confidence };
  const metrics = Object.fromEntries(names.map((name, j) => [name, percentileInterval(full[j], draws[j], info)])) as MulticlassEvaluation['metrics'];
  const classCounts = new Array<number>(m.k).fill(0);
  for (let i = 0; i < m.n; i++) classCounts[y[i]]++;
  return {
    kind: 'multiclass',
    n: m.n,
    classes: m.k,
    classCounts,
    metrics,
    perClassRocAuc: macroRocAuc({ values: m.values, classes: m.k }, y).perClass.map(jsonNumber),
    confusion: confusionMatrix({ values: m.values, classes: m.k }, y),
    calibration: multiclassCalibration({ values: m.values, classes: m.k }, y, { bins: eceBins }),
    bootstrap: boot,
  };
}
