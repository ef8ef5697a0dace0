// Model invariances (seed 003): the supervised VAE surrogate and its M2 comparison, training,
// saving, the invariance test, invariant samples, latent counterfactuals and KL attribution.
export { klDiag, klStdNormal, klDiagNumbers, reparameterize, sliceDims, type DiagGaussian } from './gaussian';
export { bernoulliLogLik, gaussianLogLik, pixelLogLik, categoricalLogLik, m2Terms, svaeTerms, type M2Terms, type SvaeTerms } from './objective';
export { ParamStore } from './params';
export { ConvDecoder, ConvEncoder, Head, resolveWidths } from './networks';
export { Svae } from './svae';
export { M2Vae } from './m2';
export type { BatchTerms, Surrogate, SurrogateConfig } from './surrogate';
export { createSurrogate, registerSurrogateKind, surrogateConfig } from './factory';
export { trainSurrogate, type SurrogateTrainHooks, type SurrogateTrainRequest, type SurrogateTrainResult } from './train';
export { evaluateSurrogate, surrogatePredictions, argmaxRows, type SurrogateEval } from './evaluate';
export type { SurrogateEpoch } from './checkpoint';
export { EncoderClassifier, trainEncoderClassifier } from './baseline';
export {
  artefactKey,
  decodeSurrogate,
  encodeSurrogate,
  loadSurrogateDir,
  loadSurrogateFromProject,
  projectSurrogateMeta,
  saveSurrogateDir,
  saveSurrogateToProject,
  type SurrogateMeta,
} from './io';
export { invarianceTest, m2Invariance, sigmaKey, type InvarianceSubject, type InvarianceTestRequest } from './invariance-test';
export { invariantSamples, latentCounterfactuals, type InvariantSamples, type LatentCounterfactuals } from './samples';
export { attributeDivergence, attributionMethod, attributionMethods, boxShare, divergenceFn, registerAttribution, DEFAULT_ATTRIBUTION, type AttributionSettings, type Attributor, type ScalarFn } from './attribution';
export { divergingPng, greyPng } from './png';
export { auditedDecisions, labelsInModelSpace } from './labels';
export { analyseInvariances, divergenceMaps, divergenceSettings, type AnalysisOutput, type AnalysisRequest } from './analysis';
export { DivergenceModel, DIVERGENCE_TARGET } from './divergence-model';
