// Visual causal feature learning (seed 001): GRATING, observational/causal partitions,
// Algorithms 1 and 2, MErr/MDist, scripted agents, feature effects and the audit verdict.
export * from './images';
export * from './grating';
export { Mlp, type TrainOptions } from './mlp';
export { observationalPartition, nearest, type ObservationalPartition } from './observational';
export { gratingAgent, labelAgent, type Agent } from './agents';
export { causalPartition, trainCausalPredictor, type CausalPartition, type Algorithm1Options } from './algorithm1';
export { manipulate, type ManipulateOptions } from './manipulator';
export { learnManipulator, type Algorithm2Options, type Algorithm2Result, type CausalData, type IterationStats, type ManipulationBatch } from './algorithm2';
export { merr, mdist, distance } from './metrics';
export { auditVerdict, featureEffect, meanInterval, outputChanges, type Effect, type Verdict, type Predictor } from './effects';
export { examplePairs, pngDataUrl, type ExamplePair } from './png';
export { runGrating, addFeature, type CausalFeaturesResult, type ObservationalClassInfo, type RunHooks } from './grating-experiment';
export { runPneumoniaMarker } from './pneumonia-experiment';
