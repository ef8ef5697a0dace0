// Public entry of the metrics module: evaluation and subgroup audit of binary (and multiclass)
// classifiers from predicted probabilities and labels, with seeded bootstrap intervals.
export type * from './types';
export { binaryMetrics, MetricRegistry } from './registry';
export { accuracy, multiclassAccuracy } from './accuracy';
export { rocAuc, rocCurve, macroRocAuc, type RocCurve } from './roc-auc';
export { averagePrecision } from './average-precision';
export { sensitivity } from './sensitivity';
export { specificity } from './specificity';
export { ppv } from './ppv';
export { npv } from './npv';
export { positiveRate } from './positive-rate';
export { confusionCounts, confusionMatrix } from './confusion';
export { youdenThreshold, type YoudenPoint } from './youden';
export { calibration, multiclassCalibration, expectedCalibrationError, type CalibrationMode, type CalibrationResult, type ReliabilityBin } from './ece';
export { brierScore, multiclassBrierScore } from './brier';
export { mulberry32, deriveSeed } from './prng';
export {
  bootstrapMetric,
  bootstrapMetrics,
  resampleStatistics,
  percentileInterval,
  quantileSorted,
  resolveBootstrapOptions,
  DEFAULT_SEED,
  type BootstrapOptions,
  type ResolvedBootstrapOptions,
  type MetricFn,
} from './bootstrap';
export { evaluateBinary, evaluateMulticlass, type EvaluateOptions, type BinaryEvaluation, type MulticlassEvaluation } from './evaluate';
export {
  auditSubgroups,
  type AttributeColumns,
  type SubgroupAuditOptions,
  type SubgroupAudit,
  type AttributeSetResult,
  type GroupResult,
  type GapResult,
  type EqualizedOddsResult,
} from './subgroups';
