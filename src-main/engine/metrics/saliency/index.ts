// Metrics that judge saliency maps (any method): deletion and insertion AUC, pixel
// perturbation against random maps, effective heat ratio in a region, and the
// model-randomisation sanity check.
export type * from './types';
export { SaliencyMetricBase } from './base';
export { Deletion } from './deletion';
export { Insertion } from './insertion';
export { PixelPerturbation } from './pixel-perturbation';
export { Ehr, effectiveHeatRatio, boxMask, type EhrResult } from './ehr';
export { Sanity } from './sanity';
export { randomisedCopy, weightedLayersTopDown } from './randomise';
export { perturbationCurves, scaledStep, type Curve, type CurveJob } from './perturbation-curve';
export { gaussianBlur, scaledBlur } from './blur';
export { rankPixels, ranks, spearman, toHeat, trapezoid, quantileSorted } from './ranking';
export { SaliencyMetricRegistry, createSaliencyMetricRegistry, saliencyMetrics } from './registry';
