// Quality metrics of progressive-exaggeration explainers (seed 004 section 4, METHODS.md 1).
export { compatibility, isMonotone, pearson, type CompatibilityResult } from './compatibility';
export { confoundingMetric, type ConfoundingEnd, type ConfoundingOptions, type ConfoundingResult } from './confounding';
export { evaluateExplainerQuality, type ConfoundingReport, type ExaggerationQuality, type FrechetResult, type OracleInput, type QualityOptions } from './evaluate';
export { frechetDistance, frechetFromMoments, meanCov, openFeatureSpace, projectionMatrix, type FeatureSpace, type FrechetFeatureKind } from './frechet';
export { latentSpaceCloseness } from './latent-closeness';
export { largestSingularValue, sqrtPsd, symmetricEigen } from './linalg';
export { attributeSet, trainOracle, type Oracle, type OracleRequest } from './oracle';
export { meanAbsDiff, selfConsistency, type SelfConsistencyResult } from './self-consistency';
export { oracleDecisions, seriesStrips, type SubgroupStrip } from './strips';
