// The classifier under audit: one interface for the engine, loaders/savers for tfjs model
// folders, the model hash, the CNN family and its training loop.
export { GraphAuditedModel, LayersAuditedModel, toModelInput, toProbabilities, type AuditedModel } from './audited-model';
export { AugmentSchema, imageBatch, predictPositive, predictRows, type Augment } from './batches';
export { hashModelDir, hashModelFiles } from './hash';
export { fileLoadHandler, fileSaveHandler, writeFileAtomic, MODEL_JSON } from './io';
export { loadAuditedModel, saveLayersModel, wrapLayersModel } from './load';
export { parseSidecar, readSidecar, SidecarSchema, SIDECAR_FILE, type Sidecar, type SidecarInput } from './sidecar';
export { trainClassifier, type TrainHooks, type TrainRequest, type TrainResult } from './train';
export { TrainOptionsSchema, type EpochStats, type TrainOptions, type TrainOptionsInput } from './train-options';
export * from './architectures';
