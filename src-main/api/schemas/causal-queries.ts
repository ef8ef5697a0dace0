// Causal queries answered by the auditor (seed 001, the human agent): a batch of manipulated
// images beside their originals, and the auditor's present/absent answers saved in the project.
// Pure zod so that the API contract, the engine and the renderer share one definition.
import { z } from 'zod';

export const CausalQueriesParamsSchema = z
  .object({
    /** 'grating': the seed's synthetic benchmark; 'pneumonia-marker': the demo X-rays with a burned-in marker. */
    experiment: z.enum(['grating', 'pneumonia-marker']).default('grating'),
    /** Queries in the batch (manipulated images to judge). */
    count: z.number().int().min(1).max(200).default(20),
    seed: z.number().int().min(0).default(1),
    /** Observational images for the observational network and Algorithm 1 (GRATING; PneumoniaMNIST uses its train split). */
    observational: z.number().int().min(200).max(20000).default(1000),
    /** Weight of the distance term of the manipulator (the seed: 0.5). */
    alpha: z.number().gt(0).lt(1).default(0.5),
    /** Hidden units of C and of the observational network (the seed: 100). */
    hidden: z.number().int().min(4).max(1024).default(100),
    /** Epochs of C's training on the causal data set of Algorithm 1. */
    epochs: z.number().int().min(1).max(500).default(30),
  })
  .strict();
export type CausalQueriesParams = z.infer<typeof CausalQueriesParamsSchema>;

export const BatchIdSchema = z.string().min(1).max(64).regex(/^[a-z0-9-]+$/);
export const CausalAnswerSchema = z.enum(['present', 'absent']);
export type CausalAnswer = z.infer<typeof CausalAnswerSchema>;

/** One saved answer: `seq` orders the answers of a batch (undo takes back the highest). */
export const SavedAnswerSchema = z.object({ answer: CausalAnswerSchema, seq: z.number().int().positive(), at: z.string() }).strict();
export type SavedAnswer = z.infer<typeof SavedAnswerSchema>;
/** Answers by query index (as a string key), kept in the batch's manifest artefact. */
export const SavedAnswersSchema = z.record(z.string().regex(/^\d+$/), SavedAnswerSchema);

/** A query as stored (the blob). `truth` is the scripted agent's answer, never sent to the view. */
export const StoredQuerySchema = z
  .object({
    index: z.number().int().min(0),
    original: z.string().startsWith('data:image/png;base64,'),
    manipulated: z.string().startsWith('data:image/png;base64,'),
    /** Causal class of the original (0: feature absent, 1: present) and the manipulator's target. */
    fromClass: z.number().int().min(0).max(1),
    targetClass: z.number().int().min(0).max(1),
    /** C's output on the manipulated image (0..1: absent..present). */
    prediction: z.number(),
    /** Share of pixels the manipulation changed by more than 0.5 (GRATING: flipped pixels). */
    changed: z.number(),
    truth: CausalAnswerSchema,
  })
  .strict();

export const StoredBatchSchema = z
  .object({
    batchId: BatchIdSchema,
    experiment: z.enum(['grating', 'pneumonia-marker']),
    seed: z.number().int(),
    question: z.string(),
    feature: z.string(),
    /** P(T | do) of the causal classes (absent, present) found by Algorithm 1. */
    causalValues: z.array(z.number()).length(2),
    params: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    /** Side of the model images (pixels below are size x size per image, uint8, base64). */
    size: z.number().int().positive(),
    pixels: z.object({ originals: z.string(), manipulated: z.string() }).strict(),
    queries: z.array(StoredQuerySchema).min(1),
  })
  .strict();
export type StoredBatch = z.infer<typeof StoredBatchSchema>;

export const CausalQueryBatchSummarySchema = z.object({
  batchId: BatchIdSchema,
  experiment: z.enum(['grating', 'pneumonia-marker']),
  count: z.number().int(),
  answered: z.number().int(),
  createdAt: z.string(),
});
export type CausalQueryBatchSummary = z.infer<typeof CausalQueryBatchSummarySchema>;

/** A batch as the view sees it: no scripted truth, no raw pixels; each query with its answer. */
export const CausalQueryBatchSchema = z.object({
  batchId: BatchIdSchema,
  experiment: z.enum(['grating', 'pneumonia-marker']),
  question: z.string(),
  feature: z.string(),
  createdAt: z.string(),
  answered: z.number().int(),
  queries: z.array(
    z.object({
      index: z.number().int(),
      original: z.string(),
      manipulated: z.string(),
      fromClass: z.number().int(),
      targetClass: z.number().int(),
      answer: CausalAnswerSchema.nullable(),
      seq: z.number().int().nullable(),
    }),
  ),
});
export type CausalQueryBatch = z.infer<typeof CausalQueryBatchSchema>;

/** Retrains C with the auditor's answers to a batch and gives the audit verdict. */
export const CausalQueriesVerdictParamsSchema = z
  .object({
    batchId: z.string().min(1).max(64).regex(/^[a-z0-9-]+$/),
    /** Epochs of C's retraining on D_csl grown by the answered queries. */
    retrainEpochs: z.number().int().min(1).max(200).default(15),
    /** Test images for the feature effects. */
    testImages: z.number().int().min(50).max(20000).default(500),
    /** Bootstrap resamples of the intervals. */
    bootstrap: z.number().int().min(100).max(100000).default(500),
  })
  .strict();
export type CausalQueriesVerdictParams = z.infer<typeof CausalQueriesVerdictParamsSchema>;

export const CausalQueryApiSchemas = {
  list: { request: z.object({}).strict(), response: z.array(CausalQueryBatchSummarySchema) },
  batch: { request: z.object({ batchId: BatchIdSchema }).strict(), response: CausalQueryBatchSchema },
  answer: {
    request: z.object({ batchId: BatchIdSchema, query: z.number().int().min(0).max(10_000), answer: z.enum(['present', 'absent', 'undo']) }).strict(),
    response: z.object({ query: z.number().int(), answer: CausalAnswerSchema.nullable(), seq: z.number().int().nullable(), answered: z.number().int(), count: z.number().int() }),
  },
};
