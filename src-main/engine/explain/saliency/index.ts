// Saliency methods behind one interface (types.ts): gradient, gradient x input, SmoothGrad (a
// wrapper), Integrated Gradients, Grad-CAM, occlusion, IBA and InputIBA; their registry; the
// reference-image statistics the bottlenecks need. Heatmap rendering: ./render (sharp).
export type * from './types';
export { AttributionMethod, type MethodFlags } from './base';
export { Gradient } from './gradient';
export { GradientXInput } from './gradient-x-input';
export { SmoothGrad } from './smoothgrad';
export { IntegratedGradients } from './integrated-gradients';
export { GradCam } from './grad-cam';
export { Occlusion, windowOrigins } from './occlusion';
export { Iba, fitFeatureBottleneck, capacityToPixels } from './iba';
export { InputIba } from './input-iba';
export { trainMaskGenerator } from './mask-generator';
export { bottleneck, featureKl, gaussianKl, inputIbaKl, optimiseMask } from './bottleneck';
export { makeReference, disposeReference, featureStats, inputStats, type FeatureStats, type InputStats } from './reference';
export { targetGradient, targetProbabilities, gaussianSmooth } from './common';
export { bottleneckLayer, gradCamLayer } from './layers';
export { AttributionRegistry, createAttributionRegistry, saliencyMethods } from './registry';
