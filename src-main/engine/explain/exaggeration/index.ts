// Progressive exaggeration (seed 004; METHODS.md section 1): an encoder-generator explainer
// I_f(x, delta) = G(E(x), c_f(x, delta)) trained against a frozen classifier f, its series, the
// exaggeration saliency map, training with checkpoints, and explainer folders bound to f's hash.
export { binCentre, binOf, binRange, binsOf } from './bins';
export { defaultArch, explainerArch, sidesOf, ExplainerArchSchema, ExplainerTrainOptionsSchema, LossWeightsSchema } from './config';
export type { ExplainerArch, ExplainerArchInput, ExplainerTrainOptions, ExplainerTrainOptionsInput, LossWeights } from './config';
export { ExaggerationExplainer, classifierRef, type ClassifierRef } from './explainer';
export { EXPLAINER_JSON, EXPLAINER_WEIGHTS, hashExplainerDir, loadExplainer, readExplainerFile, saveExplainer, type ExplainerFile, type LoadedExplainer } from './io';
export { explainerDir, explainerRecord, installExplainer, listExplainers, projectExplainer, recordExplainer, shippedExplainers, type ExplainerRecord } from './project';
export { exaggerationSaliency, exaggerationSaliencyAsync } from './saliency';
export { computeSeries, differenceMap, frameOf, queryOf, seriesForRows, seriesJson, type SeriesBatch, type SeriesJson } from './series';
export { ExaggerationStep, LOSS_KEYS, type StepLosses } from './step';
export { trainExplainer, type ExplainerTrainHooks, type ExplainerTrainRequest, type ExplainerTrainResult } from './trainer';
export type { TrainingSample } from './sample';
